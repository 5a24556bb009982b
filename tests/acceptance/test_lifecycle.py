"""The acceptance lifecycle, one code path for the emulator (always) and a real account (``make acceptance``):
the bootstrap program through the real CLI, ``up``, a preview that must find nothing to change, an in-place
update, a replacement, a refresh after an out-of-band delete, an import of objects made outside Pulumi, and
``destroy``. Every step is checked through the API of the account itself (never the emulator's admin surface), so
what passes against the emulator is what is asserted against the real service.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from pulumi_chartmogul.catalog.names import (
    CATALOG_KEY,
    GROUPS_KEY,
    data_source_resource_name,
    plan_group_resource_name,
    plan_resource_name,
)

from .conftest import Where
from .lifecycle import Run, StepFailed, acceptance_run
from .sweep import find_leftovers, remaining
from .target import EMULATOR

pytestmark = pytest.mark.e2e

# The most one run may cost in requests, the CLI's and the suite's own checks together (the emulator counts them).
# Measured: 107, 57 of them by the CLI (CONTRIBUTING.md, "The acceptance suite", which states it for maintainers).
REQUEST_BUDGET = 150
PLAN_FIELDS = ("name", "interval_count", "interval_unit")


def declared(config: dict[str, Any]) -> dict[str, Any]:
    """What the stack config declares, in the shape :func:`observed` reads the account in."""
    plans = {(source["name"], plan["external_id"]): {field: plan[field] for field in PLAN_FIELDS}
             for source in config[CATALOG_KEY] for plan in source["plans"]}
    groups = {group["name"]: {(ref["data_source"], ref["external_id"]) for ref in group["plans"]}
              for group in config.get(GROUPS_KEY) or []}
    return {"sources": {source["name"] for source in config[CATALOG_KEY]}, "plans": plans, "groups": groups}


def observed(run: Run) -> tuple[dict[str, Any], dict[str, str]]:
    """What the account holds under the run's prefix, in :func:`declared`'s shape, and every object's uuid by
    ``source``, ``source/external id`` and ``group:name``. Listings only: one per data source and per group."""
    client, prefix = run.client, run.prefix
    sources = {s["name"]: s["uuid"] for s in client.list_data_sources() if s["name"].startswith(prefix)}
    plans: dict[tuple[str, str], dict[str, Any]] = {}
    uuids = dict(sources)
    for name, uuid in sources.items():
        for plan in client.list_plans(data_source_uuid=uuid):
            plans[(name, plan["external_id"])] = {field: plan[field] for field in PLAN_FIELDS}
            uuids[f"{name}/{plan['external_id']}"] = plan["uuid"]
    by_uuid: dict[str, tuple[str, ...] | str] = {uuid: tuple(key.split("/", 1)) for key, uuid in uuids.items()
                                                 if "/" in key}
    groups: dict[str, set[tuple[str, ...] | str]] = {}
    for group in client.list_plan_groups():
        if group["name"].startswith(prefix):
            groups[group["name"]] = {by_uuid.get(p["uuid"], p["uuid"]) for p in client.list_plan_group_plans(
                group["uuid"])}
            uuids[f"group:{group['name']}"] = group["uuid"]
    return {"sources": set(sources), "plans": plans, "groups": groups}, uuids


def check_account_holds_the_config(run: Run) -> dict[str, str]:
    """The account holds exactly what the stack config declares under the prefix; the uuids (:func:`observed`)."""
    holds, uuids = observed(run)
    assert holds == declared(run.config)
    # The prefix reached every name the account shows: sources and groups are listed by it; plans are listed by
    # source, so their external ids and names are checked here.
    assert all(external_id.startswith(run.prefix) and plan["name"].startswith(run.prefix)
               for (_, external_id), plan in holds["plans"].items())
    return uuids


@pytest.mark.timeout(1200)  # 18 CLI commands; an emulator run takes about 30 s
def test_lifecycle(where: Where, cli_dir: Path, tmp_path: Path) -> None:
    emulator = where.emulator
    meter = (lambda: int(emulator.stats()["requests"])) if emulator is not None else None
    with acceptance_run(where.target, tmp_path, cli_dir, meter=meter) as run:
        lifecycle(run)
    if emulator is not None:
        stats = emulator.stats()
        total = int(stats["requests"])
        print(f"\nacceptance run against the {EMULATOR}: {total} requests, {run.cli_requests} of them by the CLI "
              f"({len(run.commands)} pulumi commands); by route: {stats['by_route']}")
        assert run.cli_requests > 0 and total <= REQUEST_BUDGET, (total, run.cli_requests)


def lifecycle(run: Run) -> None:
    prefix = run.prefix
    billing, resellers = f"{prefix}billing", f"{prefix}resellers"
    basic, yearly, trial, reseller = (f"{prefix}{x}" for x in ("basic_monthly", "basic_yearly", "trial_14",
                                                               "reseller_quarterly"))
    rn_resellers = data_source_resource_name(resellers, "resellers")

    # 1. up: everything the config declares exists under the prefix, and the stack's outputs are its uuids.
    assert find_leftovers(run.client, prefix) == []
    run.pulumi("up", "--yes")
    uuids = check_account_holds_the_config(run)
    outputs = run.outputs()
    assert outputs["data_sources"] == {billing: uuids[billing], resellers: uuids[resellers]}
    assert outputs["plans"][billing][basic] == uuids[f"{billing}/{basic}"]
    assert outputs["plan_groups"] == {f"{prefix}Self-serve": uuids[f"group:{prefix}Self-serve"],
                                      f"{prefix}Partners": uuids[f"group:{prefix}Partners"]}
    state = run.state()
    assert len(state) == 2 + 4 + 2 and state[plan_resource_name(billing, basic)] == uuids[f"{billing}/{basic}"]

    # 2. Nothing changed: the preview must find nothing to do (the CLI fails the command otherwise).
    run.pulumi("preview", "--expect-no-changes")
    assert observed(run)[1] == uuids

    # 3. Update in place: a plan's and a group's names; each keeps its uuid.
    config = copy.deepcopy(run.config)
    config[CATALOG_KEY][0]["plans"][0]["name"] = f"{prefix}Basic (renamed)"
    config[GROUPS_KEY][0]["name"] = f"{prefix}Self-serve (renamed)"
    run.write_config(config)
    assert run.preview_steps() == {plan_resource_name(billing, basic): "update",
                                   plan_group_resource_name("self-serve"): "update"}
    run.pulumi("up", "--yes", "--skip-preview")
    updated = check_account_holds_the_config(run)
    assert updated[f"{billing}/{basic}"] == uuids[f"{billing}/{basic}"]
    assert updated[f"group:{prefix}Self-serve (renamed)"] == uuids[f"group:{prefix}Self-serve"]

    # 4. Replace: the keyed data source renamed (ChartMogul cannot rename one) is one replacement, its plan with it,
    # and the group that holds that plan is updated to the new plan.
    partners = f"{prefix}partners"
    config[CATALOG_KEY][1]["name"] = partners
    config[GROUPS_KEY][1]["plans"][0]["data_source"] = partners
    run.write_config(config)
    reseller_rn = plan_resource_name(resellers, reseller, "resellers")
    assert run.preview_steps() == {rn_resellers: "replace", reseller_rn: "replace",
                                   plan_group_resource_name("partners"): "update"}
    run.pulumi("up", "--yes", "--skip-preview")
    replaced = check_account_holds_the_config(run)
    assert resellers not in replaced and replaced[partners] != uuids[resellers]
    assert replaced[f"{partners}/{reseller}"] != uuids[f"{resellers}/{reseller}"]
    assert replaced[f"group:{prefix}Partners"] == uuids[f"group:{prefix}Partners"]
    assert replaced[billing] == uuids[billing]

    # 5. Refresh: a plan deleted outside Pulumi leaves the state with the refresh, and the next up makes it again.
    trial_rn = plan_resource_name(billing, trial)
    run.client.delete_plan(replaced[f"{billing}/{trial}"])
    run.pulumi("refresh", "--yes", "--skip-preview")
    refreshed = run.state()
    assert trial_rn not in refreshed and plan_resource_name(billing, yearly) in refreshed
    assert run.preview_steps() == {trial_rn: "create"}
    run.pulumi("up", "--yes", "--skip-preview")
    recreated = check_account_holds_the_config(run)
    assert recreated[f"{billing}/{trial}"] not in (replaced[f"{billing}/{trial}"], None)

    # 6. Import: a data source and a plan made outside Pulumi, named in the catalog by uuid, are imported (read,
    # not created), then managed like the rest.
    imported, legacy = f"{prefix}imported", f"{prefix}legacy"
    source = run.client.create_data_source(imported)
    plan = run.client.create_plan({"data_source_uuid": source["uuid"], "name": f"{prefix}Legacy",
                                   "interval_count": 6, "interval_unit": "month", "external_id": legacy})
    config[CATALOG_KEY].append({"name": imported, "uuid": source["uuid"], "plans": [
        {"name": f"{prefix}Legacy", "interval_count": 6, "interval_unit": "month", "external_id": legacy,
         "uuid": plan["uuid"]}]})
    run.write_config(config)
    rn_imported = data_source_resource_name(imported)
    assert run.preview_steps() == {rn_imported: "import", plan_resource_name(imported, legacy): "import"}
    run.pulumi("up", "--yes", "--skip-preview")
    after_import = check_account_holds_the_config(run)
    assert (after_import[imported], after_import[f"{imported}/{legacy}"]) == (source["uuid"], plan["uuid"])
    state = run.state()
    assert (state[rn_imported], state[plan_resource_name(imported, legacy)]) == (source["uuid"], plan["uuid"])
    run.pulumi("preview", "--expect-no-changes")

    # 7. destroy: nothing named with the run's prefix is left, the imported objects included.
    run.pulumi("destroy", "--yes", "--skip-preview")
    run.destroyed = True
    assert remaining(run.client, prefix) == []
    assert run.state() == {}


def test_a_failed_step_still_leaves_the_account_clean(emulated_account: Where, cli_dir: Path,
                                                      tmp_path: Path) -> None:
    """A run whose step fails after ``up``, with an object made outside Pulumi under its prefix: the failure
    propagates, and the cleanup (destroy, then the sweep by the prefix) leaves nothing of the run, and everything
    else as it was."""
    emulator = emulated_account.emulator
    assert emulator is not None
    target = emulated_account.target
    client = target.client()
    bystander = client.create_data_source("pcm-acc-19990101-000000-other-run-billing")  # another run's
    unrelated = client.create_data_source("Billing (not the suite's)")
    with pytest.raises(StepFailed, match="expect-no-changes"), acceptance_run(target, tmp_path, cli_dir) as run:
        run.pulumi("up", "--yes", "--skip-preview")
        client.create_data_source(f"{run.prefix}made-by-hand")
        assert len(find_leftovers(client, run.prefix)) == 2 + 1 + 2
        config = copy.deepcopy(run.config)
        config[CATALOG_KEY][0]["plans"][0]["interval_count"] = 2
        run.write_config(config)
        run.pulumi("preview", "--expect-no-changes")  # fails: the step the run does not get past
    assert find_leftovers(client, run.prefix) == []
    assert {s["uuid"] for s in client.list_data_sources()} == {bystander["uuid"], unrelated["uuid"]}
    assert list(client.list_plan_groups()) == []
