"""Fault rules of ``/_emulator/faults``: respond, commit_then_drop, delay, matching, probability, clearing."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

from testkit.emulator import Emulator
from tests.emulator.expected import JSON, RATE_LIMITED, MakeSource, assert_json

PLAN = {"name": "Gold", "interval_count": 1, "interval_unit": "month"}


def _faults(emulator: Emulator) -> dict[str, Any]:
    response = requests.get(f"{emulator.base}/_emulator/faults", timeout=10)
    assert response.status_code == 200
    return dict(response.json())


def _eventually(check: Any, timeout: float = 3.0) -> Any:
    """Poll ``check()`` until it returns something truthy (the server may still be finishing a request)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.05)


def test_rules_are_listed_with_defaults_and_remaining_uses(emulator: Emulator) -> None:
    assert _faults(emulator) == {"seed": None, "rules": []}
    posted = requests.post(f"{emulator.base}/_emulator/faults", timeout=10, json={
        "rules": [{"method": "POST", "path": "/v1/plans", "mode": "respond"}],
    })
    expected_rule = {"method": "POST", "path": "/v1/plans", "mode": "respond", "status": 503, "times": 1,
                     "probability": 1.0, "retry_after": None, "delay_ms": 0, "omit": []}
    assert posted.status_code == 200
    assert posted.json()["rules"] == [expected_rule]
    assert _faults(emulator)["rules"] == [expected_rule]
    assert emulator.api("POST", "/plans", json={}).status_code == 503
    assert _faults(emulator)["rules"] == [{**expected_rule, "times": 0}]


@pytest.mark.parametrize(
    "rule",
    [
        {"method": "GET", "path": "/v1/ping", "mode": "explode"},
        {"method": "GET", "path": "/v1/ping"},
        {"method": "GET", "path": "/v1/ping", "mode": "respond", "status": 99},
        {"method": "GET", "path": "/v1/ping", "mode": "respond", "probability": 1.5},
        {"method": "GET", "path": "/v1/ping", "mode": "respond", "colour": "red"},
        {"method": "GET", "path": "/v1/plans", "mode": "omit"},
        {"method": "GET", "path": "/v1/plans", "mode": "respond", "omit": ["pl_x"]},
    ],
    ids=["unknown-mode", "no-mode", "bad-status", "bad-probability", "unknown-field", "omit-without-uuids",
         "uuids-without-omit"],
)
def test_invalid_rules_are_refused(emulator: Emulator, rule: dict[str, Any]) -> None:
    response = requests.post(f"{emulator.base}/_emulator/faults", json={"rules": [rule]}, timeout=10)
    assert response.status_code == 422
    assert _faults(emulator)["rules"] == []


def test_respond_returns_the_status_leaves_state_alone_then_serves_normally(emulator: Emulator) -> None:
    emulator.set_faults([{"method": "POST", "path": "/v1/data_sources", "mode": "respond", "status": 503,
                          "times": 2, "retry_after": 7}])
    for _ in range(2):
        response = emulator.api("POST", "/data_sources", json={"name": "flaky"})
        assert response.status_code == 503
        assert response.headers["retry-after"] == "7"
        assert response.headers["content-type"] == "text/plain"
        assert response.text == "503 Service Unavailable"
        assert response.headers["X-ChartMogul-Emulator"]
    assert_json(emulator.api("GET", "/data_sources"), 200, {"data_sources": []})
    served = emulator.api("POST", "/data_sources", json={"name": "flaky"})
    assert served.status_code == 201
    assert "retry-after" not in served.headers
    assert emulator.api("GET", "/data_sources").json() == {"data_sources": [served.json()]}


@pytest.mark.parametrize(("status", "text"), [(500, "500 Internal Server Error"), (502, "502 Bad Gateway"),
                                              (504, "504 Gateway Timeout")])
def test_respond_server_errors_are_plain_text(emulator: Emulator, status: int, text: str) -> None:
    emulator.set_faults([{"method": "GET", "path": "/v1/ping", "mode": "respond", "status": status}])
    response = emulator.api("GET", "/ping")
    assert (response.status_code, response.text, response.headers["content-type"]) == (status, text, "text/plain")
    assert "retry-after" not in response.headers
    assert emulator.api("GET", "/ping").status_code == 200


