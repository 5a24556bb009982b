"""Plan groups through the real CLI: a catalog with groups goes up, changes (rename, add and remove members, a plan
moved between groups), refreshes with drift made by hand, and is destroyed, with the emulator's state checked
at each step. And ``Plan.get`` / ``DataSource.get`` in a program: read, put into a group, never deleted."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from testkit.emulator import Emulator
from tests.e2e.conftest import BOOTSTRAP_PROJECT, CATALOG, KEY, Project, listed, make_project, new_stack, yaml

GROUPS_KEY = f"{BOOTSTRAP_PROJECT}:plan_groups"
GROUP = "pulumi-python:dynamic/chartmogul:PlanGroup"


def ref(source: str, external_id: str) -> dict[str, str]:
    return {"data_source": source, "external_id": external_id}


def api_groups(emulator: Emulator) -> dict[str, tuple[str, set[str]]]:
    """Group name → (uuid, member external ids), as the emulator's API lists them (all pages)."""
    return {g["name"]: (g["uuid"], {p["external_id"] for p in listed(emulator, f"/plan_groups/{g['uuid']}/plans",
                                                                        "plans")})
            for g in listed(emulator, "/plan_groups", "plan_groups")}


def group_urn(project: Project, key: str) -> str:
    return f"urn:pulumi:{project.stack}::{BOOTSTRAP_PROJECT}::{GROUP}::plan-group-{key}"


def test_a_catalog_with_plan_groups_through_the_cli(bootstrap: Project, emulator: Emulator) -> None:
    # A plan the catalog does not manage (synced from elsewhere), joined to a group by uuid.
    outside_source = emulator.api("POST", "/data_sources", key=KEY, json={"name": "Synced billing"}).json()
    outside = emulator.api("POST", "/plans", key=KEY, json={
        "data_source_uuid": outside_source["uuid"], "name": "Synced", "interval_count": 1, "interval_unit": "month",
        "external_id": "synced_monthly"}).json()
    groups: list[dict[str, Any]] = [
        {"name": "Self-serve", "key": "self-serve", "plans": [ref("E2E billing", "basic_monthly"),
                                                              ref("E2E billing", "trial_14"),
                                                              {"uuid": outside["uuid"]}]},
        {"name": "Partners", "plans": [ref("E2E resellers", "reseller_quarterly"), ref("E2E billing", "basic_yearly")]},
    ]
    bootstrap.set_catalog(CATALOG)
    bootstrap.set_catalog(groups, key=GROUPS_KEY)

    # 1. up: both groups, with plans of several data sources (and the outside one).
    bootstrap.pulumi("up", "--yes", "--skip-preview")
    live = api_groups(emulator)
    assert {name: members for name, (_, members) in live.items()} == {
        "Self-serve": {"basic_monthly", "trial_14", "synced_monthly"},
        "Partners": {"reseller_quarterly", "basic_yearly"}}
    assert bootstrap.outputs()["plan_groups"] == {name: uuid for name, (uuid, _) in live.items()}
    bootstrap.pulumi("preview", "--expect-no-changes")

    # 2. Rename Self-serve (its key keeps the resource), drop trial_14 from it, move basic_yearly into it from
    #    Partners, and add trial_14 to Partners: two in-place updates, same uuids.
    changed = copy.deepcopy(groups)
    changed[0]["name"] = "Self-serve (web)"
    changed[0]["plans"] = [ref("E2E billing", "basic_monthly"), {"uuid": outside["uuid"]},
                           ref("E2E billing", "basic_yearly")]
    changed[1]["plans"] = [ref("E2E billing", "trial_14"), ref("E2E resellers", "reseller_quarterly")]
    bootstrap.set_catalog(changed, key=GROUPS_KEY)
    assert bootstrap.preview_steps() == {group_urn(bootstrap, "self-serve"): "update",
                                         group_urn(bootstrap, "partners"): "update"}
    bootstrap.pulumi("up", "--yes", "--skip-preview")
    after = api_groups(emulator)
    assert after == {"Self-serve (web)": (live["Self-serve"][0], {"basic_monthly", "synced_monthly", "basic_yearly"}),
                     "Partners": (live["Partners"][0], {"trial_14", "reseller_quarterly"})}
    # Order alone is never a change.
    reordered = copy.deepcopy(changed)
    reordered[0]["plans"].reverse()
    bootstrap.set_catalog(reordered, key=GROUPS_KEY)
    bootstrap.pulumi("preview", "--expect-no-changes")

    # 3. Drift made by hand: refresh brings it into the state, the next up puts the catalog back.
    partners_uuid = after["Partners"][0]
    plans = {p["external_id"]: p["uuid"] for p in listed(emulator, "/plans", "plans")}
    assert emulator.api("PATCH", f"/plan_groups/{partners_uuid}", key=KEY,
                        json={"name": "Partners (edited)", "plans": [plans["trial_14"]]}).status_code == 200
    bootstrap.pulumi("refresh", "--yes", "--skip-preview")
    [state] = [r for urn, r in bootstrap.resources("PlanGroup").items() if urn == group_urn(bootstrap, "partners")]
    assert (state["outputs"]["name"], state["outputs"]["plans"], state["outputs"]["plans_count"]) == (
        "Partners (edited)", [plans["trial_14"]], 1)
    assert bootstrap.preview_steps() == {group_urn(bootstrap, "partners"): "update"}
    bootstrap.pulumi("up", "--yes", "--skip-preview")
    assert api_groups(emulator)["Partners"] == (partners_uuid, {"trial_14", "reseller_quarterly"})

    # 4. destroy: the groups and the catalog's plans go; the outside plan stays.
    bootstrap.pulumi("destroy", "--yes", "--skip-preview")
    assert listed(emulator, "/plan_groups", "plan_groups") == []
    assert [p["uuid"] for p in listed(emulator, "/plans", "plans")] == [outside["uuid"]]


