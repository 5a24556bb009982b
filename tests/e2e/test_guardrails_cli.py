"""Issue 28 through the real CLI: the ChartMogul guardrails policy pack, as ``pulumi-chartmogul policy-pack`` writes
it, run in its file form (``--policy-pack DIR/run-policy-pack``, the form this CLI can boot) against the emulator.

- an unprotected data source fails ``preview`` and ``up`` with nothing sent, naming it; protected, the program passes;
- a program that drops a data source the floor names fails before anything is deleted;
- a daily plan fails when the config forbids it, and the config changes a rule's pattern;
- a value unknown in preview (an external id made from a new data source's uuid) decides nothing there, and the
  ``up`` checks it once known;
- ``pulumi policy analyze`` checks an existing stack;
- ``pulumi-chartmogul review`` of the streaming JSON preview puts the violations at the top of the comment.

Each test writes its own pack folder with the command; the pack's virtualenv is made once (tests/e2e/guardrails.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pulumi_chartmogul.commands import preview_stream
from testkit.emulator import Emulator
from tests.e2e.conftest import REPO, Project, api_plans, api_sources, make_project, new_stack
from tests.e2e.guardrails import STREAMING, write_pack

PROGRAM = '''\
"""The guardrails e2e program: stack config `sources` declares data sources, their plans and a plan group each."""

import pulumi

from pulumi_chartmogul import DataSource, Plan, PlanGroup

for source in pulumi.Config().require_object("sources"):
    data_source = DataSource(
        source["resource"], name=source["name"], force_destroy=source.get("force_destroy", False),
        opts=pulumi.ResourceOptions(protect=source.get("protect", True)))
    plans = {}
    for plan in source.get("plans", []):
        external_id = plan["external_id"]
        if plan.get("derived"):  # made from the data source's uuid: unknown in the preview that creates it
            external_id = data_source.uuid.apply(lambda uuid, prefix=external_id: prefix + uuid[-6:].lower())
        plans[plan["resource"]] = Plan(
            plan["resource"], data_source_uuid=data_source.uuid, name=plan["name"],
            interval_count=plan.get("interval_count", 1), interval_unit=plan.get("interval_unit", "month"),
            external_id=external_id)
    grouped = [plans[name].uuid for name in source.get("group", [])]
    if grouped:
        PlanGroup(f"{source['resource']}-group", name=f"{source['name']} group", plans=grouped)
'''


def source(resource: str, name: str, plans: list[dict[str, Any]], **options: Any) -> dict[str, Any]:
    return {"resource": resource, "name": name, "plans": plans, **options}


def plan(resource: str, external_id: str, unit: str = "month", **more: Any) -> dict[str, Any]:
    return {"resource": resource, "name": resource.title(), "external_id": external_id, "interval_unit": unit, **more}


@pytest.fixture
def launcher(tmp_path: Path) -> Path:
    return write_pack(tmp_path / "pack")


@pytest.fixture
def project(tmp_path: Path, emulator: Emulator) -> Project:
    program = tmp_path / "program"
    program.mkdir()
    (program / "Pulumi.yaml").write_text("name: guardrails\nruntime: python\n", encoding="utf-8")
    (program / "__main__.py").write_text(PROGRAM, encoding="utf-8")
    return new_stack(make_project(tmp_path, program, stack="e2e"), emulator)


class Guarded:
    """The project with the pack: its commands, the policy config file, what the emulator was sent."""

    def __init__(self, project: Project, launcher: Path, emulator: Emulator) -> None:
        self.project, self.launcher, self.emulator = project, launcher, emulator
        self.config_file = project.folder.parent / "policy-config.json"
        self.configure({})

    def configure(self, config: dict[str, Any]) -> None:
        self.config_file.write_text(json.dumps(config), encoding="utf-8")

    def declare(self, sources: list[dict[str, Any]]) -> None:
        self.project.set_stack_config("guardrails:sources", sources)

    def pack_args(self) -> tuple[str, ...]:
        return ("--policy-pack", str(self.launcher), "--policy-pack-config", str(self.config_file))

    def run(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return self.project.pulumi(*args, *self.pack_args(), env=env, check=False)

    def stream(self) -> tuple[int, str, preview_stream.Preview]:
        """A streaming JSON preview with the pack: its exit status, its output (the events), and what they say."""
        done = self.run("preview", "--json", env=STREAMING)
        return done.returncode, done.stdout, preview_stream.read(done.stdout)

    def requests(self) -> dict[str, int]:
        return dict(self.emulator.stats()["by_route"])


@pytest.fixture
def guarded(project: Project, launcher: Path, emulator: Emulator) -> Guarded:
    return Guarded(project, launcher, emulator)


def violations(preview: preview_stream.Preview) -> set[tuple[str, str, str]]:
    """(enforcement level, policy, resource name) of each policy event."""
    return {(v.level, v.policy, v.urn.rsplit("::", 1)[-1] if v.urn else "") for v in preview.violations}


def sent_writes(requests: dict[str, int]) -> list[str]:
    return [route for route in requests if not route.startswith("GET ")]


def test_an_unprotected_data_source_fails_preview_and_up_with_nothing_sent(guarded: Guarded,
                                                                            emulator: Emulator) -> None:
    catalog = [source("billing", "Billing", [plan("basic", "basic_monthly"), plan("pro", "pro_monthly")],
                      protect=False, group=["basic", "pro"])]
    guarded.declare(catalog)
    for command in (("preview",), ("up", "--yes")):
        failed = guarded.run(*command)
        output = failed.stdout + failed.stderr
        assert failed.returncode != 0, output
        assert "chartmogul-data-sources-protected" in output
        assert "DataSource 'billing' (Billing) is not protected" in output and "protect=True" in output, output
    assert guarded.requests() == {}  # nothing was sent, not even a read

    catalog[0]["protect"] = True
    guarded.declare(catalog)
    code, _, preview = guarded.stream()
    assert code == 0, preview
    assert preview.violations == [] and preview.counts() == {"create": 5}
    assert guarded.requests() == {}
    guarded.project.pulumi("up", "--yes", "--skip-preview", *guarded.pack_args())
    assert set(api_sources(emulator)) == {"Billing"}
    assert set(api_plans(emulator)) == {("Billing", "basic_monthly"), ("Billing", "pro_monthly")}


def test_the_floor_stops_a_program_that_drops_a_data_source_before_anything_is_deleted(
        guarded: Guarded, emulator: Emulator) -> None:
    billing = source("billing", "Billing", [plan("basic", "basic_monthly"), plan("pro", "pro_monthly")],
                     protect=False)
    resellers = source("resellers", "Resellers", [plan("reseller", "reseller_quarterly")], protect=False)
    guarded.declare([billing, resellers])
    guarded.project.pulumi("up", "--yes", "--skip-preview")  # made without the pack

    # `pulumi policy analyze` checks the stack as it is, without running the program: both sources unprotected.
    analyzed = guarded.project.pulumi("policy", "analyze", *guarded.pack_args(), check=False)
    output = analyzed.stdout + analyzed.stderr
    assert analyzed.returncode != 0, output
    assert "DataSource 'billing' (Billing) is not protected" in output, output
    assert "DataSource 'resellers' (Resellers) is not protected" in output

    guarded.configure({"chartmogul-data-sources-protected": {"enforcementLevel": "disabled"},
                       "chartmogul-catalog-floor": {"dataSources": ["Resellers"], "minPlans": 3}})
    guarded.declare([billing])
    before = guarded.requests()
    for command in (("preview",), ("up", "--yes")):
        failed = guarded.run(*command)
        output = failed.stdout + failed.stderr
        assert failed.returncode != 0, output
        assert "the data source 'Resellers' is required by the floor" in output, output
        assert "the stack would hold 2 plans, fewer than the floor of 3" in output
        assert "is not protected" not in output  # that rule is off by config
    assert sent_writes(guarded.requests()) == sent_writes(before)  # no delete sent
    assert set(api_sources(emulator)) == {"Billing", "Resellers"}
    assert ("Resellers", "reseller_quarterly") in api_plans(emulator)


def guide_config() -> dict[str, Any]:
    """The policy config docs/guides/guardrails.md shows (its first JSON block): this test runs it."""
    guide = (REPO / "docs" / "guides" / "guardrails.md").read_text(encoding="utf-8")
    config: dict[str, Any] = json.loads(guide.split("```json\n", 1)[1].split("```", 1)[0])
    return config


def test_config_forbids_daily_plans_and_changes_a_pattern(guarded: Guarded) -> None:
    guarded.declare([source("in-house", "In-house billing", [
        plan("basic", "basic-monthly"), plan("daily", "daily_pass", "day"),
        plan("pro", "pro-quarterly", interval_count=3)], group=["basic", "pro"])])
    code, _, preview = guarded.stream()  # the defaults: day allowed, external ids ^[a-z0-9_]+$
    assert code != 0
    assert violations(preview) == {("mandatory", "chartmogul-plan-naming", "basic"),
                                   ("mandatory", "chartmogul-plan-naming", "pro"),
                                   ("advisory", "chartmogul-plans-grouped", "daily")}, preview
    # the group's plan uuids are unknown in this preview; the group's dependencies still say which plans it holds
    naming = next(v for v in preview.violations if v.resource == "basic")
    assert "has external_id 'basic-monthly', which does not match the pattern '^[a-z0-9_]+$'" in naming.message

    # The guide's config: no daily plans, kebab-case external ids, the floor met, the plan-group advice off.
    guarded.configure(guide_config())
    code, output, preview = guarded.stream()
    assert code != 0
    assert violations(preview) == {("mandatory", "chartmogul-plan-intervals", "daily"),
                                   ("mandatory", "chartmogul-plan-naming", "daily")}, preview
    messages = " ".join(v.message for v in preview.violations)
    assert "Plan 'daily' (Daily) is billed per day (interval_unit: day)" in messages
    assert "'daily_pass', which does not match the pattern '^[a-z]+(-[a-z0-9]+)*$'" in messages
    assert guarded.requests() == {}

    # The review of that preview: the violations first, before the changes.
    reviewed = subprocess.run([sys.executable, "-m", "pulumi_chartmogul", "review", "-"], input=output,
                              capture_output=True, text=True, timeout=60, check=False, cwd=REPO)
    assert reviewed.returncode == 0, reviewed.stderr
    comment = reviewed.stdout
    assert comment.index("Policy violations (2)") < comment.index("#### Changes")
    assert "| mandatory | chartmogul-plan-intervals | Plan `daily` | Plan 'daily' (Daily) is billed per day" in comment


def test_unknown_values_decide_nothing_in_preview_and_are_checked_by_the_up(guarded: Guarded,
                                                                            emulator: Emulator) -> None:
    guarded.declare([source("billing", "Billing", [plan("good", "ok_", derived=True),
                                                   plan("bad", "BAD-", derived=True)])])
    code, _, preview = guarded.stream()
    assert code == 0, preview  # both external ids are unknown here: neither passes nor fails the naming rule
    assert violations(preview) == {("advisory", "chartmogul-plans-grouped", "good"),
                                   ("advisory", "chartmogul-plans-grouped", "bad")}
    failed = guarded.run("up", "--yes", "--skip-preview")
    output = failed.stdout + failed.stderr
    assert failed.returncode != 0, output
    assert "Plan 'bad' (Bad) has external_id 'BAD-" in output and "chartmogul-plan-naming" in output
    assert "Plan 'good'" not in output
    assert not [key for key in api_plans(emulator) if key[1].startswith("BAD-")]
    # without a preview, the steps before the violation were applied (the guide's limits): the data source is made
    assert set(api_sources(emulator)) == {"Billing"}


def test_the_launcher_without_its_virtualenv_says_how_to_make_it(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    subprocess.run([sys.executable, "-m", "pulumi_chartmogul", "policy-pack", str(folder)], capture_output=True,
                   text=True, timeout=60, check=True)
    done = subprocess.run([str(folder / "run-policy-pack"), "127.0.0.1:1"], capture_output=True, text=True,
                          timeout=30, check=False)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == (f"run-policy-pack: no virtualenv in {folder}/venv; run: cd {folder} && python3 -m venv venv "
                           "&& venv/bin/pip install -r requirements.txt\n")
