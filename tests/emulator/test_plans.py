"""``/v1/plans`` and the legacy ``/v1/import/plans``: create, retrieve, update, delete (docs/emulator.md, "Plans")."""

from __future__ import annotations

from typing import Any

import pytest

from testkit.emulator import Emulator
from tests.emulator.expected import (
    PL_UUID,
    RAILS_JSON,
    MakePlan,
    MakeSource,
    assert_empty_204,
    assert_json,
)

NAME = "A unique name is required for each plan."
COUNT_NAN = "is not a number"
COUNT_NOT_INTEGER = "must be an integer"
COUNT_NOT_POSITIVE = "must be greater than 0"
UNIT = "Only 'day', 'month' or 'year' are valid values for interval_unit."
SOURCE = "A valid data source UUID is required for each plan."
EXTERNAL_ID_TAKEN = {"errors": {"external_id": "A plan with this identifier already exists in our system."}}
NOT_FOUND = {"error": "Plan not found"}
MISSING_PLAN = "pl_00000000-0000-4000-8000-000000000000"


@pytest.fixture
def source(make_source: MakeSource) -> dict[str, Any]:
    return make_source("plans live here")


def _plan_body(data_source_uuid: str, **fields: Any) -> dict[str, Any]:
    return {"data_source_uuid": data_source_uuid, "name": "Gold", "interval_count": 1, "interval_unit": "month",
            **fields}


@pytest.mark.parametrize("path", ["/plans", "/import/plans"])
def test_create_answers_201_with_the_plan(emulator: Emulator, source: dict[str, Any], path: str) -> None:
    response = emulator.api("POST", path, json=_plan_body(source["uuid"], name="Gold Monthly", interval_count=3,
                                                         interval_unit="day", external_id="gold_monthly"))
    assert response.status_code == 201
    assert response.headers["content-type"] == RAILS_JSON
    plan = response.json()
    assert PL_UUID.match(plan["uuid"]), plan["uuid"]
    assert plan == {
        "uuid": plan["uuid"],
        "data_source_uuid": source["uuid"],
        "name": "Gold Monthly",
        "interval_count": 3,
        "interval_unit": "day",
        "external_id": "gold_monthly",
    }
    assert_json(emulator.api("GET", f"/plans/{plan['uuid']}"), 200, plan, RAILS_JSON)


@pytest.mark.parametrize("path", ["/plans", "/import/plans"])
def test_omitted_external_id_is_the_uuid_without_prefix(emulator: Emulator, source: dict[str, Any],
                                                        path: str) -> None:
    response = emulator.api("POST", path, json=_plan_body(source["uuid"]))
    assert response.status_code == 201
    plan = response.json()
    assert plan["external_id"] == plan["uuid"].removeprefix("pl_")
    assert not plan["external_id"].startswith("pl_")


@pytest.mark.parametrize("unit", ["day", "month", "year"])
def test_each_interval_unit_is_accepted(emulator: Emulator, source: dict[str, Any], unit: str) -> None:
    response = emulator.api("POST", "/plans", json=_plan_body(source["uuid"], interval_unit=unit))
    assert response.status_code == 201
    assert response.json()["interval_unit"] == unit


def test_integer_string_interval_count_is_coerced(emulator: Emulator, source: dict[str, Any]) -> None:
    # Rails numericality accepts "12" and stores 12.
    response = emulator.api("POST", "/plans", json=_plan_body(source["uuid"], interval_count="12"))
    assert response.status_code == 201
    assert response.json()["interval_count"] == 12


def test_empty_body_reports_every_required_field_at_once(emulator: Emulator) -> None:
    response = emulator.api("POST", "/plans", json={})
    assert_json(response, 422, {"errors": {"name": NAME, "interval_count": COUNT_NAN, "interval_unit": UNIT,
                                           "data_source_uuid": SOURCE}}, RAILS_JSON)


