"""``--rate-limit`` (429), ``--max-connections`` (503), ``--latency-ms``, and ``/_emulator/stats`` (requests by
route, answers by status) + reset."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from testkit.emulator import Emulator, running_emulator
from tests.emulator.expected import JSON, RATE_LIMITED, MakeSource, assert_json

TOO_MANY_CONNECTIONS = {"code": 503, "message": "Too many parallel connections.", "param": None}


@pytest.fixture(scope="module")
def rate_limited() -> Iterator[Emulator]:
    with running_emulator("--rate-limit", "5") as emulator:
        yield emulator


@pytest.fixture(scope="module")
def narrow() -> Iterator[Emulator]:
    with running_emulator("--max-connections", "2", "--latency-ms", "300") as emulator:
        yield emulator


def test_burst_over_the_rate_limit_gets_429(rate_limited: Emulator) -> None:
    rate_limited.advance_clock(1.0)  # an empty one-second window
    with requests.Session() as session:
        session.auth = ("key", "")
        responses = [session.get(f"{rate_limited.api_root}/ping", timeout=10) for _ in range(20)]
    statuses = [response.status_code for response in responses]
    assert statuses[:5] == [200] * 5, statuses
    assert statuses.count(429) >= 10, statuses
    for response in responses:
        if response.status_code == 429:
            assert_json(response, 429, RATE_LIMITED, JSON)
            assert response.headers["X-ChartMogul-Emulator"]
            # No recording shows Retry-After on a real 429.
            assert "retry-after" not in response.headers
    rate_limited.advance_clock(1.0)  # the next window: open again, without waiting a second
    assert_json(rate_limited.api("GET", "/ping"), 200, {"data": "pong!"})


def test_the_clock_moves_the_rate_window_forward_only(rate_limited: Emulator) -> None:
    rate_limited.advance_clock(1.0)
    with requests.Session() as session:
        session.auth = ("key", "")
        statuses = [session.get(f"{rate_limited.api_root}/ping", timeout=10).status_code for _ in range(8)]
        assert statuses[:5] == [200] * 5 and 429 in statuses, statuses
        moved = rate_limited.advance_clock(1.0)
        assert session.get(f"{rate_limited.api_root}/ping", timeout=10).status_code == 200
    assert rate_limited.advance_clock(0.0) == moved  # it adds up, and 0 moves nothing
    backwards = requests.post(f"{rate_limited.base}/_emulator/clock", json={"seconds": -1}, timeout=10)
    assert backwards.status_code == 422
    assert rate_limited.advance_clock(0.0) == moved


def test_stats_count_the_answers_a_burst_got_by_status() -> None:
    with running_emulator("--rate-limit", "5") as emulator, requests.Session() as session:
        session.auth = ("key", "")
        statuses = Counter(session.get(f"{emulator.api_root}/ping", timeout=10).status_code for _ in range(12))
        emulator.api("GET", "/ping", key="")  # refused for its key: a 429 too, the window is full
        statuses[429] += 1
        stats = emulator.stats()
    assert statuses[429] >= 5, statuses
    assert stats["by_status"] == {str(code): count for code, count in sorted(statuses.items())}
    assert stats["requests"] == sum(stats["by_status"].values()) == 13


def test_rate_limited_requests_change_nothing(rate_limited: Emulator) -> None:
    rate_limited.advance_clock(1.0)
    with requests.Session() as session:
        session.auth = ("key", "")
        responses = [session.post(f"{rate_limited.api_root}/data_sources", json={"name": f"burst {i}"},
                                  timeout=10) for i in range(12)]
    statuses = [response.status_code for response in responses]
    assert statuses[:5] == [201] * 5, statuses
    assert 429 in statuses, statuses
    rate_limited.advance_clock(1.0)
    listed = rate_limited.api("GET", "/data_sources").json()["data_sources"]
    assert listed == [response.json() for response in responses if response.status_code == 201]


def test_too_many_parallel_connections_get_503(narrow: Emulator) -> None:
    start = threading.Barrier(6)

    def ping(_: int) -> requests.Response:
        start.wait()
        return narrow.api("GET", "/ping")

    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(ping, range(6)))
    counts = Counter(response.status_code for response in responses)
    assert set(counts) == {200, 503}, counts
    assert counts[200] >= 2
    assert counts[503] >= 1
    for response in responses:
        if response.status_code == 503:
            assert_json(response, 503, TOO_MANY_CONNECTIONS, JSON)
    # Once the slow ones are done, the slots are free again.
    assert [narrow.api("GET", "/ping").status_code for _ in range(2)] == [200, 200]


def test_stats_count_503s_for_too_many_connections() -> None:
    start = threading.Barrier(5)
    with running_emulator("--max-connections", "2", "--latency-ms", "300") as emulator:

        def ping(_: int) -> int:
            start.wait()
            return emulator.api("GET", "/ping").status_code

        with ThreadPoolExecutor(max_workers=5) as pool:
            statuses = Counter(pool.map(ping, range(5)))
        stats = emulator.stats()
    assert statuses[503] >= 1, statuses
    assert stats["by_status"] == {str(code): count for code, count in sorted(statuses.items())}
    assert stats["by_route"] == {"GET /v1/ping": 5}


def test_latency_is_added_to_every_api_request(narrow: Emulator) -> None:
    started = time.monotonic()
    assert narrow.api("GET", "/ping").status_code == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    assert requests.get(f"{narrow.base}/_emulator/stats", timeout=10).status_code == 200
    assert time.monotonic() - started < 0.3


def test_stats_count_requests_by_route_template(emulator: Emulator, make_source: MakeSource) -> None:
    assert emulator.stats() == {"requests": 0, "by_route": {}, "by_status": {}}
    source = make_source()
    plan = emulator.api("POST", "/plans", json={"data_source_uuid": source["uuid"], "name": "Gold",
                                                "interval_count": 1, "interval_unit": "month"}).json()
    emulator.api("GET", f"/plans/{plan['uuid']}")
    emulator.api("GET", "/plans/pl_missing")
    emulator.api("PATCH", f"/plans/{plan['uuid']}", json={"name": "x"})
    emulator.api("GET", "/plans", params={"per_page": 1})
    emulator.api("POST", "/import/plans", json={})
    emulator.api("GET", f"/data_sources/{source['uuid']}")
    emulator.api("GET", "/ping", key="")  # refused requests count too
    emulator.api("GET", "/nowhere")
    emulator.api("DELETE", f"/data_sources/{source['uuid']}")

    assert emulator.stats() == {
        "requests": 11,
        "by_route": {
            "DELETE /v1/data_sources/{uuid}": 1,
            "GET /v1/data_sources/{uuid}": 1,
            "GET /v1/ping": 1,
            "GET /v1/plans": 1,
            "GET /v1/plans/{uuid}": 2,
            "GET <unknown route>": 1,
            "PATCH /v1/plans/{uuid}": 1,
            "POST /v1/data_sources": 1,
            "POST /v1/import/plans": 1,
            "POST /v1/plans": 1,
        },
        "by_status": {"200": 3, "201": 2, "202": 1, "204": 1, "401": 1, "404": 2, "422": 1},
    }


def test_stats_count_faulted_requests(emulator: Emulator) -> None:
    emulator.set_faults([{"method": "GET", "path": "/v1/ping", "mode": "respond", "status": 503, "times": 2}])
    for _ in range(3):
        emulator.api("GET", "/ping")
    assert emulator.stats() == {"requests": 3, "by_route": {"GET /v1/ping": 3}, "by_status": {"200": 1, "503": 2}}


def test_stats_count_a_dropped_answer_as_none(emulator: Emulator, make_source: MakeSource) -> None:
    source = make_source()
    emulator.set_faults([{"method": "POST", "path": "/v1/plans", "mode": "commit_then_drop"}])
    with pytest.raises(requests.ConnectionError):
        emulator.api("POST", "/plans", json={"data_source_uuid": source["uuid"], "name": "Gold",
                                             "interval_count": 1, "interval_unit": "month"})
    assert emulator.stats()["by_status"] == {"201": 1, "none": 1}


def test_reset_clears_stats_and_state(emulator: Emulator, make_source: MakeSource) -> None:
    make_source()
    emulator.api("GET", "/data_sources")
    assert emulator.stats()["requests"] == 2
    response = requests.post(f"{emulator.base}/_emulator/reset", timeout=10)
    assert (response.status_code, response.json()) == (200, {"reset": True})
    assert emulator.stats() == {"requests": 0, "by_route": {}, "by_status": {}}
    assert emulator.api("GET", "/data_sources").json() == {"data_sources": []}
    # Admin routes are not counted.
    assert emulator.stats() == {"requests": 1, "by_route": {"GET /v1/data_sources": 1}, "by_status": {"200": 1}}
