"""The Plan lifecycle through the real provider host, each step verified through the emulator's API.

Shape of the best peer's acceptance runner: create → refresh shows no diff → update → no diff → replace →
adopt → delete; plus out-of-band delete and out-of-band drift.
"""

from __future__ import annotations

from typing import Any

import pytest

from testkit.emulator import Emulator
from testkit.engine import Engine
from testkit.host import ProviderHostError, ResourceState
from testkit.inputs import plan_inputs
from testkit.providers import DATA_SOURCE, DATA_SOURCE_PROVIDER, PLAN, PLAN_PROVIDER
from testkit.wire import UNKNOWN
from tests.lifecycle.conftest import api_plans


def make_source(engine: Engine, name: str = "In-house billing") -> ResourceState:
    _, source = engine.up(DATA_SOURCE, "billing", {"name": name, "adopt": False}, provider=DATA_SOURCE_PROVIDER)
    return source


def without_provider(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k != "__provider"}


def test_full_lifecycle(engine: Engine, emulator: Emulator) -> None:
    source = make_source(engine)
    inputs = plan_inputs(source.id)

    # preview of a new plan: check only, nothing sent to ChartMogul
    before = emulator.stats()["requests"]
    op, diff, check = engine.preview(PLAN, "bronze", inputs, provider=PLAN_PROVIDER)
    assert (op, diff, check.failures) == ("create", None, [])
    assert emulator.stats()["requests"] == before

    # create: one POST; outputs echo every input and add the uuid
    op, plan = engine.up(PLAN, "bronze", inputs, provider=PLAN_PROVIDER)
    assert op == "create"
    assert plan.id.startswith("pl_")
    assert without_provider(plan.outputs) == {**inputs, "interval_count": 1.0, "uuid": plan.id}
    assert emulator.stats()["by_route"]["POST /v1/plans"] == 1
    [live] = api_plans(emulator)
    assert live == {"uuid": plan.id, "data_source_uuid": source.id, "name": "Plan bronze", "interval_count": 1,
                    "interval_unit": "month", "external_id": "bronze"}

    # refresh: one GET, then no diff
    refreshed = engine.refresh(plan)
    assert refreshed is not None
    assert without_provider(refreshed.outputs) == without_provider(plan.outputs)
    op, diff, _ = engine.preview(PLAN, "bronze", inputs, provider=PLAN_PROVIDER, prior=refreshed)
    assert op == "same"
    assert diff is not None and diff.changes == "DIFF_NONE"

    # update in place: one PATCH, the 202 body becomes the outputs
    renamed = {**inputs, "name": "Bronze Plus", "interval_count": 3}
    op, diff, _ = engine.preview(PLAN, "bronze", renamed, provider=PLAN_PROVIDER, prior=refreshed)
    assert op == "update"
    assert diff is not None and diff.replaces == []
    op, updated = engine.up(PLAN, "bronze", renamed, provider=PLAN_PROVIDER, prior=refreshed)
    assert op == "update"
    assert updated.id == plan.id
    assert updated.outputs["name"] == "Bronze Plus"
    assert emulator.stats()["by_route"]["PATCH /v1/plans/{uuid}"] == 1
    [live] = api_plans(emulator)
    assert (live["name"], live["interval_count"]) == ("Bronze Plus", 3)

    # no diff after the update
    op, _ = engine.up(PLAN, "bronze", renamed, provider=PLAN_PROVIDER, prior=updated)
    assert op == "same"
    assert emulator.stats()["by_route"]["PATCH /v1/plans/{uuid}"] == 1

    # replace: a new external id cannot be patched; preview says so, up creates then deletes
    moved = {**renamed, "external_id": "bronze-2024"}
    op, diff, _ = engine.preview(PLAN, "bronze", moved, provider=PLAN_PROVIDER, prior=updated)
    assert op == "replace"
    assert diff is not None and diff.replaces == ["external_id"]
    op, replaced = engine.up(PLAN, "bronze", moved, provider=PLAN_PROVIDER, prior=updated)
    assert op == "replace"
    assert replaced.id != plan.id
    assert [(p["uuid"], p["external_id"]) for p in api_plans(emulator)] == [(replaced.id, "bronze-2024")]

    # delete: one DELETE, nothing left
    engine.destroy(replaced)
    assert api_plans(emulator) == []


