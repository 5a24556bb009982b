"""Importing by uuid works on every supported SDK (``make test-min-deps`` runs this on the oldest, 3.139).

The engine refuses an import whose Read answer has no inputs; SDKs before 3.216 never send them. Our provider host
then adds them (``provider_host/importing.py``), so the same import works on both sides of that line.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from testkit.emulator import Emulator
from testkit.engine import Engine
from testkit.host import IMPORTING_HOST, ProviderHost
from testkit.inputs import host_config, plan_inputs
from testkit.providers import PLAN, PLAN_PROVIDER

KEY = "sk-compat-import-5e2a"


@pytest.fixture
def engine(emulator: Emulator) -> Iterator[Engine]:
    with ProviderHost(host_config(emulator, KEY), module=IMPORTING_HOST) as host:
        yield Engine(host)


def test_a_plan_made_by_hand_is_imported(engine: Engine, emulator: Emulator) -> None:
    source = emulator.api("POST", "/data_sources", key=KEY, json={"name": "By hand"}).json()["uuid"]
    plan = emulator.api("POST", "/plans", key=KEY, json={"data_source_uuid": source, "name": "Gold",
                                                        "interval_count": 3, "interval_unit": "month",
                                                        "external_id": "gold"}).json()["uuid"]
    inputs = plan_inputs(source, "gold", name="Gold", interval_count=3)
    step, state = engine.import_(PLAN, "gold", inputs, provider=PLAN_PROVIDER, import_id=plan)
    assert (step, state.id) == ("import", plan)
    assert {k: v for k, v in state.inputs.items() if k != "__provider"} == {
        "data_source_uuid": source, "name": "Gold", "interval_count": 3, "interval_unit": "month",
        "external_id": "gold", "adopt": False}  # what check makes of the declaration: nothing new to record later
    assert state.inputs["__provider"] == state.outputs["__provider"] == PLAN_PROVIDER
    step, after = engine.up(PLAN, "gold", inputs, provider=PLAN_PROVIDER, prior=state)
    assert step == "same" and after.inputs == state.inputs
