"""The DataSource lifecycle through the real provider host, verified through the emulator's API."""

from __future__ import annotations

import pytest

from testkit.emulator import Emulator
from testkit.engine import Engine
from testkit.host import ProviderHostError
from testkit.inputs import plan_inputs
from testkit.providers import DATA_SOURCE, DATA_SOURCE_PROVIDER, PLAN, PLAN_PROVIDER
from tests.lifecycle.conftest import api_plans, api_sources

SOURCE = {"name": "In-house billing", "adopt": False}


def test_full_lifecycle(engine: Engine, emulator: Emulator) -> None:
    op, source = engine.up(DATA_SOURCE, "billing", SOURCE, provider=DATA_SOURCE_PROVIDER)
    assert op == "create"
    [live] = api_sources(emulator)
    assert live["uuid"] == source.id
    assert {k: source.outputs[k] for k in ("uuid", "name", "system", "status", "created_at")} == live
    assert source.outputs["adopt"] is False

    refreshed = engine.refresh(source)
    assert refreshed is not None
    op, diff, _ = engine.preview(DATA_SOURCE, "billing", SOURCE, provider=DATA_SOURCE_PROVIDER, prior=refreshed)
    assert op == "same"

    # No update route exists: a rename is announced as a replacement and carried out as one.
    renamed = {**SOURCE, "name": "Billing v2"}
    op, diff, _ = engine.preview(DATA_SOURCE, "billing", renamed, provider=DATA_SOURCE_PROVIDER, prior=refreshed)
    assert op == "replace"
    assert diff is not None and diff.replaces == ["name"]
    op, replaced = engine.up(DATA_SOURCE, "billing", renamed, provider=DATA_SOURCE_PROVIDER, prior=refreshed)
    assert op == "replace"
    assert replaced.id != source.id
    assert [(s["uuid"], s["name"]) for s in api_sources(emulator)] == [(replaced.id, "Billing v2")]

    op, _ = engine.up(DATA_SOURCE, "billing", renamed, provider=DATA_SOURCE_PROVIDER, prior=replaced)
    assert op == "same"

    engine.destroy(replaced)
    assert api_sources(emulator) == []


def test_adopt_takes_over_an_existing_source_by_name(engine: Engine, emulator: Emulator) -> None:
    by_hand = emulator.api("POST", "/data_sources", json={"name": "Legacy"}).json()
    with pytest.raises(ProviderHostError) as caught:
        engine.up(DATA_SOURCE, "legacy", {"name": "Legacy", "adopt": False}, provider=DATA_SOURCE_PROVIDER)
    assert by_hand["uuid"] in caught.value.details
    assert "adopt=True" in caught.value.details

    op, adopted = engine.up(DATA_SOURCE, "legacy", {"name": "Legacy", "adopt": True}, provider=DATA_SOURCE_PROVIDER)
    assert (op, adopted.id) == ("create", by_hand["uuid"])
    assert len(api_sources(emulator)) == 1


def test_refresh_after_an_out_of_band_delete_drops_the_source(engine: Engine, emulator: Emulator) -> None:
    _, source = engine.up(DATA_SOURCE, "billing", SOURCE, provider=DATA_SOURCE_PROVIDER)
    emulator.api("DELETE", f"/data_sources/{source.id}")
    assert engine.refresh(source) is None


def test_destroy_in_dependency_order_leaves_nothing(engine: Engine, emulator: Emulator) -> None:
    _, source = engine.up(DATA_SOURCE, "billing", SOURCE, provider=DATA_SOURCE_PROVIDER)
    plans = [engine.up(PLAN, f"p{n}", plan_inputs(source.id, f"p{n}"), provider=PLAN_PROVIDER)[1] for n in range(3)]
    assert len(api_plans(emulator)) == 3
    for plan in plans:
        engine.destroy(plan)
    engine.destroy(source)
    assert api_plans(emulator) == []
    assert api_sources(emulator) == []