def test_respond_429_uses_the_rate_limit_body(emulator: Emulator) -> None:
    emulator.set_faults([{"method": "*", "path": "/v1/", "mode": "respond", "status": 429, "retry_after": 1}])
    response = emulator.api("GET", "/plans")
    assert_json(response, 429, RATE_LIMITED, JSON)
    assert response.headers["retry-after"] == "1"
    assert emulator.api("GET", "/plans").status_code == 200


def test_respond_applies_before_authentication(emulator: Emulator) -> None:
    # A gateway in front of the API answers before any key is looked at.
    emulator.set_faults([{"method": "GET", "path": "/v1/ping", "mode": "respond", "status": 502}])
    assert emulator.api("GET", "/ping", key="").status_code == 502
    assert emulator.api("GET", "/ping", key="").status_code == 401


def test_times_null_means_every_request(emulator: Emulator) -> None:
    emulator.set_faults([{"method": "GET", "path": "/v1/ping", "mode": "respond", "status": 500, "times": None}])
    assert [emulator.api("GET", "/ping").status_code for _ in range(5)] == [500] * 5
    assert _faults(emulator)["rules"][0]["times"] is None


def test_commit_then_drop_loses_the_response_but_not_the_write(emulator: Emulator,
                                                               make_source: MakeSource) -> None:
    source = make_source()
    emulator.set_faults([{"method": "POST", "path": "/v1/plans", "mode": "commit_then_drop"}])
    with pytest.raises(requests.ConnectionError):
        emulator.api("POST", "/plans", json={**PLAN, "data_source_uuid": source["uuid"], "external_id": "lost"})
    listed = emulator.api("GET", "/plans", params={"data_source_uuid": source["uuid"], "external_id": "lost"})
    plans = listed.json()["plans"]
    assert len(plans) == 1
    assert plans[0]["external_id"] == "lost"
    # The rule is used up: a retry now meets the duplicate check, as it would on the real API.
    retry = emulator.api("POST", "/plans", json={**PLAN, "data_source_uuid": source["uuid"], "external_id": "lost"})
    assert retry.status_code == 422


def test_omit_leaves_existing_objects_out_of_a_listing_and_nothing_else(emulator: Emulator,
                                                                        make_source: MakeSource) -> None:
    source = make_source()
    made = [emulator.api("POST", "/plans", json={**PLAN, "data_source_uuid": source["uuid"], "external_id": f"p{i}"})
            .json() for i in range(3)]
    hidden = made[1]["uuid"]
    emulator.set_faults([{"method": "GET", "path": "/v1/plans", "mode": "omit", "omit": [hidden], "times": 1}])
    listed = emulator.api("GET", "/plans", params={"data_source_uuid": source["uuid"]})
    unfaulted = emulator.api("GET", "/plans", params={"data_source_uuid": source["uuid"]})
    assert listed.status_code == 200
    assert listed.headers["content-type"] == unfaulted.headers["content-type"]
    body = listed.json()
    assert [plan["uuid"] for plan in body["plans"]] == [made[0]["uuid"], made[2]["uuid"]]
    assert body["has_more"] is False
    assert int(listed.headers["content-length"]) == len(listed.content)
    # The object itself is there, and the next listing (the rule used up) shows it again.
    assert emulator.api("GET", f"/plans/{hidden}").json() == made[1]
    assert [plan["uuid"] for plan in unfaulted.json()["plans"]] == [plan["uuid"] for plan in made]


def test_commit_then_drop_on_delete_and_patch(emulator: Emulator, make_source: MakeSource) -> None:
    source = make_source()
    plan = emulator.api("POST", "/plans", json={**PLAN, "data_source_uuid": source["uuid"]}).json()
    emulator.set_faults([
        {"method": "PATCH", "path": "/v1/plans/{uuid}", "mode": "commit_then_drop"},
        {"method": "DELETE", "path": "/v1/data_sources/{uuid}", "mode": "commit_then_drop"},
    ])
    with pytest.raises(requests.ConnectionError):
        emulator.api("PATCH", f"/plans/{plan['uuid']}", json={"name": "Platinum"})
    assert emulator.api("GET", f"/plans/{plan['uuid']}").json()["name"] == "Platinum"
    with pytest.raises(requests.ConnectionError):
        emulator.api("DELETE", f"/data_sources/{source['uuid']}")
    assert emulator.api("GET", f"/data_sources/{source['uuid']}").status_code == 404