def test_all_failing_fields_are_reported_in_one_422(emulator: Emulator) -> None:
    response = emulator.api("POST", "/import/plans", json={
        "data_source_uuid": "ds_00000000-0000-4000-8000-000000000000",
        "name": "  ",
        "interval_count": "three",
        "interval_unit": "week",
    })
    assert_json(response, 422, {"errors": {"name": NAME, "interval_count": COUNT_NAN, "interval_unit": UNIT,
                                           "data_source_uuid": SOURCE}}, RAILS_JSON)
    assert emulator.api("GET", "/plans").json()["plans"] == []


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"name": None}, {"name": NAME}),
        ({"name": ""}, {"name": NAME}),
        ({"interval_count": None}, {"interval_count": COUNT_NAN}),
        ({"interval_count": True}, {"interval_count": COUNT_NAN}),
        ({"interval_count": "1.5"}, {"interval_count": COUNT_NOT_INTEGER}),
        ({"interval_count": 1.5}, {"interval_count": COUNT_NOT_INTEGER}),
        ({"interval_count": 0}, {"interval_count": COUNT_NOT_POSITIVE}),
        ({"interval_count": -2}, {"interval_count": COUNT_NOT_POSITIVE}),
        ({"interval_unit": "Month"}, {"interval_unit": UNIT}),
        ({"interval_unit": "week"}, {"interval_unit": UNIT}),
        ({"interval_unit": None}, {"interval_unit": UNIT}),
        ({"data_source_uuid": None}, {"data_source_uuid": SOURCE}),
        ({"data_source_uuid": "ds_00000000-0000-4000-8000-000000000000"}, {"data_source_uuid": SOURCE}),
        ({"name": "", "interval_unit": "quarter"}, {"name": NAME, "interval_unit": UNIT}),
    ],
    ids=repr,
)
def test_each_invalid_field_is_named(emulator: Emulator, source: dict[str, Any], fields: dict[str, Any],
                                     errors: dict[str, str]) -> None:
    response = emulator.api("POST", "/plans", json={**_plan_body(source["uuid"]), **fields})
    assert_json(response, 422, {"errors": errors}, RAILS_JSON)
    assert emulator.api("GET", "/plans").json()["plans"] == []


def test_duplicate_external_id_in_one_source_is_422(emulator: Emulator, source: dict[str, Any],
                                                    make_plan: MakePlan) -> None:
    first = make_plan(source["uuid"], external_id="gold")
    again = emulator.api("POST", "/plans", json=_plan_body(source["uuid"], name="Other", external_id="gold"))
    assert_json(again, 422, EXTERNAL_ID_TAKEN, RAILS_JSON)
    legacy = emulator.api("POST", "/import/plans", json=_plan_body(source["uuid"], external_id="gold"))
    assert_json(legacy, 422, EXTERNAL_ID_TAKEN, RAILS_JSON)
    assert emulator.api("GET", "/plans").json()["plans"] == [first]


def test_duplicate_external_id_is_reported_with_other_errors(emulator: Emulator, source: dict[str, Any],
                                                            make_plan: MakePlan) -> None:
    make_plan(source["uuid"], external_id="gold")
    response = emulator.api("POST", "/plans", json=_plan_body(source["uuid"], name="", external_id="gold"))
    assert_json(response, 422, {"errors": {"name": NAME, "external_id": EXTERNAL_ID_TAKEN["errors"]["external_id"]}},
                RAILS_JSON)


def test_same_external_id_in_another_source_is_allowed(emulator: Emulator, make_source: MakeSource,
                                                       make_plan: MakePlan) -> None:
    one, two = make_source("one"), make_source("two")
    first = make_plan(one["uuid"], external_id="shared")
    second = make_plan(two["uuid"], external_id="shared")
    assert first["uuid"] != second["uuid"]
    assert (first["external_id"], second["external_id"]) == ("shared", "shared")


def test_generated_external_id_counts_for_uniqueness(emulator: Emulator, source: dict[str, Any],
                                                     make_plan: MakePlan) -> None:
    generated = make_plan(source["uuid"])
    again = emulator.api("POST", "/plans", json=_plan_body(source["uuid"], external_id=generated["external_id"]))
    assert_json(again, 422, EXTERNAL_ID_TAKEN, RAILS_JSON)


def test_same_name_twice_in_one_source_is_allowed(emulator: Emulator, source: dict[str, Any],
                                                  make_plan: MakePlan) -> None:
    # Name uniqueness is not evidenced by any recording; the emulator does not enforce it.
    make_plan(source["uuid"], name="Gold", external_id="a")
    make_plan(source["uuid"], name="Gold", external_id="b")


def test_retrieve_unknown_is_404(emulator: Emulator) -> None:
    assert_json(emulator.api("GET", f"/plans/{MISSING_PLAN}"), 404, NOT_FOUND, RAILS_JSON)


