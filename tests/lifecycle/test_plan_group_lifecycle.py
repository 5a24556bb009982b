"""The PlanGroup lifecycle through the real provider host, each step checked through the emulator's API:
create → refresh (no diff) → rename and change members in one PATCH → order and repeats never diff → drift
made by hand shows in a refresh → delete; adopt by name; check before any request; a lost create's group is
found by name."""

from __future__ import annotations

from typing import Any

import pytest

from testkit.emulator import Emulator
from testkit.engine import CheckFailed, Engine
from testkit.host import ProviderHostError, ResourceState
from testkit.inputs import plan_inputs
from testkit.providers import DATA_SOURCE, DATA_SOURCE_PROVIDER, PLAN, PLAN_GROUP, PLAN_GROUP_PROVIDER, PLAN_PROVIDER
from testkit.wire import UNKNOWN


def make_plans(engine: Engine, count: int = 4) -> list[ResourceState]:
    _, source = engine.up(DATA_SOURCE, "billing", {"name": "In-house billing", "adopt": False},
                          provider=DATA_SOURCE_PROVIDER)
    return [engine.up(PLAN, f"p{i}", plan_inputs(source.id, f"p{i}"), provider=PLAN_PROVIDER)[1]
            for i in range(count)]


def group_inputs(plans: list[str], name: str = "Self-serve", **overrides: Any) -> dict[str, Any]:
    return {"name": name, "plans": plans, "adopt": False, **overrides}


def api_group(emulator: Emulator, uuid: str) -> tuple[str, int, list[str]]:
    group = emulator.api("GET", f"/plan_groups/{uuid}").json()
    members = emulator.api("GET", f"/plan_groups/{uuid}/plans").json()["plans"]
    return group["name"], group["plans_count"], [plan["uuid"] for plan in members]


def api_groups(emulator: Emulator) -> list[dict[str, Any]]:
    return list(emulator.api("GET", "/plan_groups").json()["plan_groups"])


def test_full_lifecycle(engine: Engine, emulator: Emulator) -> None:
    p = [plan.id for plan in make_plans(engine)]
    inputs = group_inputs([p[0], p[1]])

    before = emulator.stats()["requests"]
    op, _, check = engine.preview(PLAN_GROUP, "self-serve", inputs, provider=PLAN_GROUP_PROVIDER)
    assert (op, check.failures) == ("create", [])
    assert emulator.stats()["requests"] == before

    # create: a lookup by name (nothing has it), then one POST
    op, group = engine.up(PLAN_GROUP, "self-serve", inputs, provider=PLAN_GROUP_PROVIDER)
    assert op == "create"
    assert group.id.startswith("plg_")
    assert {k: v for k, v in group.outputs.items() if k != "__provider"} == {
        **inputs, "uuid": group.id, "plans_count": 2.0}
    assert api_group(emulator, group.id) == ("Self-serve", 2, [p[0], p[1]])
    by_route = emulator.stats()["by_route"]
    assert (by_route["GET /v1/plan_groups"], by_route["POST /v1/plan_groups"]) == (1, 1)

    # refresh: the group and its members; no diff
    refreshed = engine.refresh(group)
    assert refreshed is not None
    assert refreshed.outputs["plans"] == [p[0], p[1]]
    op, diff, _ = engine.preview(PLAN_GROUP, "self-serve", inputs, provider=PLAN_GROUP_PROVIDER, prior=refreshed)
    assert op == "same"

    # order and the same set never make a diff
    op, same = engine.up(PLAN_GROUP, "self-serve", group_inputs([p[1], p[0]]), provider=PLAN_GROUP_PROVIDER,
                         prior=refreshed)
    assert op == "same"

    # rename, add two members and drop one: one PATCH
    changed = group_inputs([p[1], p[2], p[3]], name="Self-serve (all)")
    op, diff, _ = engine.preview(PLAN_GROUP, "self-serve", changed, provider=PLAN_GROUP_PROVIDER, prior=same)
    assert op == "update"
    assert diff is not None and diff.replaces == []
    op, updated = engine.up(PLAN_GROUP, "self-serve", changed, provider=PLAN_GROUP_PROVIDER, prior=same)
    assert op == "update"
    assert updated.id == group.id
    assert (updated.outputs["plans"], updated.outputs["plans_count"]) == ([p[1], p[2], p[3]], 3.0)
    assert emulator.stats()["by_route"]["PATCH /v1/plan_groups/{uuid}"] == 1
    assert api_group(emulator, group.id) == ("Self-serve (all)", 3, [p[1], p[2], p[3]])

    # drift by hand: a member removed and another added, the group renamed; refresh shows it, up restores
    emulator.api("PATCH", f"/plan_groups/{group.id}", json={"name": "Edited", "plans": [p[0], p[1], p[2]]})
    drifted = engine.refresh(updated)
    assert drifted is not None
    assert (drifted.inputs["name"], sorted(drifted.inputs["plans"])) == ("Edited", sorted([p[0], p[1], p[2]]))
    assert drifted.outputs["plans"] == [p[1], p[2], p[0]]  # the declared order first, then the newcomer
    op, restored = engine.up(PLAN_GROUP, "self-serve", changed, provider=PLAN_GROUP_PROVIDER, prior=drifted)
    assert op == "update"
    assert api_group(emulator, group.id) == ("Self-serve (all)", 3, [p[1], p[2], p[3]])

    # delete: the group goes, its plans stay
    engine.destroy(restored)
    assert api_groups(emulator) == []
    assert len(emulator.api("GET", "/plans").json()["plans"]) == 4


