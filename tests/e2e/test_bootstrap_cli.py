"""The bootstrap program through the Automation API (the real CLI underneath, local file backend) against the
emulator: up, a no-change preview, an in-place rename, an external-id replacement, a refresh after an
out-of-band delete, and a destroy that leaves the emulator empty. Every step asserts on the engine's events and
change summary and on the emulator's own state, so it cannot pass without doing the work.
"""

from __future__ import annotations

import copy
import importlib
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from pulumi_chartmogul.commands import pulumi_cli
from testkit.emulator import Emulator
from testkit.processes import MARK_VARIABLE, kill_marked, new_mark
from testkit.projects import copy_program
from tests.e2e.conftest import CATALOG, CLI_DIR

yaml: Any = importlib.import_module("yaml")  # PyYAML comes with pulumi; its stubs are not installed
REPO = Path(__file__).resolve().parents[2]
PROJECT = "chartmogul-bootstrap"
STACK = "e2e"
KEY = "e2e-key"
CHANGING = {"create", "update", "delete", "replace", "create-replacement", "delete-replaced", "import"}
OUR_TYPES = ("pulumi-python:dynamic/chartmogul:",)



def write_catalog(project: Path, catalog: list[dict[str, Any]]) -> None:
    """Put the catalog into Pulumi.e2e.yaml as structured config, keeping what the CLI wrote there."""
    path = project / f"Pulumi.{STACK}.yaml"
    settings = yaml.safe_load(path.read_text()) if path.exists() else None
    settings = settings or {}
    settings.setdefault("config", {})[f"{PROJECT}:catalog"] = catalog
    path.write_text(yaml.safe_dump(settings, sort_keys=False))


def listed(emulator: Emulator, path: str, field: str) -> list[dict[str, Any]]:
    response = emulator.api("GET", path, key=KEY)
    assert response.status_code == 200, response.text
    return list(response.json()[field])


def plans_by_external_id(emulator: Emulator) -> dict[str, dict[str, Any]]:
    return {p["external_id"]: p for p in listed(emulator, "/plans?per_page=200", "plans")}


def _op(op: Any) -> str:
    return str(getattr(op, "value", op))


def changes(summary: Any) -> Counter[str]:
    """The operations in a change summary that change something ('same' also counts the stack and provider)."""
    return Counter({_op(op): int(n) for op, n in dict(summary or {}).items() if _op(op) in CHANGING and n})


class Steps:
    """The engine's step events of one operation: which resource got which operation."""

    def __init__(self) -> None:
        self.ops: list[tuple[str, str, str]] = []  # (type, urn, op)

    def __call__(self, event: auto.EngineEvent) -> None:
        if event.resource_pre_event is not None:
            meta = event.resource_pre_event.metadata
            self.ops.append((meta.type, meta.urn, _op(meta.op)))

    def ours(self) -> dict[str, str]:
        """URN → op for the ChartMogul resources that change."""
        return {urn: op for typ, urn, op in self.ops if typ.startswith(OUR_TYPES) and op in CHANGING}

    def others(self) -> dict[str, str]:
        return {urn: op for typ, urn, op in self.ops if not typ.startswith(OUR_TYPES) and op in CHANGING}


def assert_changes(summary: Any, steps: Steps, expected: dict[str, str]) -> None:
    """Our resources got exactly ``expected`` (URN → op), nothing else changed, and the summary says the same.

    The default ``pulumi-python`` provider's inputs are the whole stack config, so when the catalog in the config
    changes the real engine sends an "update" event for it (seen with CLI 3.274.1), but counts no default-provider
    step in the summary; the stack resource itself stays "same".
    """
    assert steps.ours() == expected
    assert set(steps.others()) <= {DEFAULT_PROVIDER}
    assert changes(summary) == Counter(expected.values())


DEFAULT_PROVIDER = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:providers:pulumi-python::default"