def test_commit_then_drop_of_a_refused_request_changes_nothing(emulator: Emulator) -> None:
    emulator.set_faults([{"method": "POST", "path": "/v1/data_sources", "mode": "commit_then_drop"}])
    with pytest.raises(requests.ConnectionError):
        emulator.api("POST", "/data_sources", json={"name": ""})
    assert emulator.api("GET", "/data_sources").json() == {"data_sources": []}


def test_delay_outlasting_the_client_timeout_still_takes_effect(emulator: Emulator) -> None:
    emulator.set_faults([{"method": "POST", "path": "/v1/data_sources", "mode": "delay", "delay_ms": 700}])
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.post(f"{emulator.api_root}/data_sources", json={"name": "slow"}, auth=("key", ""),
                      timeout=(5, 0.2))
    assert time.monotonic() - started < 0.6

    def created() -> list[dict[str, Any]]:
        return list(emulator.api("GET", "/data_sources", params={"name": "slow"}).json()["data_sources"])

    sources = _eventually(created)
    assert [source["name"] for source in sources] == ["slow"]


def test_delay_with_a_patient_client_is_a_normal_response(emulator: Emulator) -> None:
    emulator.set_faults([{"method": "GET", "path": "/v1/ping", "mode": "delay", "delay_ms": 300}])
    started = time.monotonic()
    response = emulator.api("GET", "/ping")
    assert time.monotonic() - started >= 0.3
    assert_json(response, 200, {"data": "pong!"})
    started = time.monotonic()
    assert emulator.api("GET", "/ping").status_code == 200
    assert time.monotonic() - started < 0.3


def test_delay_ms_is_waited_before_respond(emulator: Emulator) -> None:
    emulator.set_faults([{"method": "GET", "path": "/v1/ping", "mode": "respond", "status": 502,
                          "delay_ms": 300}])
    started = time.monotonic()
    response = emulator.api("GET", "/ping")
    assert time.monotonic() - started >= 0.3
    assert (response.status_code, response.text) == (502, "502 Bad Gateway")


def _pattern(emulator: Emulator, seed: int) -> list[int]:
    emulator.set_faults([{"method": "GET", "path": "/v1/ping", "mode": "respond", "status": 500, "times": None,
                          "probability": 0.5}], seed=seed)
    return [emulator.api("GET", "/ping").status_code for _ in range(30)]


def test_probability_with_a_seed_is_reproducible(emulator: Emulator) -> None:
    first, second, other = _pattern(emulator, 7), _pattern(emulator, 7), _pattern(emulator, 8)
    assert first == second
    assert set(first) == {200, 500}
    assert first != other


@pytest.mark.parametrize("probability", [0.0, 1.0])
def test_probability_extremes(emulator: Emulator, probability: float) -> None:
    emulator.set_faults([{"method": "GET", "path": "/v1/ping", "mode": "respond", "status": 500, "times": None,
                          "probability": probability}])
    statuses = {emulator.api("GET", "/ping").status_code for _ in range(10)}
    assert statuses == ({500} if probability == 1.0 else {200})


def test_failed_draws_do_not_consume_uses(emulator: Emulator) -> None:
    emulator.set_faults([{"method": "GET", "path": "/v1/ping", "mode": "respond", "status": 500, "times": 3,
                          "probability": 0.3}], seed=1)
    statuses = [emulator.api("GET", "/ping").status_code for _ in range(60)]
    assert statuses.count(500) == 3


def test_template_rule_matches_only_its_route(emulator: Emulator, make_source: MakeSource) -> None:
    source = make_source()
    plan = emulator.api("POST", "/plans", json={**PLAN, "data_source_uuid": source["uuid"]}).json()
    emulator.set_faults([{"method": "GET", "path": "/v1/plans/{uuid}", "mode": "respond", "status": 500,
                          "times": None}])
    assert emulator.api("GET", f"/plans/{plan['uuid']}").status_code == 500
    assert emulator.api("GET", "/plans/pl_unknown").status_code == 500
    assert emulator.api("GET", "/plans").status_code == 200
    assert emulator.api("PATCH", f"/plans/{plan['uuid']}", json={}).status_code == 202
    assert emulator.api("GET", f"/data_sources/{source['uuid']}").status_code == 200


