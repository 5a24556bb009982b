"""``/v1/plan_groups``: create (200), retrieve, update (membership replaced), delete, both listings, 422 and 404
bodies, and what deleting a member plan or its data source does (docs/emulator.md, "Plan groups")."""

from __future__ import annotations

import re
from typing import Any

import pytest

from testkit.emulator import Emulator
from tests.emulator.expected import RAILS_JSON, MakePlan, MakeSource, assert_empty_204, assert_json

PLG_UUID = re.compile(r"^plg_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
# Byte for byte the body chartmogul-ruby recorded for POST /v1/plan_groups with {} (2023-10-30).
EMPTY_CREATE_422 = (b'{"name":["Name can\'t be blank"],"plan_ids":["Plan ids can\'t be blank"],'
                    b'"error_details":[{"param":"name","code":"blank","message":"Name can\'t be blank"},'
                    b'{"param":"plan_ids","code":"blank","message":"Plan ids can\'t be blank"}]}')
NOT_FOUND = {"error": "Plan group not found"}
INVALID_PLANS = {"plan_ids": ["Plan ids are invalid"],
                 "error_details": [{"param": "plan_ids", "code": "invalid", "message": "Plan ids are invalid"}]}
MISSING_GROUP = "plg_00000000-0000-4000-8000-000000000000"


@pytest.fixture
def plans(make_source: MakeSource, make_plan: MakePlan) -> list[dict[str, Any]]:
    """Four plans in two data sources."""
    one, two = make_source("one"), make_source("two")
    return [make_plan(one["uuid"], external_id="a"), make_plan(one["uuid"], external_id="b"),
            make_plan(two["uuid"], external_id="c"), make_plan(two["uuid"], external_id="d")]


def _create(emulator: Emulator, name: str, plan_uuids: list[str]) -> dict[str, Any]:
    response = emulator.api("POST", "/plan_groups", json={"name": name, "plans": plan_uuids})
    assert response.status_code == 200, response.text
    return dict(response.json())


def _members(emulator: Emulator, uuid: str) -> list[str]:
    response = emulator.api("GET", f"/plan_groups/{uuid}/plans")
    assert response.status_code == 200, response.text
    return [plan["uuid"] for plan in response.json()["plans"]]


def test_create_answers_200_with_the_group(emulator: Emulator, plans: list[dict[str, Any]]) -> None:
    response = emulator.api("POST", "/plan_groups", json={"name": "Mixed", "plans": [plans[0]["uuid"],
                                                                                      plans[2]["uuid"]]})
    assert response.status_code == 200
    assert response.headers["content-type"] == RAILS_JSON
    group = response.json()
    assert list(group) == ["name", "uuid", "plans_count"]
    assert PLG_UUID.match(group["uuid"]), group["uuid"]
    assert group == {"name": "Mixed", "uuid": group["uuid"], "plans_count": 2}
    assert_json(emulator.api("GET", f"/plan_groups/{group['uuid']}"), 200, group, RAILS_JSON)
    # Plans of several data sources, as full plan objects.
    listed = emulator.api("GET", f"/plan_groups/{group['uuid']}/plans").json()["plans"]
    assert listed == [plans[0], plans[2]]


def test_duplicates_in_plans_count_once(emulator: Emulator, plans: list[dict[str, Any]]) -> None:
    group = _create(emulator, "Twice", [plans[1]["uuid"], plans[1]["uuid"]])
    assert group["plans_count"] == 1
    assert _members(emulator, group["uuid"]) == [plans[1]["uuid"]]


def test_empty_create_is_the_recorded_422(emulator: Emulator) -> None:
    for body in ({}, {"name": " ", "plans": []}, {"name": None, "plans": None}):
        response = emulator.api("POST", "/plan_groups", json=body)
        assert response.status_code == 422
        assert response.headers["content-type"] == RAILS_JSON
        assert response.content == EMPTY_CREATE_422
    assert emulator.api("GET", "/plan_groups").json()["plan_groups"] == []


def test_unknown_or_malformed_plans_are_422_on_plan_ids(emulator: Emulator, plans: list[dict[str, Any]]) -> None:
    for members in ([plans[0]["uuid"], "pl_00000000-0000-4000-8000-000000000000"], [3], "pl_x"):
        response = emulator.api("POST", "/plan_groups", json={"name": "Bad", "plans": members})
        if isinstance(members, str):
            assert response.json()["plan_ids"] == ["Plan ids can't be blank"]
        else:
            assert_json(response, 422, INVALID_PLANS, RAILS_JSON)
    assert emulator.api("GET", "/plan_groups").json()["plan_groups"] == []


def test_patch_replaces_the_membership_and_a_name_only_patch_keeps_it(emulator: Emulator,
                                                                      plans: list[dict[str, Any]]) -> None:
    group = _create(emulator, "Before", [plans[0]["uuid"]])
    both = [plans[1]["uuid"], plans[3]["uuid"]]
    response = emulator.api("PATCH", f"/plan_groups/{group['uuid']}", json={"name": "After", "plans": both})
    assert_json(response, 200, {"name": "After", "uuid": group["uuid"], "plans_count": 2}, RAILS_JSON)
    assert _members(emulator, group["uuid"]) == both

    renamed = emulator.api("PATCH", f"/plan_groups/{group['uuid']}", json={"name": "Renamed"})
    assert_json(renamed, 200, {"name": "Renamed", "uuid": group["uuid"], "plans_count": 2}, RAILS_JSON)
    assert _members(emulator, group["uuid"]) == both
    moved = emulator.api("PATCH", f"/plan_groups/{group['uuid']}", json={"plans": [plans[2]["uuid"]]})
    assert moved.json() == {"name": "Renamed", "uuid": group["uuid"], "plans_count": 1}
    assert _members(emulator, group["uuid"]) == [plans[2]["uuid"]]


def test_invalid_patch_changes_nothing(emulator: Emulator, plans: list[dict[str, Any]]) -> None:
    group = _create(emulator, "Kept", [plans[0]["uuid"]])
    blank = emulator.api("PATCH", f"/plan_groups/{group['uuid']}", json={"name": "", "plans": []})
    assert blank.status_code == 422
    assert blank.content == EMPTY_CREATE_422
    unknown = emulator.api("PATCH", f"/plan_groups/{group['uuid']}",
                           json={"name": "New", "plans": ["pl_00000000-0000-4000-8000-000000000000"]})
    assert_json(unknown, 422, INVALID_PLANS, RAILS_JSON)
    assert emulator.api("GET", f"/plan_groups/{group['uuid']}").json() == group
    assert _members(emulator, group["uuid"]) == [plans[0]["uuid"]]


def test_delete_and_404s(emulator: Emulator, plans: list[dict[str, Any]]) -> None:
    group = _create(emulator, "Gone soon", [plans[0]["uuid"]])
    assert_empty_204(emulator.api("DELETE", f"/plan_groups/{group['uuid']}"))
    for method, path, body in [("GET", f"/plan_groups/{group['uuid']}", None),
                               ("GET", f"/plan_groups/{group['uuid']}/plans", None),
                               ("PATCH", f"/plan_groups/{group['uuid']}", {"name": "x"}),
                               ("DELETE", f"/plan_groups/{group['uuid']}", None),
                               ("GET", f"/plan_groups/{MISSING_GROUP}", None)]:
        assert_json(emulator.api(method, path, json=body), 404, NOT_FOUND, RAILS_JSON)
    # The plan itself is untouched.
    assert emulator.api("GET", f"/plans/{plans[0]['uuid']}").status_code == 200


def test_deleting_a_member_plan_or_its_data_source_removes_it_from_the_group(
        emulator: Emulator, plans: list[dict[str, Any]]) -> None:
    """The emulator's choice (no recording shows it): the plan leaves every group, the group stays."""
    group = _create(emulator, "Shrinking", [p["uuid"] for p in plans])
    other = _create(emulator, "Other", [plans[0]["uuid"]])
    assert_empty_204(emulator.api("DELETE", f"/plans/{plans[0]['uuid']}"))
    assert emulator.api("GET", f"/plan_groups/{group['uuid']}").json()["plans_count"] == 3
    assert _members(emulator, group["uuid"]) == [p["uuid"] for p in plans[1:]]
    # Emptied, but still there.
    assert emulator.api("GET", f"/plan_groups/{other['uuid']}").json() == {**other, "plans_count": 0}
    assert _members(emulator, other["uuid"]) == []

    assert_empty_204(emulator.api("DELETE", f"/data_sources/{plans[2]['data_source_uuid']}"))
    assert emulator.api("GET", f"/plan_groups/{group['uuid']}").json()["plans_count"] == 1
    assert _members(emulator, group["uuid"]) == [plans[1]["uuid"]]


def test_group_listing_pages_by_cursor_and_by_number(emulator: Emulator, plans: list[dict[str, Any]]) -> None:
    groups = [_create(emulator, f"g{i}", [plans[i % 4]["uuid"]]) for i in range(5)]
    first = emulator.api("GET", "/plan_groups", params={"per_page": 2})
    assert first.headers["content-type"] == RAILS_JSON
    body = first.json()
    assert set(body) == {"plan_groups", "current_page", "total_pages", "cursor", "has_more"}
    assert (body["current_page"], body["total_pages"], body["has_more"]) == (1, 3, True)
    walked = body["plan_groups"]
    while body["has_more"]:
        body = emulator.api("GET", "/plan_groups", params={"per_page": 2, "cursor": body["cursor"]}).json()
        assert set(body) == {"plan_groups", "cursor", "has_more"}
        walked += body["plan_groups"]
    assert walked == groups
    numbered = emulator.api("GET", "/plan_groups", params={"per_page": 2, "page": 3}).json()
    assert numbered == {"plan_groups": [groups[4]], "current_page": 3, "total_pages": 3}


def test_group_plans_page_by_cursor(emulator: Emulator, plans: list[dict[str, Any]]) -> None:
    group = _create(emulator, "All", [p["uuid"] for p in reversed(plans)])
    _create(emulator, "Noise", [plans[0]["uuid"]])
    body = emulator.api("GET", f"/plan_groups/{group['uuid']}/plans", params={"per_page": 3}).json()
    assert (body["current_page"], body["total_pages"], body["has_more"]) == (1, 2, True)
    rest = emulator.api("GET", f"/plan_groups/{group['uuid']}/plans",
                        params={"per_page": 3, "cursor": body["cursor"]}).json()
    assert set(rest) == {"plans", "cursor", "has_more"}
    # As recorded (ChartMogul_PlanGroups_Plans, 2023-10): the last page has has_more false and a cursor.
    assert rest["has_more"] is False
    assert isinstance(rest["cursor"], str) and rest["cursor"]
    # Listed in plan creation order, whatever the order they were sent in.
    assert body["plans"] + rest["plans"] == plans


def test_reset_removes_plan_groups(emulator: Emulator, plans: list[dict[str, Any]]) -> None:
    group = _create(emulator, "Reset me", [plans[0]["uuid"]])
    emulator.reset()
    assert_json(emulator.api("GET", f"/plan_groups/{group['uuid']}"), 404, NOT_FOUND, RAILS_JSON)
    assert emulator.api("GET", "/plan_groups").json()["plan_groups"] == []
