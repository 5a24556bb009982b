"""Reads served by listing pages: what they cost against one GET per object, and that they stay exact."""

from __future__ import annotations

import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from pulumi_chartmogul.api.errors import NotFoundError
from pulumi_chartmogul.api.listed_reads import FRESH_SECONDS, PER_PAGE, ListedReads, ListingKey


class FakeAccount:
    """Plans by data source, listed in pages of ``per_page`` with a cursor, as the API does; counts requests."""

    def __init__(self, sizes: dict[str, int]) -> None:
        self.plans = {f"pl_{source}_{i}": {"uuid": f"pl_{source}_{i}", "data_source_uuid": source, "name": "v1"}
                      for source, size in sizes.items() for i in range(size)}
        self.requests: Counter[str] = Counter()
        self.lock = threading.Lock()

    def page(self, params: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self.requests["page"] += 1
        source = params.get("data_source_uuid")
        items = [p for p in self.plans.values() if source is None or p["data_source_uuid"] == source]
        start = int(params.get("cursor") or 0)
        chunk = items[start:start + params["per_page"]]
        more = start + params["per_page"] < len(items)
        return {"plans": [dict(p) for p in chunk], "has_more": more, "cursor": str(start + len(chunk))}

    def get(self, uuid: str) -> dict[str, Any]:
        with self.lock:
            self.requests["get"] += 1
        if uuid not in self.plans:
            raise NotFoundError("gone", status=404)
        return dict(self.plans[uuid])


def source_key(source: str) -> ListingKey:
    return ListingKey("/plans", "plans", (("data_source_uuid", source),))


def read(reads: ListedReads, account: FakeAccount, uuid: str, key: ListingKey | None) -> dict[str, Any]:
    """A read of a plan in the state (``key``: its source's listing), or with only its uuid (``key`` None)."""
    if key is None:
        return reads.read_guessing(uuid, source_key, "data_source_uuid", account.page, lambda: account.get(uuid))
    return reads.read(uuid, key, account.page, lambda: account.get(uuid))


def test_one_plan_of_a_5000_plan_source_costs_one_get() -> None:
    account, reads = FakeAccount({"ds_a": 5000}), ListedReads()
    assert read(reads, account, "pl_ds_a_4321", source_key("ds_a"))["uuid"] == "pl_ds_a_4321"
    assert account.requests == {"get": 1}


def test_a_refresh_of_every_plan_costs_its_pages_and_one_get() -> None:
    account, reads = FakeAccount({"ds_a": 1000, "ds_b": 100}), ListedReads()
    for uuid, plan in account.plans.items():
        assert read(reads, account, uuid, source_key(plan["data_source_uuid"])) == plan
    assert account.requests == {"get": 2, "page": 1000 // PER_PAGE + 1}
    assert sum(account.requests.values()) <= len(account.plans) / 20


def test_never_more_than_one_request_above_one_get_per_read_whatever_is_read() -> None:
    rng = random.Random(7)
    for trial in range(200):
        sizes = {f"ds{i}": rng.choice([1, 5, 199, 200, 201, 1000]) for i in range(rng.randint(1, 4))}
        account, reads = FakeAccount(sizes), ListedReads()
        uuids = rng.sample(sorted(account.plans), rng.randint(1, min(60, len(account.plans))))
        for uuid in uuids:
            key = None if rng.random() < 0.3 else source_key(account.plans[uuid]["data_source_uuid"])
            assert read(reads, account, uuid, key) == account.plans[uuid]
        assert sum(account.requests.values()) <= len(uuids) + 1, (trial, sizes, account.requests)


def test_many_threads_read_together_with_the_same_bound() -> None:
    account, reads = FakeAccount({"ds_a": 400, "ds_b": 400}), ListedReads()
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda item: read(reads, account, item[0], source_key(item[1]["data_source_uuid"])),
                                account.plans.items()))
    assert results == list(account.plans.values())
    assert sum(account.requests.values()) <= len(account.plans) / 20


def test_a_plan_absent_from_its_sources_complete_listing_is_gone_only_when_its_get_says_404() -> None:
    account, reads = FakeAccount({"ds_a": 50}), ListedReads()
    read(reads, account, "pl_ds_a_0", source_key("ds_a"))
    del account.plans["pl_ds_a_7"]
    read(reads, account, "pl_ds_a_1", source_key("ds_a"))  # lists the source: 49 plans, complete
    with pytest.raises(NotFoundError):
        read(reads, account, "pl_ds_a_7", source_key("ds_a"))
    assert account.requests == {"get": 2, "page": 1}  # the first read's GET, the page, and the vanished plan's GET