def test_refresh_after_an_out_of_band_delete_drops_the_group(engine: Engine, emulator: Emulator) -> None:
    p = [plan.id for plan in make_plans(engine, 1)]
    _, group = engine.up(PLAN_GROUP, "g", group_inputs(p), provider=PLAN_GROUP_PROVIDER)
    assert emulator.api("DELETE", f"/plan_groups/{group.id}").status_code == 204
    assert engine.refresh(group) is None
    engine.destroy(group)  # a delete of a group already gone is done


def test_a_member_deleted_elsewhere_shows_in_refresh(engine: Engine, emulator: Emulator) -> None:
    p = [plan.id for plan in make_plans(engine, 2)]
    _, group = engine.up(PLAN_GROUP, "g", group_inputs(p), provider=PLAN_GROUP_PROVIDER)
    assert emulator.api("DELETE", f"/plans/{p[1]}").status_code == 204
    refreshed = engine.refresh(group)
    assert refreshed is not None
    assert (refreshed.inputs["plans"], refreshed.outputs["plans_count"]) == ([p[0]], 1.0)


def test_name_taken_refuses_without_adopt_and_adopt_takes_the_one_group(engine: Engine,
                                                                         emulator: Emulator) -> None:
    p = [plan.id for plan in make_plans(engine, 3)]
    by_hand = emulator.api("POST", "/plan_groups", json={"name": "Self-serve", "plans": [p[0]]}).json()
    declared = group_inputs([p[1], p[2]])
    with pytest.raises(ProviderHostError) as caught:
        engine.up(PLAN_GROUP, "g", declared, provider=PLAN_GROUP_PROVIDER)
    assert by_hand["uuid"] in caught.value.details
    assert "adopt=True" in caught.value.details
    assert len(api_groups(emulator)) == 1

    op, adopted = engine.up(PLAN_GROUP, "g", {**declared, "adopt": True}, provider=PLAN_GROUP_PROVIDER)
    assert (op, adopted.id) == ("create", by_hand["uuid"])
    assert api_group(emulator, by_hand["uuid"]) == ("Self-serve", 2, [p[1], p[2]])
    op, _ = engine.up(PLAN_GROUP, "g", {**declared, "adopt": True}, provider=PLAN_GROUP_PROVIDER, prior=adopted)
    assert op == "same"


def test_adopt_refuses_when_several_groups_have_the_name(engine: Engine, emulator: Emulator) -> None:
    p = [plan.id for plan in make_plans(engine, 1)]
    uuids = [emulator.api("POST", "/plan_groups", json={"name": "Twin", "plans": p}).json()["uuid"]
             for _ in range(2)]
    with pytest.raises(ProviderHostError) as caught:
        engine.up(PLAN_GROUP, "g", group_inputs(p, name="Twin", adopt=True), provider=PLAN_GROUP_PROVIDER)
    assert "2 plan groups are named 'Twin'" in caught.value.details
    assert all(uuid in caught.value.details for uuid in uuids)
    assert len(api_groups(emulator)) == 2


PLAN_A = "pl_00000000-0000-4000-8000-00000000000a"


@pytest.mark.parametrize(("plans", "reason"), [
    ([], "plans: must list at least one plan"),
    (["pl_nope"], "plans[0]: must be a plan uuid"),
    ([PLAN_A, "ds_00000000-0000-4000-8000-000000000000"], "plans[1]: must be a plan uuid"),
    ([PLAN_A, PLAN_A], f"plans: lists {PLAN_A} more than once"),
    ("pl_00000000-0000-4000-8000-00000000000a", "plans: must be a list"),
])
def test_check_refuses_bad_plans_before_any_request(engine: Engine, emulator: Emulator, plans: Any,
                                                   reason: str) -> None:
    before = emulator.stats()["requests"]
    with pytest.raises(CheckFailed) as caught:
        engine.preview(PLAN_GROUP, "g", group_inputs(plans), provider=PLAN_GROUP_PROVIDER)
    [(prop, message)] = caught.value.failures
    assert prop == "plans"
    assert message.startswith(reason), message
    assert emulator.stats()["requests"] == before


def test_unknown_members_in_preview_are_skipped_and_known_ones_checked(engine: Engine, emulator: Emulator) -> None:
    op, _, check = engine.preview(PLAN_GROUP, "g", group_inputs([UNKNOWN, PLAN_A, UNKNOWN]),
                                  provider=PLAN_GROUP_PROVIDER)
    assert (op, check.failures) == ("create", [])
    assert check.inputs["plans"] == [UNKNOWN, PLAN_A, UNKNOWN]
    with pytest.raises(CheckFailed) as caught:
        engine.preview(PLAN_GROUP, "g", group_inputs([UNKNOWN, PLAN_A, PLAN_A]), provider=PLAN_GROUP_PROVIDER)
    assert "more than once" in caught.value.failures[0][1]
    op, _, check = engine.preview(PLAN_GROUP, "g", group_inputs(UNKNOWN, name=UNKNOWN),
                                  provider=PLAN_GROUP_PROVIDER)
    assert check.failures == []
    assert emulator.stats()["requests"] == 0


def test_unknown_members_in_an_update_preview_are_a_change(engine: Engine, emulator: Emulator) -> None:
    p = [plan.id for plan in make_plans(engine, 1)]
    _, group = engine.up(PLAN_GROUP, "g", group_inputs(p), provider=PLAN_GROUP_PROVIDER)
    op, diff, _ = engine.preview(PLAN_GROUP, "g", group_inputs([p[0], UNKNOWN]), provider=PLAN_GROUP_PROVIDER,
                                 prior=group)
    assert op == "update"
    assert diff is not None and diff.replaces == []