def test_adopt_takes_over_a_hand_made_plan_and_patches_it(engine: Engine, emulator: Emulator) -> None:
    source = make_source(engine)
    by_hand = emulator.api("POST", "/plans", json={"data_source_uuid": source.id, "name": "Legacy Gold",
                                                   "interval_count": 12, "interval_unit": "month",
                                                   "external_id": "gold"}).json()
    declared = plan_inputs(source.id, "gold", name="Gold", interval_count=1, interval_unit="year")

    with pytest.raises(ProviderHostError) as caught:
        engine.up(PLAN, "gold", declared, provider=PLAN_PROVIDER)
    assert by_hand["uuid"] in caught.value.details
    assert "adopt=True" in caught.value.details
    assert len(api_plans(emulator)) == 1  # the refused create left nothing behind

    op, adopted = engine.up(PLAN, "gold", {**declared, "adopt": True}, provider=PLAN_PROVIDER)
    assert op == "create"
    assert adopted.id == by_hand["uuid"]
    [live] = api_plans(emulator)
    assert (live["uuid"], live["name"], live["interval_count"], live["interval_unit"]) == (
        by_hand["uuid"], "Gold", 1, "year")
    # and the adopted plan is managed like any other: no diff on the next run
    op, _ = engine.up(PLAN, "gold", {**declared, "adopt": True}, provider=PLAN_PROVIDER, prior=adopted)
    assert op == "same"


def test_refresh_after_an_out_of_band_delete_drops_the_plan(engine: Engine, emulator: Emulator) -> None:
    source = make_source(engine)
    _, plan = engine.up(PLAN, "bronze", plan_inputs(source.id), provider=PLAN_PROVIDER)
    assert emulator.api("DELETE", f"/plans/{plan.id}").status_code == 204
    assert engine.refresh(plan) is None
    # the next up creates it again
    op, again = engine.up(PLAN, "bronze", plan_inputs(source.id), provider=PLAN_PROVIDER)
    assert op == "create"
    assert [p["uuid"] for p in api_plans(emulator)] == [again.id]


def test_drift_from_an_out_of_band_patch_shows_in_the_next_diff(engine: Engine, emulator: Emulator) -> None:
    source = make_source(engine)
    inputs = plan_inputs(source.id)
    _, plan = engine.up(PLAN, "bronze", inputs, provider=PLAN_PROVIDER)
    emulator.api("PATCH", f"/plans/{plan.id}", json={"name": "Edited in the UI", "interval_unit": "day"})

    refreshed = engine.refresh(plan)
    assert refreshed is not None
    assert (refreshed.outputs["name"], refreshed.inputs["name"]) == ("Edited in the UI", "Edited in the UI")
    op, diff, _ = engine.preview(PLAN, "bronze", inputs, provider=PLAN_PROVIDER, prior=refreshed)
    assert op == "update"
    assert diff is not None and diff.changes == "DIFF_SOME"

    op, healed = engine.up(PLAN, "bronze", inputs, provider=PLAN_PROVIDER, prior=refreshed)
    assert op == "update"
    [live] = api_plans(emulator)
    assert (live["name"], live["interval_unit"]) == ("Plan bronze", "month")
    assert healed.outputs["name"] == "Plan bronze"


def test_moving_a_plan_to_another_data_source_is_a_replacement(engine: Engine, emulator: Emulator) -> None:
    first = make_source(engine, "First")
    _, second = engine.up(DATA_SOURCE, "second", {"name": "Second", "adopt": False}, provider=DATA_SOURCE_PROVIDER)
    _, plan = engine.up(PLAN, "bronze", plan_inputs(first.id), provider=PLAN_PROVIDER)
    op, diff, _ = engine.preview(PLAN, "bronze", plan_inputs(second.id), provider=PLAN_PROVIDER, prior=plan)
    assert op == "replace"
    assert diff is not None and diff.replaces == ["data_source_uuid"]
    op, moved = engine.up(PLAN, "bronze", plan_inputs(second.id), provider=PLAN_PROVIDER, prior=plan)
    assert op == "replace"
    assert [(p["uuid"], p["data_source_uuid"]) for p in api_plans(emulator)] == [(moved.id, second.id)]


def test_preview_with_an_unknown_data_source_sends_nothing(engine: Engine, emulator: Emulator) -> None:
    source = make_source(engine)
    _, plan = engine.up(PLAN, "bronze", plan_inputs(source.id), provider=PLAN_PROVIDER)
    before = emulator.stats()["requests"]
    op, diff, check = engine.preview(PLAN, "bronze", plan_inputs(UNKNOWN), provider=PLAN_PROVIDER, prior=plan)
    assert check.failures == []
    assert op == "replace"
    assert diff is not None and diff.replaces == ["data_source_uuid"]
    op, _, check = engine.preview(PLAN, "other", plan_inputs(UNKNOWN, "other"), provider=PLAN_PROVIDER)
    assert (op, check.failures) == ("create", [])
    assert emulator.stats()["requests"] == before


def test_deleting_a_plan_that_is_already_gone_succeeds(engine: Engine, emulator: Emulator) -> None:
    source = make_source(engine)
    _, plan = engine.up(PLAN, "bronze", plan_inputs(source.id), provider=PLAN_PROVIDER)
    emulator.api("DELETE", f"/data_sources/{source.id}")  # takes its plans with it
    engine.destroy(plan)
    assert api_plans(emulator) == []