class ForgetfulAccount(FakeAccount):
    """An API whose listings miss some plans that exist (a page shifted under concurrent writes, say)."""

    def __init__(self, sizes: dict[str, int], missing: set[str]) -> None:
        super().__init__(sizes)
        self.missing = missing

    def page(self, params: dict[str, Any]) -> dict[str, Any]:
        answer = super().page(params)
        return {**answer, "plans": [p for p in answer["plans"] if p["uuid"] not in self.missing]}


def test_a_plan_a_listing_misses_is_read_by_its_own_get_never_dropped() -> None:
    missing = {"pl_ds_a_7", "pl_ds_a_30"}
    account, reads = ForgetfulAccount({"ds_a": 50}, missing), ListedReads()
    for uuid in account.plans:
        assert read(reads, account, uuid, source_key("ds_a")) == account.plans[uuid]
    # Within the promise: one GET for the first read, one page, and one GET for each plan the listing missed.
    assert account.requests == {"get": 1 + len(missing), "page": 1}
    assert sum(account.requests.values()) <= len(account.plans) + 1


def test_imports_a_listing_misses_are_read_by_their_own_get() -> None:
    missing = {"pl_ds_a_3"}
    account, reads = ForgetfulAccount({"ds_a": 20}, missing), ListedReads()
    for uuid in account.plans:
        assert read(reads, account, uuid, None) == account.plans[uuid]
    assert account.requests == {"get": 2, "page": 1}


def test_imports_look_in_the_source_of_the_last_plan_imported() -> None:
    """An import names only the plan: the first of each source is a GET, whose answer names the source whose
    listing answers the next ones; the program imports a source's plans together."""
    account, reads = FakeAccount({"ds_a": 300, "ds_b": 150, "ds_c": 1}), ListedReads()
    for uuid in account.plans:
        assert read(reads, account, uuid, None) == account.plans[uuid]
    assert account.requests == {"get": 3, "page": 2 + 1}
    with pytest.raises(NotFoundError, match="gone"):
        read(reads, account, "pl_never", None)  # not in the guessed source's listing: asked for, and 404


def test_concurrent_imports_wait_for_the_one_that_learns_the_next_source() -> None:
    account, reads = FakeAccount({f"ds{i}": 120 for i in range(5)}), ListedReads()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda uuid: read(reads, account, uuid, None), account.plans))
    assert results == list(account.plans.values())
    assert account.requests["page"] == 5 and account.requests["get"] <= 5 + 8


def test_a_second_read_of_a_plan_is_fresh() -> None:
    account, reads = FakeAccount({"ds_a": 10}), ListedReads()
    read(reads, account, "pl_ds_a_0", source_key("ds_a"))
    read(reads, account, "pl_ds_a_1", source_key("ds_a"))
    account.plans["pl_ds_a_1"]["name"] = "drifted"
    assert read(reads, account, "pl_ds_a_1", source_key("ds_a"))["name"] == "drifted"


def test_our_own_writes_and_time_make_pages_stale() -> None:
    now = [0.0]
    account, reads = FakeAccount({"ds_a": 10}), ListedReads(clock=lambda: now[0])
    read(reads, account, "pl_ds_a_0", source_key("ds_a"))
    read(reads, account, "pl_ds_a_1", source_key("ds_a"))
    account.plans["pl_ds_a_2"]["name"] = "written by us"
    reads.forget_all()
    assert read(reads, account, "pl_ds_a_2", source_key("ds_a"))["name"] == "written by us"
    account.plans["pl_ds_a_3"]["name"] = "changed meanwhile"
    now[0] += FRESH_SECONDS + 1
    assert read(reads, account, "pl_ds_a_3", source_key("ds_a"))["name"] == "changed meanwhile"


def test_the_client_forgets_its_listings_before_any_write() -> None:
    from pulumi_chartmogul.api.client import ChartMogulClient
    from pulumi_chartmogul.api.settings import Settings

    client = ChartMogulClient(Settings(api_key="k-listed", endpoint="http://127.0.0.1:9/v1", max_retries=0))
    forgotten: list[str] = []
    client._listed.forget_all = lambda: forgotten.append("all")  # type: ignore[method-assign]
    client._send = lambda method, path, **_kw: {}  # type: ignore[method-assign]
    client.request("GET", "/plans")
    assert forgotten == []
    for method in ("POST", "PATCH", "DELETE"):
        client.request(method, "/plans/pl_1")
    assert forgotten == ["all"] * 3


def test_imports_of_two_sources_interleaved_are_answered_by_both_listings() -> None:
    """The engine imports several sources' plans at once: a plan already on any listed page needs no request."""
    account, reads = FakeAccount({"ds_a": 100, "ds_b": 100}), ListedReads()
    a, b = (sorted(u for u in account.plans if account.plans[u]["data_source_uuid"] == s) for s in ("ds_a", "ds_b"))
    for pair in zip(a, b, strict=True):
        for uuid in pair:
            assert read(reads, account, uuid, None) == account.plans[uuid]
    assert sum(account.requests.values()) <= 8, account.requests