def test_patch_answers_202_with_the_full_updated_plan(emulator: Emulator, source: dict[str, Any],
                                                      make_plan: MakePlan) -> None:
    plan = make_plan(source["uuid"], name="Gold", interval_count=1, interval_unit="month", external_id="gold")
    response = emulator.api("PATCH", f"/plans/{plan['uuid']}",
                            json={"name": "Gold Yearly", "interval_count": 2, "interval_unit": "year"})
    updated = {**plan, "name": "Gold Yearly", "interval_count": 2, "interval_unit": "year"}
    assert_json(response, 202, updated, RAILS_JSON)
    assert response.headers["cache-control"] == "no-cache"
    assert_json(emulator.api("GET", f"/plans/{plan['uuid']}"), 200, updated, RAILS_JSON)


def test_patch_changes_only_the_given_fields(emulator: Emulator, source: dict[str, Any],
                                             make_plan: MakePlan) -> None:
    plan = make_plan(source["uuid"], external_id="gold")
    response = emulator.api("PATCH", f"/plans/{plan['uuid']}", json={"interval_count": 6})
    assert_json(response, 202, {**plan, "interval_count": 6}, RAILS_JSON)
    assert_json(emulator.api("PATCH", f"/plans/{plan['uuid']}", json={}), 202, {**plan, "interval_count": 6},
                RAILS_JSON)


def test_patch_ignores_changes_to_other_fields(emulator: Emulator, make_source: MakeSource,
                                               make_plan: MakePlan) -> None:
    home, elsewhere = make_source("home"), make_source("elsewhere")
    plan = make_plan(home["uuid"], external_id="gold")
    # RB's instance update! sends all five writable fields; the unmodifiable ones are accepted and ignored.
    response = emulator.api("PATCH", f"/plans/{plan['uuid']}", json={
        "name": "Renamed", "external_id": "changed", "data_source_uuid": elsewhere["uuid"],
        "uuid": "pl_other", "foo": "bar",
    })
    assert_json(response, 202, {**plan, "name": "Renamed"}, RAILS_JSON)
    assert_json(emulator.api("GET", f"/plans/{plan['uuid']}"), 200, {**plan, "name": "Renamed"}, RAILS_JSON)


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"interval_unit": "fortnight"}, {"interval_unit": UNIT}),
        ({"interval_count": 0}, {"interval_count": COUNT_NOT_POSITIVE}),
        ({"interval_count": "x"}, {"interval_count": COUNT_NAN}),
        ({"name": " "}, {"name": NAME}),
        ({"name": None, "interval_unit": "week", "interval_count": 2}, {"name": NAME, "interval_unit": UNIT}),
    ],
    ids=repr,
)
def test_invalid_patch_is_422_and_changes_nothing(emulator: Emulator, source: dict[str, Any], make_plan: MakePlan,
                                                  fields: dict[str, Any], errors: dict[str, str]) -> None:
    plan = make_plan(source["uuid"])
    assert_json(emulator.api("PATCH", f"/plans/{plan['uuid']}", json=fields), 422, {"errors": errors}, RAILS_JSON)
    assert_json(emulator.api("GET", f"/plans/{plan['uuid']}"), 200, plan, RAILS_JSON)


def test_patch_unknown_is_404(emulator: Emulator) -> None:
    assert_json(emulator.api("PATCH", f"/plans/{MISSING_PLAN}", json={"name": "x"}), 404, NOT_FOUND, RAILS_JSON)


def test_delete_answers_204_and_the_plan_is_gone(emulator: Emulator, source: dict[str, Any],
                                                 make_plan: MakePlan) -> None:
    keep, gone = make_plan(source["uuid"], external_id="keep"), make_plan(source["uuid"], external_id="gone")
    assert_empty_204(emulator.api("DELETE", f"/plans/{gone['uuid']}"))
    assert_json(emulator.api("GET", f"/plans/{gone['uuid']}"), 404, NOT_FOUND, RAILS_JSON)
    assert_json(emulator.api("DELETE", f"/plans/{gone['uuid']}"), 404, NOT_FOUND, RAILS_JSON)
    assert [plan["uuid"] for plan in emulator.api("GET", "/plans").json()["plans"]] == [keep["uuid"]]
    # Deleting a plan frees its external_id and leaves its source alone.
    make_plan(source["uuid"], external_id="gone")
    assert emulator.api("GET", f"/data_sources/{source['uuid']}").status_code == 200


def test_delete_unknown_is_404(emulator: Emulator) -> None:
    assert_json(emulator.api("DELETE", f"/plans/{MISSING_PLAN}"), 404, NOT_FOUND, RAILS_JSON)

