"""``GET /v1/plans``: cursor pagination, deprecated ``page=``, ``per_page`` cap, filters (docs/emulator.md)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from testkit.emulator import Emulator
from tests.emulator.expected import RAILS_JSON, MakePlan, MakeSource, assert_json


def _create_many(emulator: Emulator, data_source_uuid: str, count: int, prefix: str = "p") -> list[dict[str, Any]]:
    def create(index: int) -> dict[str, Any]:
        response = emulator.api("POST", "/plans", json={
            "data_source_uuid": data_source_uuid, "name": f"{prefix}{index}", "interval_count": 1,
            "interval_unit": "month", "external_id": f"{prefix}{index}",
        })
        assert response.status_code == 201, response.text
        return dict(response.json())

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(create, range(count)))


def _walk(emulator: Emulator, per_page: int, pause: float = 0.0, **filters: str) -> list[list[dict[str, Any]]]:
    """Every page of a cursor walk, following has_more/cursor as a client would."""
    pages: list[list[dict[str, Any]]] = []
    params: dict[str, Any] = {"per_page": per_page, **filters}
    while True:
        response = emulator.api("GET", "/plans", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body["plans"])
        if not body["has_more"]:
            # The last page still carries a cursor, as the real API's recordings show: only has_more stops.
            assert isinstance(body["cursor"], str) and body["cursor"]
            return pages
        params = {"per_page": per_page, **filters, "cursor": body["cursor"]}
        time.sleep(pause)


def _uuids(plans: list[dict[str, Any]]) -> list[str]:
    return [plan["uuid"] for plan in plans]


def test_empty_list(emulator: Emulator) -> None:
    assert_json(emulator.api("GET", "/plans"), 200,
                {"plans": [], "current_page": 1, "total_pages": 0, "cursor": None, "has_more": False}, RAILS_JSON)


def test_first_page_carries_page_counters_and_cursor_pages_do_not(emulator: Emulator, make_source: MakeSource,
                                                                 make_plan: MakePlan) -> None:
    source = make_source()
    created = [make_plan(source["uuid"], external_id=f"e{i}") for i in range(7)]

    first = emulator.api("GET", "/plans", params={"per_page": 3})
    assert first.status_code == 200
    assert first.headers["content-type"] == RAILS_JSON
    body = first.json()
    assert set(body) == {"plans", "current_page", "total_pages", "cursor", "has_more"}
    assert (body["current_page"], body["total_pages"], body["has_more"]) == (1, 3, True)
    assert isinstance(body["cursor"], str)
    assert len(body["plans"]) == 3

    second = emulator.api("GET", "/plans", params={"per_page": 3, "cursor": body["cursor"]}).json()
    assert set(second) == {"plans", "cursor", "has_more"}
    assert second["has_more"] is True
    third = emulator.api("GET", "/plans", params={"per_page": 3, "cursor": second["cursor"]}).json()
    assert third == {"plans": third["plans"], "cursor": third["cursor"], "has_more": False}
    assert len(third["plans"]) == 1
    # A last page has a non-empty cursor (recorded for plans, 2023-10); following it finds nothing more.
    assert isinstance(third["cursor"], str) and third["cursor"]
    beyond = emulator.api("GET", "/plans", params={"per_page": 3, "cursor": third["cursor"]}).json()
    assert beyond == {"plans": [], "cursor": third["cursor"], "has_more": False}

    walked = _uuids(body["plans"] + second["plans"] + third["plans"])
    assert sorted(walked) == sorted(_uuids(created))
    assert len(set(walked)) == 7


def test_list_items_are_full_plan_objects(emulator: Emulator, make_source: MakeSource, make_plan: MakePlan) -> None:
    source = make_source()
    plan = make_plan(source["uuid"], name="Silver", interval_count=3, interval_unit="day", external_id="silver")
    response = emulator.api("GET", "/plans")
    assert_json(response, 200, {"plans": [plan], "current_page": 1, "total_pages": 1,
                                "cursor": response.json()["cursor"], "has_more": False}, RAILS_JSON)
    assert response.json()["cursor"]


def test_cursor_walk_has_no_gaps_or_repeats_while_plans_are_created(emulator: Emulator,
                                                                    make_source: MakeSource) -> None:
    source = make_source()
    existing = _create_many(emulator, source["uuid"], 40, prefix="old")
    start = threading.Barrier(5)
    created_during: list[dict[str, Any]] = []
    lock = threading.Lock()

    def create_some(worker: int) -> None:
        start.wait()
        for index in range(15):
            response = emulator.api("POST", "/plans", json={
                "data_source_uuid": source["uuid"], "name": "new", "interval_count": 1, "interval_unit": "day",
                "external_id": f"new-{worker}-{index}",
            })
            assert response.status_code == 201, response.text
            with lock:
                created_during.append(response.json())
            time.sleep(0.005)

    with ThreadPoolExecutor(max_workers=4) as pool:
        writers = [pool.submit(create_some, worker) for worker in range(4)]
        start.wait()
        pages = _walk(emulator, per_page=4, pause=0.01)
        for writer in writers:
            writer.result()

    seen = [uuid for page in pages for uuid in _uuids(page)]
    assert len(seen) == len(set(seen)), "a plan appeared on two pages"
    assert set(_uuids(existing)) <= set(seen), "a plan that existed before the walk was skipped"
    assert set(seen) <= set(_uuids(existing + created_during))
    assert len(created_during) == 60
    assert all(len(page) <= 4 for page in pages)
    # Plans created while walking land after the ones already there (the cursor is a position, not an offset).
    assert seen[: len(existing)] == _uuids(emulator.api("GET", "/plans", params={"per_page": 40}).json()["plans"])


def test_per_page_above_200_is_treated_as_200(emulator: Emulator, make_source: MakeSource) -> None:
    source = make_source()
    _create_many(emulator, source["uuid"], 203)
    body = emulator.api("GET", "/plans", params={"per_page": 1000}).json()
    assert (len(body["plans"]), body["current_page"], body["total_pages"], body["has_more"]) == (200, 1, 2, True)
    rest = emulator.api("GET", "/plans", params={"per_page": 1000, "cursor": body["cursor"]}).json()
    assert (len(rest["plans"]), rest["has_more"]) == (3, False)
    default = emulator.api("GET", "/plans").json()
    assert (len(default["plans"]), default["total_pages"]) == (200, 2)


def test_deprecated_page_parameter(emulator: Emulator, make_source: MakeSource, make_plan: MakePlan) -> None:
    source = make_source()
    for index in range(5):
        make_plan(source["uuid"], external_id=f"e{index}")
    pages = []
    for number in (1, 2, 3):
        response = emulator.api("GET", "/plans", params={"page": number, "per_page": 2})
        assert response.status_code == 200
        assert response.headers["content-type"] == RAILS_JSON
        body = response.json()
        # With page= the 2023 recording had only these three keys: no cursor, no has_more.
        assert set(body) == {"plans", "current_page", "total_pages"}
        assert (body["current_page"], body["total_pages"]) == (number, 3)
        pages.append(body["plans"])
    assert [len(page) for page in pages] == [2, 2, 1]
    listed = [uuid for page in pages for uuid in _uuids(page)]
    assert listed == _uuids(emulator.api("GET", "/plans").json()["plans"])
    beyond = emulator.api("GET", "/plans", params={"page": 4, "per_page": 2}).json()
    assert beyond == {"plans": [], "current_page": 4, "total_pages": 3}


def test_filters(emulator: Emulator, make_source: MakeSource, make_plan: MakePlan) -> None:
    one, two = make_source("one"), make_source("two")
    a1 = make_plan(one["uuid"], external_id="a")
    b1 = make_plan(one["uuid"], external_id="b")
    a2 = make_plan(two["uuid"], external_id="a")

    def listed(**params: Any) -> list[str]:
        response = emulator.api("GET", "/plans", params=params)
        assert response.status_code == 200, response.text
        return _uuids(response.json()["plans"])

    assert listed(data_source_uuid=one["uuid"]) == _uuids([a1, b1])
    assert listed(data_source_uuid=two["uuid"]) == _uuids([a2])
    assert listed(external_id="a") == _uuids([a1, a2])
    assert listed(data_source_uuid=two["uuid"], external_id="a") == _uuids([a2])
    assert listed(data_source_uuid=two["uuid"], external_id="b") == []
    assert listed(data_source_uuid="ds_00000000-0000-4000-8000-000000000000") == []
    assert listed(system="Custom") == _uuids([a1, b1, a2])
    assert listed(system="Stripe") == []
    assert listed(system="Custom", data_source_uuid=one["uuid"], external_id="b") == _uuids([b1])


def test_filters_apply_to_every_page(emulator: Emulator, make_source: MakeSource) -> None:
    one, two = make_source("one"), make_source("two")
    mine = _create_many(emulator, one["uuid"], 9, prefix="mine")
    _create_many(emulator, two["uuid"], 9, prefix="theirs")
    first = emulator.api("GET", "/plans", params={"per_page": 4, "data_source_uuid": one["uuid"]}).json()
    assert first["total_pages"] == 3
    pages = _walk(emulator, per_page=4, data_source_uuid=one["uuid"])
    assert [len(page) for page in pages] == [4, 4, 1]
    assert sorted(uuid for page in pages for uuid in _uuids(page)) == sorted(_uuids(mine))


@pytest.mark.parametrize("param", ["per_page", "page"])
def test_non_numeric_paging_parameter_is_400(emulator: Emulator, param: str) -> None:
    response = emulator.api("GET", "/plans", params={param: "ten"})
    assert_json(response, 400, {"code": 400, "message": f'Parameter "{param}" is invalid', "param": param},
                RAILS_JSON)


def test_garbled_cursor_is_400(emulator: Emulator) -> None:
    response = emulator.api("GET", "/plans", params={"cursor": "not a cursor!"})
    assert_json(response, 400, {"code": 400, "message": 'Parameter "cursor" is invalid', "param": "cursor"},
                RAILS_JSON)
