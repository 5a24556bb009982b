"""State written by an earlier release keeps working: every ``golden/state-<release>.json`` is replayed here.

A stack's state holds, for each resource, a ``__provider`` value: a pickle that names our provider's module and
class (``pulumi_chartmogul.resources.plan.PlanProvider``). Pulumi's provider host unpickles it for every call
about that resource, so renaming or moving a provider class, or a change that old pickles cannot load, breaks
every existing stack. These tests hand the golden values to the real provider host (``python -m
pulumi.dynamic``) exactly as the engine would and run a whole life against the emulator: check, diff (no
change), refresh (no change), delete. ``python -m tests.compat.make_golden`` writes the file of a new release.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import dill
import pytest

from pulumi_chartmogul import __version__
from pulumi_chartmogul.resources.data_source import DataSourceProvider
from pulumi_chartmogul.resources.plan import PlanProvider
from testkit.emulator import Emulator
from testkit.engine import Engine
from testkit.host import ProviderHost, ResourceState
from testkit.providers import DATA_SOURCE, DATA_SOURCE_PROVIDER, PLAN, PLAN_PROVIDER

GOLDEN = Path(__file__).resolve().parent / "golden"
GOLDEN_FILES = sorted(GOLDEN.glob("state-*.json"))
KEY = "sk-compat-71d0b3"
PROVIDER_KEY = "__provider"
CLASSES: dict[str, type] = {DATA_SOURCE: DataSourceProvider, PLAN: PlanProvider}
CURRENT_BLOBS = {DATA_SOURCE: DATA_SOURCE_PROVIDER, PLAN: PLAN_PROVIDER}
SERVER_OWNED = ("created_at",)  # what the emulator stamps anew when the test recreates the objects


def load_states(path: Path, live_ids: dict[str, str] | None = None) -> list[ResourceState]:
    """The golden resources, with each golden uuid replaced by the live object's that stands in for it."""
    text = path.read_text()
    for golden_id, live_id in (live_ids or {}).items():
        text = text.replace(golden_id, live_id)
    return [ResourceState(type_token=r["type"], name=r["urn"].rsplit("::", 1)[1], urn=r["urn"], id=r["id"],
                          inputs=r["inputs"], outputs=r["outputs"]) for r in json.loads(text)["resources"]]


def program_inputs(state: ResourceState) -> dict[str, Any]:
    return {k: v for k, v in state.inputs.items() if k != PROVIDER_KEY}


def recreate_objects(emulator: Emulator, states: list[ResourceState]) -> dict[str, str]:
    """Make, by hand, the ChartMogul objects the golden state refers to; return golden uuid -> live uuid."""
    live: dict[str, str] = {}
    for state in states:
        fields = {k: v for k, v in program_inputs(state).items() if k != "adopt"}
        if state.type_token == PLAN:
            fields["data_source_uuid"] = live[fields["data_source_uuid"]]
        path = "/data_sources" if state.type_token == DATA_SOURCE else "/plans"
        response = emulator.api("POST", path, key=KEY, json=fields)
        assert response.status_code == 201, response.text
        live[state.id] = response.json()["uuid"]
    return live


def without(props: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in keys}


def test_the_current_release_has_a_golden_state() -> None:
    assert GOLDEN / f"state-{__version__}.json" in GOLDEN_FILES, (
        f"no golden state for release {__version__}: run `python -m tests.compat.make_golden` and commit it")


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=[p.stem for p in GOLDEN_FILES])
def test_golden_providers_unpickle_to_the_current_classes(path: Path) -> None:
    for state in load_states(path):
        for blob in (state.inputs[PROVIDER_KEY], state.outputs[PROVIDER_KEY]):
            provider = dill.loads(base64.b64decode(blob))  # as the provider host does
            assert type(provider) is CLASSES[state.type_token], (state.urn, type(provider))


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=[p.stem for p in GOLDEN_FILES])
def test_golden_state_is_checked_diffed_refreshed_and_deleted_by_the_real_host(
        path: Path, emulator: Emulator) -> None:
    states = load_states(path, recreate_objects(emulator, load_states(path)))
    config = {"chartmogul:apiKey": KEY, "chartmogul:endpoint": emulator.api_root}
    with ProviderHost(config) as host:
        engine = Engine(host)
        before = emulator.stats()["requests"]
        for state in states:
            # preview with the golden provider itself (the host unpickles and configures it for Check and Diff)
            step, diff, check = engine.preview(state.type_token, state.name, program_inputs(state),
                                               provider=state.inputs[PROVIDER_KEY], prior=state)
            assert (step, check.failures) == ("same", []), (state.urn, diff)
            assert diff is not None and diff.changes == "DIFF_NONE"
            # up from this checkout's program: a new __provider in the inputs is not a change either
            step, _ = engine.up(state.type_token, state.name, program_inputs(state),
                                provider=CURRENT_BLOBS[state.type_token], prior=state)
            assert step == "same", state.urn
        assert emulator.stats()["requests"] == before  # neither preview nor a no-change up calls the API

        refreshed: list[ResourceState] = []
        for state in states:
            # Read and Delete find the provider in the state's outputs: the golden pickle
            after = engine.refresh(state)
            assert after is not None, state.urn
            assert without(after.outputs, *SERVER_OWNED) == without(state.outputs, *SERVER_OWNED)
            assert after.outputs[PROVIDER_KEY] == state.outputs[PROVIDER_KEY]
            step, _ = engine.up(state.type_token, state.name, program_inputs(state),
                                provider=state.inputs[PROVIDER_KEY], prior=after)
            assert step == "same", state.urn
            refreshed.append(after)

        for state in reversed(refreshed):
            engine.destroy(state)
    assert emulator.api("GET", "/plans", key=KEY).json()["plans"] == []
    assert emulator.api("GET", "/data_sources", key=KEY).json()["data_sources"] == []