GET_PROGRAM = '''
import pulumi
from pulumi_chartmogul import DataSource, Plan, PlanGroup

config = pulumi.Config()
source = DataSource.get("synced-source", config.require("source_uuid"))
synced = Plan.get("synced-plan", config.require("plan_uuid"))
group = PlanGroup("mixed", name="Mixed", plans=[synced.uuid])
pulumi.export("source_name", source.name)
pulumi.export("plan_name", synced.name)
pulumi.export("group", group.uuid)
'''


def test_get_reads_existing_objects_through_the_cli(tmp_path: Path, emulator: Emulator) -> None:
    source = emulator.api("POST", "/data_sources", key=KEY, json={"name": "Synced billing"}).json()
    plan = emulator.api("POST", "/plans", key=KEY, json={
        "data_source_uuid": source["uuid"], "name": "Synced", "interval_count": 1, "interval_unit": "year",
        "external_id": "synced_yearly"}).json()
    program = tmp_path / "program"
    program.mkdir()
    (program / "__main__.py").write_text(GET_PROGRAM)
    (program / "Pulumi.yaml").write_text(yaml.safe_dump({
        "name": "chartmogul-get", "runtime": {"name": "python", "options": {"toolchain": "pip",
                                                                          "virtualenv": ".venv"}}}))
    project = new_stack(make_project(tmp_path, program, stack="dev"), emulator)
    project.set_config("source_uuid", source["uuid"])
    project.set_config("plan_uuid", plan["uuid"])

    # preview already reads (a Read step runs in preview); up reads again and creates only the group.
    preview = project.pulumi("preview", "--json")
    assert '"op": "read"' in preview.stdout
    project.pulumi("up", "--yes", "--skip-preview")
    outputs = project.outputs()
    assert (outputs["source_name"], outputs["plan_name"]) == ("Synced billing", "Synced")
    [group] = listed(emulator, "/plan_groups", "plan_groups")
    assert (outputs["group"], group["plans_count"]) == (group["uuid"], 1)
    project.pulumi("preview", "--expect-no-changes")

    # A change made elsewhere shows after a refresh.
    emulator.api("PATCH", f"/plans/{plan['uuid']}", key=KEY, json={"name": "Synced (renamed)"})
    project.pulumi("refresh", "--yes", "--skip-preview")
    assert project.resources("Plan")["urn:pulumi:dev::chartmogul-get::pulumi-python:dynamic/chartmogul:Plan"
                                      "::synced-plan"]["outputs"]["name"] == "Synced (renamed)"

    # destroy removes the group only: what was read is left alone.
    project.pulumi("destroy", "--yes", "--skip-preview")
    assert listed(emulator, "/plan_groups", "plan_groups") == []
    assert [p["uuid"] for p in listed(emulator, "/plans", "plans")] == [plan["uuid"]]
    assert [s["uuid"] for s in listed(emulator, "/data_sources", "data_sources")] == [source["uuid"]]

    # A uuid that does not exist fails the preview, naming it.
    project.set_config("plan_uuid", "pl_00000000-0000-4000-8000-000000000000")
    failed = project.pulumi("preview", check=False)
    assert failed.returncode != 0
    assert "no Plan with uuid 'pl_00000000-0000-4000-8000-000000000000' exists" in failed.stdout + failed.stderr
