"""Importing by uuid through the real provider hosts (what ``ResourceOptions(import_=...)`` makes the engine do:
a Read with the id and nothing else, then Check and Diff of the goal against what was read).

Pulumi's own host fails that Read for every dynamic resource (pulumi/pulumi#16175): it looks for the pickled
provider in properties the engine does not send. Ours (``pulumi_chartmogul.provider_host``) supplies it for our
types and leaves everything else to the SDK's code."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pulumi.dynamic.dynamic import serialize_provider

from pulumi_chartmogul.provider_host.importing import provider_blobs
from pulumi_chartmogul.resources.plan import PlanProvider
from testkit.emulator import Emulator
from testkit.engine import Engine
from testkit.host import ProviderHost, ProviderHostError
from testkit.inputs import host_config, plan_inputs, source_inputs
from testkit.providers import DATA_SOURCE, DATA_SOURCE_PROVIDER, PLAN, PLAN_PROVIDER

from .conftest import API_KEY

MISSING = "pl_00000000-0000-4000-8000-000000000000"


@pytest.fixture
def stock_host(emulator: Emulator) -> Iterator[ProviderHost]:
    with ProviderHost(host_config(emulator, API_KEY)) as started:
        yield started


def made_by_hand(emulator: Emulator, plan_name: str = "Gold") -> tuple[str, str]:
    source = emulator.api("POST", "/data_sources", json={"name": "Hand made"}).json()["uuid"]
    plan = emulator.api("POST", "/plans", json={"data_source_uuid": source, "name": plan_name, "interval_count": 1,
                                                "interval_unit": "month", "external_id": "gold"}).json()["uuid"]
    return source, plan


def test_the_stock_host_cannot_import_a_dynamic_resource(stock_host: ProviderHost, emulator: Emulator) -> None:
    _, plan = made_by_hand(emulator)
    with pytest.raises(ProviderHostError) as caught:
        stock_host.read_for_import(PLAN, "gold", plan)
    assert "KeyError: '__provider'" in caught.value.details  # why our host exists; if this fails, Pulumi fixed it


def test_an_object_that_matches_imports_with_one_get_and_no_change(importing_engine: Engine,
                                                                    emulator: Emulator) -> None:
    source, plan = made_by_hand(emulator)
    before = emulator.stats()["by_route"]
    step, source_state = importing_engine.import_(DATA_SOURCE, "hand-made", source_inputs("Hand made"),
                                                  provider=DATA_SOURCE_PROVIDER, import_id=source)
    assert (step, source_state.id) == ("import", source)
    step, plan_state = importing_engine.import_(
        PLAN, "gold", plan_inputs(source, "gold", name="Gold"), provider=PLAN_PROVIDER, import_id=plan)
    assert (step, plan_state.id) == ("import", plan)
    sent = {route: count - before.get(route, 0) for route, count in emulator.stats()["by_route"].items()
            if count != before.get(route, 0)}
    assert sent == {"GET /v1/data_sources/{uuid}": 1, "GET /v1/plans/{uuid}": 1}
    # The state holds a provider the next operations can use: the pickle the program stores for the type.
    assert plan_state.outputs["__provider"] == PLAN_PROVIDER == serialize_provider(PlanProvider())
    assert plan_state.outputs["name"] == "Gold" and plan_state.inputs["external_id"] == "gold"
    step, _ = importing_engine.up(PLAN, "gold", plan_inputs(source, "gold", name="Gold"), provider=PLAN_PROVIDER,
                                  prior=plan_state)
    assert step == "same"
    importing_engine.destroy(plan_state)
    assert emulator.api("GET", f"/plans/{plan}").status_code == 404


def test_an_object_that_differs_is_imported_then_updated(importing_engine: Engine, emulator: Emulator) -> None:
    source, plan = made_by_hand(emulator, plan_name="Gold (old)")
    inputs = plan_inputs(source, "gold", name="Gold")
    step, _ = importing_engine.import_(PLAN, "gold", inputs, provider=PLAN_PROVIDER, import_id=plan, preview=True)
    assert step == "import+update"
    assert emulator.api("GET", f"/plans/{plan}").json()["name"] == "Gold (old)"  # preview changes nothing
    step, state = importing_engine.import_(PLAN, "gold", inputs, provider=PLAN_PROVIDER, import_id=plan)
    assert (step, state.id, state.outputs["name"]) == ("import+update", plan, "Gold")
    assert emulator.api("GET", f"/plans/{plan}").json()["name"] == "Gold"


def test_a_uuid_that_does_not_exist_says_which_and_what_to_do(importing_engine: Engine) -> None:
    with pytest.raises(ProviderHostError) as caught:
        importing_engine.import_(PLAN, "gone", plan_inputs("ds_x", "gone"), provider=PLAN_PROVIDER,
                                 import_id=MISSING)
    assert f"no Plan with uuid '{MISSING}' exists in ChartMogul" in caught.value.details
    assert "remove its uuid" in caught.value.details


def test_other_dynamic_resources_reach_the_sdk_untouched(importing_host: ProviderHost) -> None:
    assert "pulumi-python:dynamic:Resource" not in provider_blobs()
    with pytest.raises(ProviderHostError) as caught:
        importing_host.read_for_import("pulumi-python:dynamic:Resource", "someone-elses", "id-1")
    assert "KeyError: '__provider'" in caught.value.details



def test_a_refresh_of_an_imported_object_keeps_the_inputs_the_import_recorded(importing_engine: Engine,
                                                                               emulator: Emulator) -> None:
    """The import's inputs carry the defaults check gives (``adopt: False``), which its outputs do not: a refresh
    that dropped them would make every later ``up`` rewrite the resource's state (the engine saves a step whose
    inputs changed, and with the file backend each save writes the whole state)."""
    source, plan = made_by_hand(emulator)
    _, source_state = importing_engine.import_(DATA_SOURCE, "hand-made", source_inputs("Hand made"),
                                               provider=DATA_SOURCE_PROVIDER, import_id=source)
    _, plan_state = importing_engine.import_(
        PLAN, "gold", plan_inputs(source, "gold", name="Gold"), provider=PLAN_PROVIDER, import_id=plan)
    for state in (source_state, plan_state):
        assert state.inputs.get("adopt") is False
        refreshed = importing_engine.refresh(state)
        assert refreshed is not None and refreshed.inputs == state.inputs
