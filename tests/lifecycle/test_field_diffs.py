"""Diff field by field through the real hosts: ours answers ``detailedDiff`` and ``diffs`` for our types (each
changed field an update, or a replacement where the provider replaces), from the rule the provider's own diff uses;
Pulumi's host answers ``replaces`` alone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from testkit.emulator import Emulator
from testkit.engine import Engine
from testkit.host import ProviderHost, ResourceState
from testkit.inputs import host_config, plan_inputs, source_inputs
from testkit.providers import DATA_SOURCE, DATA_SOURCE_PROVIDER, PLAN, PLAN_GROUP, PLAN_GROUP_PROVIDER, PLAN_PROVIDER
from testkit.wire import UNKNOWN

from .conftest import API_KEY


@pytest.fixture
def stock_engine(emulator: Emulator) -> Iterator[Engine]:
    with ProviderHost(host_config(emulator, API_KEY)) as started:
        yield Engine(started)


def created(engine: Engine) -> tuple[ResourceState, ResourceState]:
    _, source = engine.up(DATA_SOURCE, "billing", source_inputs("Billing"), provider=DATA_SOURCE_PROVIDER)
    _, plan = engine.up(PLAN, "gold", plan_inputs(source.id, "gold", name="Gold"), provider=PLAN_PROVIDER)
    return source, plan


def diff(engine: Engine, state: ResourceState, changes: dict[str, Any]) -> Any:
    checked = engine.host.check(state.type_token, state.name, state.inputs, {**state.inputs, **changes},
                                state.outputs)
    assert checked.failures == []
    return engine.host.diff(state, checked.inputs)


@pytest.mark.parametrize(("changes", "expected", "replaces"), [
    ({"name": "Gold (renamed)"}, {"name": "UPDATE"}, []),
    ({"name": "Gold 2", "interval_count": 3}, {"name": "UPDATE", "interval_count": "UPDATE"}, []),
    ({"external_id": "gold_2"}, {"external_id": "UPDATE_REPLACE"}, ["external_id"]),
    ({"data_source_uuid": UNKNOWN, "name": "Gold 2"},  # in a preview: a new source's uuid is not known yet
     {"data_source_uuid": "UPDATE_REPLACE", "name": "UPDATE"}, ["data_source_uuid"]),
])
def test_our_host_answers_each_changed_field(importing_engine: Engine, changes: dict[str, Any],
                                             expected: dict[str, str], replaces: list[str]) -> None:
    _, plan = created(importing_engine)
    outcome = diff(importing_engine, plan, changes)
    assert (outcome.changes, outcome.replaces) == ("DIFF_SOME", replaces)
    assert outcome.detailed == expected
    assert sorted(outcome.diffs) == sorted(expected)


def test_no_change_has_no_detail_and_a_group_s_order_is_no_change(importing_engine: Engine) -> None:
    _, plan = created(importing_engine)
    assert diff(importing_engine, plan, {}).detailed is None
    _, other = importing_engine.up(PLAN, "silver", plan_inputs(plan.outputs["data_source_uuid"], "silver"),
                                   provider=PLAN_PROVIDER)
    _, group = importing_engine.up(PLAN_GROUP, "paid", {"name": "Paid", "plans": [plan.id, other.id]},
                                   provider=PLAN_GROUP_PROVIDER)
    reordered = diff(importing_engine, group, {"plans": [other.id, plan.id]})
    assert (reordered.changes, reordered.detailed) == ("DIFF_NONE", None)
    renamed = diff(importing_engine, group, {"name": "Paid plans", "plans": [other.id]})
    assert renamed.detailed == {"name": "UPDATE", "plans": "UPDATE"}


def test_a_data_source_rename_is_a_replacement_field(importing_engine: Engine) -> None:
    source, _ = created(importing_engine)
    outcome = diff(importing_engine, source, {"name": "Billing EU"})  # empty source: no protection refusal
    assert (outcome.replaces, outcome.detailed) == (["name"], {"name": "UPDATE_REPLACE"})
    forced = diff(importing_engine, source, {"force_destroy": True})
    assert (forced.replaces, forced.detailed) == ([], {"force_destroy": "UPDATE"})


def test_pulumis_host_answers_no_detail(stock_engine: Engine) -> None:
    _, plan = created(stock_engine)
    outcome = diff(stock_engine, plan, {"name": "Gold (renamed)"})
    assert outcome.changes == "DIFF_SOME" and outcome.detailed is None and outcome.diffs == []
