"""An exported catalog adopted through the engine stand-in (the real provider host, ours: the one the bootstrap
project runs): a messy account, or one whose names clash (the export keys one source) → ``export --adopt`` (every
entry with its uuid) → the preview is one import per object (a GET each, nothing else) → the first ``up`` imports
them all: nothing created, nothing patched, one GET per data source and plan → the second ``up`` sends nothing →
the account is unchanged and ``export`` prints the same bytes again. Then: a keyed source renamed keeps its
resource name, and the provider replaces it (the API cannot rename)."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from pulumi_chartmogul.catalog import CatalogDataSource, load_catalog
from pulumi_chartmogul.commands.cli import build_parser
from pulumi_chartmogul.commands.export import run
from testkit.accounts import seed_messy_account, snapshot
from testkit.emulator import Emulator
from testkit.engine import Engine
from testkit.host import ResourceState
from testkit.providers import DATA_SOURCE, DATA_SOURCE_PROVIDER, PLAN, PLAN_GROUP, PLAN_GROUP_PROVIDER, PLAN_PROVIDER
from testkit.reads import assert_plans_read
from tests.integration.test_export import seed_clashing_account


def export(emulator: Emulator) -> str:
    out, err = io.StringIO(), io.StringIO()
    args = build_parser().parse_args(["export", "--adopt", "--endpoint", emulator.api_root])
    assert run(args, stdout=out, stderr=err, environ={"CHARTMOGUL_API_KEY": "k"}) == 0, err.getvalue()
    return out.getvalue()


def requests(emulator: Emulator) -> Counter[str]:
    return Counter(emulator.stats()["by_route"])


def up(engine: Engine, text: str, states: dict[str, ResourceState], *, preview: bool = False) -> Counter[str]:
    """Every resource of the exported catalog, as the bootstrap program declares them (an entry's uuid is its
    ``import_``); the steps taken (or, with ``preview``, planned)."""
    config = yaml.safe_load(text)["config"]
    catalog = load_catalog(config["chartmogul-bootstrap:catalog"], config["chartmogul-bootstrap:plan_groups"])
    steps: Counter[str] = Counter()
    uuids: dict[tuple[str, str], str] = {}

    def step(type_token: str, name: str, inputs: dict[str, Any], provider: str, import_id: str | None) -> str:
        prior = states.get(name)
        if import_id is not None and prior is None:
            taken, state = engine.import_(type_token, name, inputs, provider=provider, import_id=import_id,
                                          preview=preview)
        else:
            taken, state = engine.up(type_token, name, inputs, provider=provider, prior=prior)
        steps[taken] += 1
        if not preview:
            states[name] = state
        return state.id

    for source in catalog.data_sources:
        source_uuid = step(DATA_SOURCE, source.resource_name, {"name": source.name, "adopt": source.adopt},
                           DATA_SOURCE_PROVIDER, source.uuid)
        for plan in source.plans:
            fields = plan.model_dump(exclude={"uuid"})
            uuids[source.name, plan.external_id] = step(
                PLAN, source.plan_resource_name(plan.external_id),
                {"data_source_uuid": source_uuid, **fields}, PLAN_PROVIDER, plan.uuid)
    for group in catalog.plan_groups:
        members = [ref.uuid or uuids[ref.data_source or "", ref.external_id or ""] for ref in group.plans]
        step(PLAN_GROUP, group.resource_name, {"name": group.name, "plans": members, "adopt": group.adopt},
             PLAN_GROUP_PROVIDER, group.uuid)
    return steps


SEEDS: dict[str, Callable[[Emulator], object]] = {
    "messy": lambda emulator: seed_messy_account(emulator, plans=60, data_sources=6),  # Stripe is left out
    "clashing names": lambda emulator: seed_clashing_account(emulator, plans_each=20),
}


@pytest.mark.parametrize("seed", SEEDS.values(), ids=list(SEEDS))
def test_an_exported_account_is_imported_in_one_up(importing_engine: Engine, emulator: Emulator,
                                                   seed: Callable[[Emulator], object]) -> None:
    engine = importing_engine
    seed(emulator)
    account = snapshot(emulator)
    exported = export(emulator)
    ours = {s["uuid"] for s in account["data_sources"] if s["system"] == "Custom"}
    own_plans = {p["uuid"] for p in account["plans"] if p["data_source_uuid"] in ours}
    groups = {g["uuid"] for g in account["plan_groups"]}
    objects = len(ours) + len(own_plans) + len(groups)

    def assert_list_backed(reads: Counter[str]) -> None:
        """Imports read plans by uuid (api/listed_reads.py): the first of each data source by GET, whose answer
        names the source whose listing (one page here) answers the rest; a GET per data source and group, and each
        group's members; never a write, and never more requests than one GET per object would have cost."""
        sources_with_plans = len({p["data_source_uuid"] for p in account["plans"] if p["uuid"] in own_plans})
        assert_plans_read(reads, 2 * sources_with_plans, {
            "GET /v1/data_sources/{uuid}": len(ours), "GET /v1/plan_groups/{uuid}": len(groups),
            "GET /v1/plan_groups/{uuid}/plans": len(groups)})

    before = requests(emulator)
    states: dict[str, ResourceState] = {}
    assert up(engine, exported, states, preview=True) == {"import": objects}
    assert_list_backed(requests(emulator) - before)
    assert states == {}

    before = requests(emulator)
    assert up(engine, exported, states) == {"import": objects}
    # Nothing created, nothing patched.
    assert_list_backed(requests(emulator) - before)
    # Every object is in the state, with the account's own uuids.
    assert {s.id for s in states.values() if s.type_token == DATA_SOURCE} == ours
    assert {s.id for s in states.values() if s.type_token == PLAN} == own_plans
    assert {s.id for s in states.values() if s.type_token == PLAN_GROUP} == groups

    before = requests(emulator)
    assert up(engine, exported, states) == {"same": objects}
    assert requests(emulator) - before == Counter()
    assert snapshot(emulator) == account
    assert export(emulator) == exported


def test_a_keyed_source_renamed_keeps_its_resource_name_and_is_replaced(importing_engine: Engine,
                                                                        emulator: Emulator) -> None:
    """No renamed_from: the key keeps the resource (and its plans') name, so the new name is a diff of the same
    resource, which the provider answers with a replacement (ChartMogul cannot rename a data source)."""
    seed_clashing_account(emulator, plans_each=2)
    exported = export(emulator)
    states: dict[str, ResourceState] = {}
    up(importing_engine, exported, states)
    keyed = next(e for e in yaml.safe_load(exported)["config"]["chartmogul-bootstrap:catalog"] if "key" in e)
    renamed = CatalogDataSource.model_validate({**keyed, "name": "Europe billing"})
    assert renamed.resource_name == keyed["key"] and renamed.previous_name is None
    before = requests(emulator)
    step, diff, _ = importing_engine.preview(DATA_SOURCE, renamed.resource_name, {"name": renamed.name, "adopt": False},
                                             provider=DATA_SOURCE_PROVIDER, prior=states[renamed.resource_name])
    assert (step, diff and diff.replaces) == ("replace", ["name"])
    # The replacement is checked in preview, as a rename with renamed_from is: does the source hold customers?
    assert requests(emulator) - before == Counter({"GET /v1/customers": 1})
    assert all(renamed.plan_resource_name(p["external_id"]) in states for p in keyed["plans"])
