"""Bringing an existing account under management, as a new user would, through the real CLI: a messy account
(one external id in several sources, generated ids, Unicode, an empty source, a Stripe source, plan groups) →
``pulumi-chartmogul export --adopt -o Pulumi.<stack>.yaml`` (each entry with its uuid) → ``pulumi stack init`` +
key and endpoint → ``pulumi preview`` (one import per object, no create, update or delete; reads only) →
``pulumi up`` (no POST, no PATCH) → the account unchanged and every object in the state → a second ``up`` sends
nothing → ``export`` again identical. The bootstrap project's Pulumi.yaml runs our provider host, which is what
lets the engine import a dynamic resource at all (pulumi/pulumi#16175)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from testkit.accounts import STRIPE_PLANS, seed_messy_account, snapshot
from testkit.emulator import Emulator
from testkit.reads import assert_plans_read

from .conftest import KEY, REPO, Project, api_plans, changing_steps, make_project, new_stack

PLANS, SOURCES = 150, 6


def export(emulator: Emulator, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CHARTMOGUL_API_KEY": KEY, "CHARTMOGUL_ENDPOINT": emulator.api_root}
    done = subprocess.run([sys.executable, "-m", "pulumi_chartmogul", "export", "--adopt", *args], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done


def sent(emulator: Emulator, before: Counter[str]) -> dict[str, int]:
    return dict(Counter(emulator.stats()["by_route"]) - before)


def object_requests(emulator: Emulator, before: Counter[str]) -> dict[str, int]:
    """:func:`sent`, less the account lookup of a stack the export pinned to its account (``allowedAccountIds``):
    exactly one in a command that sends anything (its one provider host's first request), none in one that does
    not."""
    requests = sent(emulator, before)
    lookups = requests.pop("GET /v1/account", 0)
    assert lookups == (1 if requests else 0), (lookups, requests)
    return requests


def test_export_adopt_preview_up(tmp_path: Path, emulator: Emulator) -> None:
    seed_messy_account(emulator, plans=PLANS, data_sources=SOURCES)
    project, done = adopt_exported(tmp_path, emulator)
    assert "left out: data source 'Stripe'" in done.stderr
    assert len(project.resources("DataSource")) == SOURCES - 1
    assert len(project.resources("Plan")) == PLANS - STRIPE_PLANS
    assert len(api_plans(emulator)) == PLANS


def adopt_exported(tmp_path: Path, emulator: Emulator) -> tuple[Project, subprocess.CompletedProcess[str]]:
    """The whole adoption of the account the emulator holds, checked step by step; the project and what the first
    export printed."""
    account = snapshot(emulator)
    ours = {s["uuid"] for s in account["data_sources"] if s["system"] == "Custom"}
    own_plans = {p["uuid"] for p in account["plans"] if p["data_source_uuid"] in ours}
    groups = {g["uuid"] for g in account["plan_groups"]}
    objects = len(ours) + len(own_plans) + len(groups)

    project = make_project(tmp_path, REPO, stack="e2e")
    done = export(emulator, "--output", str(project.stack_file))
    first = project.stack_file.read_bytes()
    new_stack(project, emulator)  # stack init, then the key and endpoint added to the exported file
    others = {"GET /v1/data_sources/{uuid}": len(ours), "GET /v1/plan_groups/{uuid}": len(groups),
              "GET /v1/plan_groups/{uuid}/plans": len(groups)}
    before = Counter(emulator.stats()["by_route"])
    preview = project.pulumi("preview", "--json").stdout
    steps = changing_steps(preview)  # one preview, asserted on here and reviewed below
    # No create, update, replace or delete: an import per object, each read by its uuid (plans: listed).
    assert Counter(steps.values()) == {"import": objects}
    assert_plans_read(object_requests(emulator, before), len(own_plans), others)
    reviewed = subprocess.run([sys.executable, "-m", "pulumi_chartmogul", "review", "--format", "text", "-"],
                              input=preview, capture_output=True, text=True, check=True, timeout=60).stdout
    # The review counts the new stack itself (the change summary's create) and lists only the imports.
    assert f"Changes: 1 to create, {objects} to import (0 unchanged)." in reviewed, reviewed
    assert sum(line.startswith("import ") for line in reviewed.splitlines()) == objects
    summary = project.pulumi("preview").stdout
    assert f"= {objects} to import" in summary
    assert not any(f"to {op}" in summary for op in ("update", "delete", "replace")), summary
    assert "+ 1 to create" in summary and "pulumi:pulumi:Stack" in summary  # the new stack itself, nothing else

    # The reviewed preview, then apply it. (A plain `up` runs its own preview first: each object read twice.)
    before = Counter(emulator.stats()["by_route"])
    project.pulumi("up", "--yes", "--skip-preview")
    requests = object_requests(emulator, before)
    assert not any(route.startswith(("POST", "PATCH", "DELETE")) for route in requests), requests
    assert_plans_read(requests, len(own_plans), others)  # the import's read of each object, and nothing else
    assert snapshot(emulator) == account
    assert {r["id"] for r in project.resources("DataSource").values()} == ours
    assert {r["id"] for r in project.resources("Plan").values()} == own_plans
    assert {r["id"] for r in project.resources("PlanGroup").values()} == groups
    outputs = project.outputs()
    names = {s["uuid"]: s["name"] for s in account["data_sources"]}
    assert outputs["plans"] == {
        names[source]: {p["external_id"]: p["uuid"] for p in account["plans"] if p["data_source_uuid"] == source}
        for source in sorted(ours, key=names.__getitem__)}

    imported = project.export()["deployment"]["resources"]
    before = Counter(emulator.stats()["by_route"])
    project.pulumi("preview", "--expect-no-changes")
    project.pulumi("up", "--yes", "--skip-preview", "--expect-no-changes")
    # The import wrote the inputs the declaration checks to, so this up had nothing to record (a rewrite of
    # every imported resource would make it as slow as the import). Only a group's member order is new: the
    # import reads ChartMogul's order, the catalog declares its own.
    def recorded(resources: list[dict[str, Any]]) -> dict[str, Any]:
        return {r["urn"]: {**r.get("inputs", {}), "plans": sorted(r["inputs"]["plans"])}
                if r["type"].endswith(":PlanGroup") else r.get("inputs")
                for r in resources if "dynamic/chartmogul:" in r["type"]}  # (the provider's holds ciphertext)

    assert recorded(project.export()["deployment"]["resources"]) == recorded(imported)
    assert sent(emulator, before) == {}
    assert export(emulator).stdout.encode() == first  # byte-identical after adoption
    return project, done


def test_the_pulumi_import_command_records_an_object_through_the_host(tmp_path: Path, emulator: Emulator) -> None:
    """`pulumi import TYPE NAME UUID --generate-code=false`: the same Read as `import_`, so it works too (code
    generation would need a provider schema, which a dynamic provider does not have)."""
    source = emulator.api("POST", "/data_sources", key=KEY, json={"name": "By hand"}).json()
    plan = emulator.api("POST", "/plans", key=KEY, json={"data_source_uuid": source["uuid"], "name": "Gold",
                                                        "interval_count": 1, "interval_unit": "month",
                                                        "external_id": "gold"}).json()
    project = new_stack(make_project(tmp_path, REPO, stack="e2e"), emulator)
    project.set_catalog([])
    before = Counter(emulator.stats()["by_route"])
    project.pulumi("import", "pulumi-python:dynamic/chartmogul:Plan", "by-hand-gold", plan["uuid"], "--yes",
                   "--generate-code=false")
    assert sent(emulator, before) == {"GET /v1/plans/{uuid}": 2}  # its preview, then the import
    [imported] = project.resources("Plan").values()
    assert (imported["id"], imported["outputs"]["name"], imported["inputs"]["external_id"]) == (
        plan["uuid"], "Gold", "gold")
