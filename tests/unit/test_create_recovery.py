"""The limits of create-without-duplicates, against a stand-in client (no server): how often a create whose
answer was lost is sent again, and which found data source counts as "there before" (clock skew)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from pulumi_chartmogul.api.errors import AlreadyExistsError, OutcomeUnknownError, ServerError
from pulumi_chartmogul.api.settings import Settings
from pulumi_chartmogul.resources import creating
from pulumi_chartmogul.resources.data_source import DataSourceProvider
from pulumi_chartmogul.resources.plan import PlanProvider

SOURCE_UUID = "ds_1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b"


@dataclass
class LosingClient:
    """Every POST fails with a 500 (the server may have acted); lookups find ``existing`` (or nothing)."""

    settings: Settings
    existing: list[dict[str, Any]] = field(default_factory=list)
    posts: int = 0

    def create_data_source(self, name: str) -> dict[str, Any]:
        self.posts += 1
        raise ServerError("500 Internal Server Error", status=500)

    def create_plan(self, fields: dict[str, Any]) -> dict[str, Any]:
        self.posts += 1
        raise ServerError("500 Internal Server Error", status=500)

    def list_data_sources(self, **_filters: str) -> list[dict[str, Any]]:
        return list(self.existing)

    def list_plans(self, **_filters: str) -> list[dict[str, Any]]:
        return list(self.existing)


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waits: list[float] = []
    monkeypatch.setattr(creating, "time", SimpleNamespace(sleep=waits.append))
    return waits


def with_client(provider: Any, client: LosingClient) -> Any:
    provider._client = client
    return provider


def settings(max_retries: int) -> Settings:
    return Settings(api_key="k", endpoint="http://127.0.0.1:9/v1", max_retries=max_retries)


PLAN = {"data_source_uuid": SOURCE_UUID, "name": "Gold", "interval_count": 1, "interval_unit": "month",
        "external_id": "gold", "adopt": False}


@pytest.mark.parametrize(("max_retries", "posts"), [(0, 1), (1, 2), (3, 4), (6, 4), (100, 4)])
def test_a_create_whose_answer_is_lost_is_sent_at_most_four_times(max_retries: int, posts: int,
                                                                   no_waiting: list[float]) -> None:
    client = LosingClient(settings(max_retries))
    with pytest.raises(OutcomeUnknownError, match=f"after {posts} attempts"):
        with_client(PlanProvider(), client).create(PLAN)
    assert client.posts == posts
    assert len(no_waiting) == posts - 1
    assert sum(no_waiting) <= 1.75  # 0.25 + 0.5 + 1.0: the worst case of the waits between re-sends


def source_created(ago: timedelta) -> dict[str, Any]:
    created = (datetime.now(UTC) - ago).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return {"uuid": "ds_found", "name": "Billing", "system": "Custom", "status": "idle", "created_at": created}


@pytest.mark.parametrize("ago", [timedelta(0), timedelta(minutes=4, seconds=30)])
def test_a_source_created_up_to_5_minutes_before_the_create_may_be_ours(ago: timedelta) -> None:
    # ChartMogul's clock may be behind ours: a source that looks a little older is still the one our POST made.
    client = LosingClient(settings(2), existing=[source_created(ago)])
    created = with_client(DataSourceProvider(), client).create({"name": "Billing", "adopt": False})
    assert created.id == "ds_found"
    assert client.posts == 1


@pytest.mark.parametrize("ago", [timedelta(minutes=5, seconds=30), timedelta(days=300)])
def test_a_source_created_more_than_5_minutes_before_the_create_was_there_before(ago: timedelta) -> None:
    client = LosingClient(settings(2), existing=[source_created(ago)])
    with pytest.raises(AlreadyExistsError, match=r"already exists \(uuid ds_found\).*adopt=True") as caught:
        with_client(DataSourceProvider(), client).create({"name": "Billing", "adopt": False})
    assert (caught.value.status, caught.value.param) == (422, "name")
    assert client.posts == 1


@pytest.mark.parametrize("max_retries", [0, 2, 6])
def test_a_create_never_outlasts_its_written_bound(max_retries: int, no_waiting: list[float]) -> None:
    """Every call of a lost create at its worst (``call_time_bound_seconds``, which the retry-budget tests hold
    the client to) plus the waits between re-sends stays within ``create_time_bound_seconds``; without the cap
    on re-sends (maxRetries 6 → 7 POSTs and 7 lookups) it would not."""
    client = CountingLosingClient(settings(max_retries))
    with pytest.raises(OutcomeUnknownError):
        with_client(PlanProvider(), client).create(PLAN)
    worst = (client.posts + client.lookups) * client.settings.call_time_bound_seconds + sum(no_waiting)
    assert client.lookups == client.posts  # each lost POST is followed by one lookup
    assert worst <= client.settings.create_time_bound_seconds
    uncapped = 2 * (1 + max_retries) * client.settings.call_time_bound_seconds
    assert max_retries <= 3 or uncapped > client.settings.create_time_bound_seconds


def test_the_default_worst_case_create_is_written_down() -> None:
    # README ("Reliability") and docs/reliability.md quote this figure.
    defaults = settings(6)
    assert defaults.call_time_bound_seconds == 200.0  # (10 s connect + 30 s read) * 2 + 120 s budget
    assert defaults.create_time_bound_seconds == 1601.75


@dataclass
class CountingLosingClient(LosingClient):
    lookups: int = 0

    def list_plans(self, **_filters: str) -> list[dict[str, Any]]:
        self.lookups += 1
        return []


def group_create(post: Callable[[], dict[str, Any]], find: Callable[[], dict[str, Any] | None]) -> creating.Create:
    """A create of an object whose key the server does not keep unique (a plan group's name), waited for 5 s."""
    def find_all() -> list[dict[str, Any]]:
        found = find()
        return [] if found is None else [found]

    key = creating.NaturalKey(param="name", what="the group", taken="a group named 'g' already exists",
                              find_all=find_all, unique_on_server=False)
    return creating.Create(post, key, settle_seconds=5)


def test_an_unanswered_post_of_a_non_unique_object_is_waited_for_never_re_sent(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Plan groups: the server accepts a second one with the same name, so a POST that got no answer (it may
    still be running) is looked up until it shows, or the create fails without sending it again."""
    from pulumi_chartmogul.api.errors import TransportError

    clock = iter(range(100))
    monkeypatch.setattr(creating, "time", SimpleNamespace(sleep=lambda _s: None, monotonic=lambda: next(clock)))
    posts, lookups = [], []

    def post() -> dict[str, Any]:
        posts.append(1)
        raise TransportError("POST /plan_groups: ReadTimeout", never_sent=False)

    def find_late() -> dict[str, Any] | None:
        lookups.append(1)
        return {"uuid": "plg_1"} if len(lookups) == 3 else None

    found, was_found = creating.create_without_duplicates(group_create(post, find_late))
    assert (found, was_found, len(posts), len(lookups)) == ({"uuid": "plg_1"}, True, 1, 3)

    posts.clear()
    with pytest.raises(OutcomeUnknownError, match="it was not sent again"):
        creating.create_without_duplicates(group_create(post, lambda: None))
    assert len(posts) == 1


def test_a_5xx_answer_is_conclusive_so_a_non_unique_object_is_re_sent() -> None:
    posts: list[int] = []

    def post() -> dict[str, Any]:
        posts.append(1)
        if len(posts) == 1:
            raise ServerError("500 Internal Server Error", status=500)
        return {"uuid": "plg_2"}

    assert creating.create_without_duplicates(group_create(post, lambda: None)) == ({"uuid": "plg_2"}, False)
    assert len(posts) == 2
