"""Uniqueness holds under concurrent creates (data source names, plan external_ids within a source)."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

from testkit.emulator import Emulator
from tests.emulator.expected import JSON, RAILS_JSON, MakeSource

RACERS = 8


def _race(emulator: Emulator, calls: list[tuple[str, dict[str, Any]]]) -> list[requests.Response]:
    """POST every (path, body) at once: the threads are released together by a barrier."""
    start = threading.Barrier(len(calls))

    def post(request: tuple[str, dict[str, Any]]) -> requests.Response:
        start.wait()
        return emulator.api("POST", request[0], json=request[1])

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(post, calls))


def test_concurrent_creates_of_one_data_source_name(emulator: Emulator) -> None:
    for round_number in range(3):
        name = f"contested {round_number}"
        responses = _race(emulator, [("/data_sources", {"name": name})] * RACERS)
        assert Counter(r.status_code for r in responses) == {201: 1, 422: RACERS - 1}
        for response in responses:
            assert response.headers["content-type"] == JSON
            if response.status_code == 422:
                assert response.json() == {"errors": {"name": "Has already been taken."}}
        winner = next(r.json() for r in responses if r.status_code == 201)
        listed = emulator.api("GET", "/data_sources", params={"name": name}).json()
        assert listed == {"data_sources": [winner]}


def test_concurrent_creates_of_distinct_names_all_succeed(emulator: Emulator) -> None:
    responses = _race(emulator, [("/data_sources", {"name": f"n{i}"}) for i in range(RACERS)])
    assert [r.status_code for r in responses] == [201] * RACERS
    assert len({r.json()["uuid"] for r in responses}) == RACERS


def test_concurrent_creates_of_one_plan_external_id(emulator: Emulator, make_source: MakeSource) -> None:
    source = make_source()
    for round_number in range(3):
        body = {"data_source_uuid": source["uuid"], "name": "Gold", "interval_count": 1, "interval_unit": "month",
                "external_id": f"gold-{round_number}"}
        # Half of them through the legacy path: both paths share one uniqueness rule.
        responses = _race(emulator, [("/plans" if i % 2 else "/import/plans", body) for i in range(RACERS)])
        assert Counter(r.status_code for r in responses) == {201: 1, 422: RACERS - 1}
        for response in responses:
            assert response.headers["content-type"] == RAILS_JSON
            if response.status_code == 422:
                assert response.json() == {
                    "errors": {"external_id": "A plan with this identifier already exists in our system."}
                }
        listed = emulator.api("GET", "/plans", params={"data_source_uuid": source["uuid"],
                                                       "external_id": body["external_id"]}).json()["plans"]
        assert len(listed) == 1


def test_same_external_id_raced_into_different_sources(emulator: Emulator, make_source: MakeSource) -> None:
    sources = [make_source(f"s{i}") for i in range(RACERS)]
    bodies = [{"data_source_uuid": s["uuid"], "name": "Gold", "interval_count": 1, "interval_unit": "month",
               "external_id": "everywhere"} for s in sources]
    responses = _race(emulator, [("/plans", body) for body in bodies])
    assert [r.status_code for r in responses] == [201] * RACERS