def test_path_rule_matches_by_prefix(emulator: Emulator, make_source: MakeSource) -> None:
    source = make_source()
    plan = emulator.api("POST", "/plans", json={**PLAN, "data_source_uuid": source["uuid"]}).json()
    emulator.set_faults([{"method": "*", "path": "/v1/plans", "mode": "respond", "status": 503, "times": None}])
    assert emulator.api("GET", "/plans").status_code == 503
    assert emulator.api("GET", f"/plans/{plan['uuid']}").status_code == 503
    assert emulator.api("PATCH", f"/plans/{plan['uuid']}", json={"name": "x"}).status_code == 503
    assert emulator.api("POST", "/plans", json={}).status_code == 503
    assert emulator.api("POST", "/import/plans", json={}).status_code == 422
    assert emulator.api("GET", "/data_sources").status_code == 200


def test_concrete_path_rule_matches_one_object(emulator: Emulator, make_source: MakeSource) -> None:
    one, two = make_source("one"), make_source("two")
    emulator.set_faults([{"method": "delete", "path": f"/v1/data_sources/{one['uuid']}", "mode": "respond",
                          "status": 500, "times": None}])
    assert emulator.api("DELETE", f"/data_sources/{one['uuid']}").status_code == 500
    assert emulator.api("GET", f"/data_sources/{one['uuid']}").status_code == 200
    assert emulator.api("DELETE", f"/data_sources/{two['uuid']}").status_code == 204


def test_first_matching_rule_wins_and_used_up_rules_are_skipped(emulator: Emulator) -> None:
    emulator.set_faults([
        {"method": "GET", "path": "/v1/ping", "mode": "respond", "status": 502, "times": 1},
        {"method": "GET", "path": "/v1/", "mode": "respond", "status": 504, "times": 1},
    ])
    assert [emulator.api("GET", "/ping").status_code for _ in range(3)] == [502, 504, 200]


def test_posting_rules_replaces_the_previous_ones(emulator: Emulator) -> None:
    emulator.set_faults([{"method": "GET", "path": "/v1/ping", "mode": "respond", "status": 500, "times": None}])
    emulator.set_faults([{"method": "GET", "path": "/v1/plans", "mode": "respond", "status": 500}])
    assert emulator.api("GET", "/ping").status_code == 200
    assert emulator.api("GET", "/plans").status_code == 500


def test_delete_clears_the_rules(emulator: Emulator) -> None:
    emulator.set_faults([{"method": "*", "path": "/v1/", "mode": "respond", "status": 500, "times": None}])
    assert emulator.api("GET", "/ping").status_code == 500
    response = requests.delete(f"{emulator.base}/_emulator/faults", timeout=10)
    assert response.status_code == 200
    assert response.json() == {"seed": None, "rules": []}
    assert _faults(emulator) == {"seed": None, "rules": []}
    assert emulator.api("GET", "/ping").status_code == 200


def test_reset_clears_the_rules_too(emulator: Emulator) -> None:
    emulator.set_faults([{"method": "*", "path": "/v1/", "mode": "respond", "status": 500, "times": None}])
    emulator.reset()
    assert _faults(emulator)["rules"] == []
    assert emulator.api("GET", "/ping").status_code == 200


def test_admin_routes_are_never_faulted(emulator: Emulator) -> None:
    emulator.set_faults([{"method": "*", "path": "/", "mode": "respond", "status": 500, "times": None}])
    assert requests.get(f"{emulator.base}/_emulator/stats", timeout=10).status_code == 200
    assert emulator.api("GET", "/ping").status_code == 500
    emulator.clear_faults()


def test_the_posted_seed_is_reported_back(emulator: Emulator) -> None:
    rules = [{"method": "GET", "path": "/v1/ping", "mode": "respond", "probability": 0.5}]
    posted = requests.post(f"{emulator.base}/_emulator/faults", timeout=10, json={"seed": 7, "rules": rules})
    assert posted.json()["seed"] == 7
    assert _faults(emulator)["seed"] == 7
    emulator.clear_faults()
    assert _faults(emulator)["seed"] is None
