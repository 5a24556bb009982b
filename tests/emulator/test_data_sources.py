"""``/v1/data_sources``: create, list, retrieve, delete, and the absent update (docs/emulator.md, "Data sources")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from testkit.emulator import Emulator
from tests.emulator.expected import (
    DS_UUID,
    ISO_MS_UTC,
    JSON,
    RAILS_JSON,
    MakePlan,
    MakeSource,
    assert_empty_204,
    assert_json,
    assert_route_not_found,
)

NAME_REQUIRED = {"errors": {"name": "A name is required for each data source."}}
NAME_TAKEN = {"errors": {"name": "Has already been taken."}}
NOT_FOUND = {"error": "Data source not found"}

PROCESSING_STATUS = {"processed": 0, "pending": 0, "failed": 0}
AUTO_CHURN = {"enabled": False, "interval": None}
INVOICE_RULES = {
    "create_subscription_when_invoice_is": "open",
    "update_subscription_when_invoice_is": "open",
    "prevent_subscription_for_invoice_voided": False,
    "prevent_subscription_for_invoice_refunded": False,
    "prevent_subscription_for_invoice_written_off": False,
}
INVOICE_HANDLING = {"manual": INVOICE_RULES, "automatic": INVOICE_RULES}
EXTRAS = {
    "with_processing_status": ("processing_status", PROCESSING_STATUS),
    "with_auto_churn_subscription_setting": ("auto_churn_subscription_setting", AUTO_CHURN),
    "with_invoice_handling_setting": ("invoice_handling_setting", INVOICE_HANDLING),
}


def test_create_answers_201_with_the_five_field_object(emulator: Emulator) -> None:
    before = datetime.now(UTC)
    response = emulator.api("POST", "/data_sources", json={"name": "Test Data Source"})
    after = datetime.now(UTC)

    assert response.status_code == 201
    assert response.headers["content-type"] == JSON
    body = response.json()
    assert list(body) == ["uuid", "name", "system", "created_at", "status"]
    assert DS_UUID.match(body["uuid"]), body["uuid"]
    assert ISO_MS_UTC.match(body["created_at"]), body["created_at"]
    created = datetime.strptime(body["created_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    assert before - timedelta(milliseconds=1) <= created <= after
    assert body == {
        "uuid": body["uuid"],
        "name": "Test Data Source",
        "system": "Custom",
        "created_at": body["created_at"],
        "status": "idle",
    }


def test_create_ignores_extra_fields(emulator: Emulator) -> None:
    # GO's CreateDataSourceWithSystem sends "system"; whether the server honours it is unknown, the emulator
    # (like the docs) only creates custom sources.
    response = emulator.api("POST", "/data_sources", json={"name": "Go style", "system": "Stripe", "foo": 1})
    assert response.status_code == 201
    assert response.json()["system"] == "Custom"


@pytest.mark.parametrize("body", [{}, {"nam": "typo"}], ids=["empty", "other-key"])
def test_create_without_name_is_the_gateway_400(emulator: Emulator, body: dict[str, Any]) -> None:
    response = emulator.api("POST", "/data_sources", json=body)
    assert_json(response, 400, {"code": 400, "message": 'Parameter "name" is missing', "param": "name"})


def test_create_with_no_body_at_all_is_the_gateway_400(emulator: Emulator) -> None:
    response = emulator.api("POST", "/data_sources")
    assert_json(response, 400, {"code": 400, "message": 'Parameter "name" is missing', "param": "name"})


@pytest.mark.parametrize("name", [None, "", "   ", "\t\n", 42, ["a"]], ids=repr)
def test_create_with_unusable_name_is_422(emulator: Emulator, name: object) -> None:
    assert_json(emulator.api("POST", "/data_sources", json={"name": name}), 422, NAME_REQUIRED)
    assert_json(emulator.api("GET", "/data_sources"), 200, {"data_sources": []})


def test_duplicate_name_is_422_and_freed_by_delete(emulator: Emulator, make_source: MakeSource) -> None:
    first = make_source("testing")
    assert_json(emulator.api("POST", "/data_sources", json={"name": "testing"}), 422, NAME_TAKEN)
    # Names are compared exactly: a different case or surrounding space is another name.
    assert emulator.api("POST", "/data_sources", json={"name": "Testing"}).status_code == 201
    assert_empty_204(emulator.api("DELETE", f"/data_sources/{first['uuid']}"))
    # GO fixtures re-create "testing" after deleting it: uniqueness is among existing sources only.
    again = emulator.api("POST", "/data_sources", json={"name": "testing"})
    assert again.status_code == 201
    assert again.json()["uuid"] != first["uuid"]


def test_list_is_unpaginated_and_in_creation_order(emulator: Emulator, make_source: MakeSource) -> None:
    assert_json(emulator.api("GET", "/data_sources"), 200, {"data_sources": []})
    sources = [make_source(f"s{i}") for i in range(3)]
    assert_json(emulator.api("GET", "/data_sources"), 200, {"data_sources": sources})


def test_list_filters_by_exact_name_and_system(emulator: Emulator, make_source: MakeSource) -> None:
    alpha, beta = make_source("alpha"), make_source("beta")
    assert_json(emulator.api("GET", "/data_sources", params={"name": "alpha"}), 200, {"data_sources": [alpha]})
    assert_json(emulator.api("GET", "/data_sources", params={"name": "alph"}), 200, {"data_sources": []})
    assert_json(emulator.api("GET", "/data_sources", params={"system": "Custom"}), 200,
                {"data_sources": [alpha, beta]})
    # system is case-sensitive (MCP tool text).
    assert_json(emulator.api("GET", "/data_sources", params={"system": "custom"}), 200, {"data_sources": []})
    assert_json(emulator.api("GET", "/data_sources", params={"system": "Stripe"}), 200, {"data_sources": []})
    assert_json(emulator.api("GET", "/data_sources", params={"name": "beta", "system": "Custom"}), 200,
                {"data_sources": [beta]})


@pytest.mark.parametrize("flag", sorted(EXTRAS))
def test_each_with_flag_adds_only_its_object(emulator: Emulator, make_source: MakeSource, flag: str) -> None:
    source = make_source("flags")
    key, value = EXTRAS[flag]
    expected = {**source, key: value}
    assert_json(emulator.api("GET", "/data_sources", params={flag: "true"}), 200, {"data_sources": [expected]})
    assert_json(emulator.api("GET", f"/data_sources/{source['uuid']}", params={flag: "true"}), 200, expected)
    # The Python SDK sends "false" for a False flag: nothing is added.
    assert_json(emulator.api("GET", "/data_sources", params={flag: "false"}), 200, {"data_sources": [source]})
    assert_json(emulator.api("GET", f"/data_sources/{source['uuid']}", params={flag: "false"}), 200, source)


def test_all_with_flags_together(emulator: Emulator, make_source: MakeSource) -> None:
    source = make_source("all flags")
    flags = dict.fromkeys(EXTRAS, "true")
    expected = {**source, **{key: value for key, value in EXTRAS.values()}}
    assert_json(emulator.api("GET", "/data_sources", params=flags), 200, {"data_sources": [expected]})
    assert_json(emulator.api("GET", f"/data_sources/{source['uuid']}", params=flags), 200, expected)


def test_objects_appear_only_when_asked(emulator: Emulator, make_source: MakeSource) -> None:
    source = make_source("plain")
    for key in ("processing_status", "auto_churn_subscription_setting", "invoice_handling_setting"):
        assert key not in emulator.api("GET", f"/data_sources/{source['uuid']}").json()
        assert key not in emulator.api("GET", "/data_sources").json()["data_sources"][0]


def test_retrieve_returns_the_object(emulator: Emulator, make_source: MakeSource) -> None:
    source = make_source("retrieve me")
    assert_json(emulator.api("GET", f"/data_sources/{source['uuid']}"), 200, source)
    # RB sends a JSON "{}" body with Content-Type on this GET; the server accepts it.
    assert_json(emulator.api("GET", f"/data_sources/{source['uuid']}", json={}), 200, source)


def test_retrieve_unknown_is_404(emulator: Emulator) -> None:
    assert_json(emulator.api("GET", "/data_sources/ds_00000000-0000-4000-8000-000000000000"), 404, NOT_FOUND)
    assert_json(emulator.api("GET", "/data_sources/not-even-a-uuid"), 404, NOT_FOUND)


def test_delete_answers_204_and_the_source_is_gone(emulator: Emulator, make_source: MakeSource) -> None:
    keep, gone = make_source("keep"), make_source("gone")
    assert_empty_204(emulator.api("DELETE", f"/data_sources/{gone['uuid']}"))
    assert_json(emulator.api("GET", "/data_sources"), 200, {"data_sources": [keep]})
    assert_json(emulator.api("GET", f"/data_sources/{gone['uuid']}"), 404, NOT_FOUND)
    assert_json(emulator.api("DELETE", f"/data_sources/{gone['uuid']}"), 404, NOT_FOUND)


def test_delete_unknown_is_404(emulator: Emulator) -> None:
    assert_json(emulator.api("DELETE", "/data_sources/ds_00000000-0000-4000-8000-000000000000"), 404, NOT_FOUND)


def test_deleting_a_source_deletes_its_plans(
    emulator: Emulator, make_source: MakeSource, make_plan: MakePlan
) -> None:
    doomed, other = make_source("doomed"), make_source("other")
    doomed_plans = [make_plan(doomed["uuid"], external_id=f"d{i}") for i in range(3)]
    survivor = make_plan(other["uuid"], external_id="d0")

    assert_empty_204(emulator.api("DELETE", f"/data_sources/{doomed['uuid']}"))

    for plan in doomed_plans:
        assert_json(emulator.api("GET", f"/plans/{plan['uuid']}"), 404, {"error": "Plan not found"}, RAILS_JSON)
    listed = emulator.api("GET", "/plans", params={"data_source_uuid": doomed["uuid"]}).json()
    assert listed["plans"] == []
    everything = emulator.api("GET", "/plans").json()["plans"]
    assert [plan["uuid"] for plan in everything] == [survivor["uuid"]]
    # A new source with the old name starts empty.
    reborn = make_source("doomed")
    assert emulator.api("GET", "/plans", params={"data_source_uuid": reborn["uuid"]}).json()["plans"] == []


@pytest.mark.parametrize("method", ["PATCH", "PUT", "POST"])
def test_there_is_no_update_route(emulator: Emulator, make_source: MakeSource, method: str) -> None:
    source = make_source("immutable")
    assert_route_not_found(emulator.api(method, f"/data_sources/{source['uuid']}", json={"name": "renamed"}))
    assert_json(emulator.api("GET", f"/data_sources/{source['uuid']}"), 200, source)