def urn(kind: str, resource_name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::pulumi-python:dynamic/chartmogul:{kind}::{resource_name}"


def plan_urn(resource_name: str) -> str:
    return urn("Plan", resource_name)


@pytest.fixture
def stack(tmp_path: Path, emulator: Emulator) -> Iterator[auto.Stack]:
    project = tmp_path / "project"
    copy_program(REPO, project, virtualenv=REPO / ".venv")
    (tmp_path / "state").mkdir()
    assert CLI_DIR is not None
    mark = new_mark()  # every CLI the Automation API starts, and what they start, carries it
    env = pulumi_cli.offline_env(CLI_DIR, tmp_path / "state", "e2e", {
        # The program and the provider host import this checkout's pulumi_chartmogul.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        "CHARTMOGUL_API_KEY": "",
        "CHARTMOGUL_ENDPOINT": "",
        MARK_VARIABLE: mark,
    })
    command = auto.PulumiCommand(root=str(CLI_DIR.parent))
    created = auto.create_or_select_stack(
        stack_name=STACK, work_dir=str(project), opts=auto.LocalWorkspaceOptions(env_vars=env, pulumi_command=command)
    )
    created.set_config("chartmogul:apiKey", auto.ConfigValue(KEY, secret=True))
    created.set_config("chartmogul:endpoint", auto.ConfigValue(emulator.api_root))
    write_catalog(project, CATALOG)
    try:
        yield created
    finally:
        # No destroy: the backend is the test's own folder. Whatever a failed or timed-out step left running goes.
        kill_marked(mark)


def by_source(plans: dict[str, Any], sources: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The program's ``plans`` output for these plans: data source name -> external id -> uuid."""
    return {name: {k: p["uuid"] for k, p in plans.items() if p["data_source_uuid"] == s["uuid"]}
            for name, s in sources.items()}


def test_bootstrap_lifecycle_through_the_cli(stack: auto.Stack, emulator: Emulator) -> None:
    project = Path(stack.workspace.work_dir)
    declared = {p["external_id"]: (ds["name"], p) for ds in CATALOG for p in ds["plans"]}
    every_resource = {urn("DataSource", "e2e-billing"), urn("DataSource", "e2e-resellers")} | {
        plan_urn(f"{'e2e-billing' if source == 'E2E billing' else 'e2e-resellers'}-{external_id}")
        for external_id, (source, _) in declared.items()
    }

    # 1. up creates everything; the exports are the emulator's uuids.
    steps = Steps()
    up = stack.up(on_event=steps)
    assert steps.ours() == dict.fromkeys(every_resource, "create")
    # Our resources and the stack (default providers are not counted).
    assert changes(up.summary.resource_changes) == Counter({"create": len(every_resource) + 1})
    sources = {s["name"]: s for s in listed(emulator, "/data_sources", "data_sources")}
    plans = plans_by_external_id(emulator)
    assert set(sources) == {ds["name"] for ds in CATALOG}
    assert set(plans) == set(declared)
    for external_id, (source_name, plan) in declared.items():
        assert plans[external_id]["data_source_uuid"] == sources[source_name]["uuid"]
        assert {k: plans[external_id][k] for k in plan} == plan
    assert up.outputs["data_sources"].value == {name: s["uuid"] for name, s in sources.items()}
    assert up.outputs["plans"].value == by_source(plans, sources)
    # The key went in as a secret config value: the state on disk holds only its ciphertext. (Not checked through
    # stack.export_stack(): the Automation API exports with --show-secrets, decrypting it on purpose.)
    state_files = [p for p in (project.parent / "state").rglob("*") if p.is_file()]
    assert state_files and not any(KEY.encode() in p.read_bytes() for p in state_files)

    # 2. Nothing changed: the preview shows no change at all, and every one of our resources as the same.
    steps = Steps()
    preview = stack.preview(on_event=steps)
    assert changes(preview.change_summary) == Counter()
    assert steps.ops and {u: op for t, u, op in steps.ops if t.startswith(OUR_TYPES)} == dict.fromkeys(
        every_resource, "same")
    assert {_op(op): n for op, n in preview.change_summary.items()} == {"same": len(every_resource) + 1}

    # 3. Renaming a plan is an in-place update: same uuid, new name.
    renamed = plan_urn("e2e-billing-basic_monthly")
    catalog = copy.deepcopy(CATALOG)
    catalog[0]["plans"][0]["name"] = "Basic (renamed)"
    write_catalog(project, catalog)
    steps = Steps()
    assert_changes(stack.preview(on_event=steps).change_summary, steps, {renamed: "update"})
    steps = Steps()
    assert_changes(stack.up(on_event=steps).summary.resource_changes, steps, {renamed: "update"})
    after_rename = plans_by_external_id(emulator)
    assert after_rename["basic_monthly"]["uuid"] == plans["basic_monthly"]["uuid"]
    assert after_rename["basic_monthly"]["name"] == "Basic (renamed)"

    # 4. A new external id is a new plan: the resource name carries it, so the old one is deleted.
    moved = {plan_urn("e2e-billing-basic_annual"): "create", plan_urn("e2e-billing-basic_yearly"): "delete"}
    catalog[0]["plans"][1]["external_id"] = "basic_annual"
    write_catalog(project, catalog)
    steps = Steps()
    assert_changes(stack.preview(on_event=steps).change_summary, steps, moved)
    steps = Steps()
    up = stack.up(on_event=steps)
    assert_changes(up.summary.resource_changes, steps, moved)
    after_replace = plans_by_external_id(emulator)
    assert "basic_yearly" not in after_replace
    assert after_replace["basic_annual"]["uuid"] != plans["basic_yearly"]["uuid"]
    assert after_replace["basic_annual"]["name"] == "Basic (annual)"
    assert len(after_replace) == len(declared)
    assert up.outputs["plans"].value == by_source(after_replace, sources)

    # 5. A plan deleted behind Pulumi's back: refresh drops it from the state; the next preview recreates it.
    gone = after_replace["trial_14"]
    assert emulator.api("DELETE", f"/plans/{gone['uuid']}", key=KEY).status_code == 204
    refreshed = stack.refresh()
    # Only the vanished plan changed; the rest read back exactly as stored (no drift noise).
    assert changes(refreshed.summary.resource_changes) == Counter({"delete": 1})
    deployment = stack.export_stack().deployment
    assert deployment is not None
    urns = {r["urn"] for r in deployment["resources"]}
    assert plan_urn("e2e-billing-trial_14") not in urns
    assert plan_urn("e2e-billing-basic_monthly") in urns
    recreated = {plan_urn("e2e-billing-trial_14"): "create"}
    steps = Steps()
    assert_changes(stack.preview(on_event=steps).change_summary, steps, recreated)
    steps = Steps()
    assert_changes(stack.up(on_event=steps).summary.resource_changes, steps, recreated)
    assert "trial_14" in plans_by_external_id(emulator)

    # 6. destroy deletes every one of our resources and leaves the emulator empty.
    steps = Steps()
    destroyed = stack.destroy(on_event=steps)
    assert destroyed.summary.result == "succeeded"
    remaining = every_resource - {plan_urn("e2e-billing-basic_yearly")} | {plan_urn("e2e-billing-basic_annual")}
    assert steps.ours() == dict.fromkeys(remaining, "delete")
    assert changes(destroyed.summary.resource_changes) == Counter({"delete": len(every_resource) + 1})
    assert listed(emulator, "/plans", "plans") == []
    assert listed(emulator, "/data_sources", "data_sources") == []
