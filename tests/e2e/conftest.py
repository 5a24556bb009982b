"""The real Pulumi CLI (``make pulumi-cli``), a scratch project per test and the session's emulator.

Without a CLI the e2e tests skip with the reason; in CI (``CI=true``) they must run, so there a missing CLI fails
the run and says why.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import pytest

from pulumi_chartmogul.commands import pulumi_cli
from testkit.emulator import Emulator
from testkit.projects import CliProject
from tests.conftest import CLI_TIMEOUT as CLI_TIMEOUT  # re-exported: the e2e modules' limit per command

yaml: Any = pytest.importorskip("yaml")  # PyYAML comes with pulumi; its stubs are not installed

REPO = Path(__file__).resolve().parents[2]
VENV = REPO / ".venv"
PASSPHRASE = "e2e-passphrase"
KEY = "sk-e2e-key-5d1c8b2e"
BOOTSTRAP_PROJECT = "chartmogul-bootstrap"
# The bootstrap catalog the e2e flows start from: two data sources, four plans.
CATALOG: list[dict[str, Any]] = [
    {"name": "E2E billing", "plans": [
        {"name": "Basic", "interval_count": 1, "interval_unit": "month", "external_id": "basic_monthly"},
        {"name": "Basic (annual)", "interval_count": 1, "interval_unit": "year", "external_id": "basic_yearly"},
        {"name": "Trial", "interval_count": 14, "interval_unit": "day", "external_id": "trial_14"},
    ]},
    {"name": "E2E resellers", "plans": [
        {"name": "Reseller", "interval_count": 3, "interval_unit": "month", "external_id": "reseller_quarterly"},
    ]},
]

CLI_DIR = pulumi_cli.find(REPO)
if CLI_DIR is None:
    reason = (f"no Pulumi CLI in {REPO / pulumi_cli.CLI_DIR} or on PATH: run `make pulumi-cli` (official installer, "
              "or a build from Go modules) to get one")
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the e2e tests, but there is {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


P = TypeVar("P", bound=CliProject)


class CLIError(AssertionError):
    """A ``pulumi`` command that exited non-zero, with what it printed."""


PROGRAM_ENV = {
    # The program and the provider host import this checkout's pulumi_chartmogul.
    "PYTHONPATH": str(REPO),
    # Only what the stack's config says reaches the provider (no key or endpoint from the caller).
    "CHARTMOGUL_API_KEY": "",
    "CHARTMOGUL_ENDPOINT": "",
    "CHARTMOGUL_ADOPT_EXISTING": "",
    "CHARTMOGUL_ALLOWED_ACCOUNT_IDS": "",
}


class Project(CliProject):
    """The shared runner (:class:`testkit.projects.CliProject`) with what the e2e tests assert on."""

    def pulumi(self, *args: str, env: Mapping[str, str] | None = None, check: bool = True,
               stack: bool = True) -> subprocess.CompletedProcess[str]:
        """``pulumi ARGS`` in the project folder; raises :class:`CLIError` with its output if it fails."""
        return (self.checked if check else self.run)(*args, env=env, stack=stack)

    def set_catalog(self, catalog: list[dict[str, Any]], key: str = f"{BOOTSTRAP_PROJECT}:catalog") -> None:
        self.set_stack_config(key, catalog)

    def outputs(self) -> dict[str, Any]:
        return dict(json.loads(self.pulumi("stack", "output", "--json").stdout))

    def resources(self, kind: str) -> dict[str, dict[str, Any]]:
        """URN → state entry of our resources of one kind (``DataSource``/``Plan``) in the stack's state."""
        suffix = f"dynamic/chartmogul:{kind}"
        return {r["urn"]: r for r in self.export()["deployment"].get("resources", [])
                if r["type"].endswith(suffix)}

    def preview_steps(self, *args: str) -> dict[str, str]:
        """URN → op for our resources that ``pulumi preview --json`` says would change."""
        return changing_steps(self.pulumi("preview", "--json", *args).stdout)


def changing_steps(preview_json: str) -> dict[str, str]:
    """URN → op for our resources that a ``pulumi preview --json`` output says would change."""
    return {s["urn"]: s["op"] for s in json.loads(preview_json).get("steps", [])
            if "dynamic/chartmogul:" in s["urn"] and s["op"] not in ("same", "refresh")}


def make_project(tmp_path: Path, source: Path, *, stack: str, files: tuple[str, ...] = ()) -> Project:
    """A copy of the program in ``source`` (``__main__.py`` and ``files``), its virtualenv this repository's."""
    assert CLI_DIR is not None
    return Project.copied(tmp_path, source, cli_dir=CLI_DIR, stack=stack, passphrase=PASSPHRASE, virtualenv=VENV,
                          files=files, env=dict(PROGRAM_ENV), timeout=CLI_TIMEOUT, failure=CLIError)


def new_stack(project: P, emulator: Emulator) -> P:
    """``pulumi stack init`` with the key as a secret and the emulator as the endpoint."""
    project.checked("stack", "init", project.stack, stack=False)
    project.set_config("chartmogul:apiKey", KEY, secret=True)
    project.set_config("chartmogul:endpoint", emulator.api_root)
    return project


@pytest.fixture
def bootstrap(tmp_path: Path, emulator: Emulator) -> Project:
    """The bootstrap program (this repository's ``__main__.py``) on a fresh stack ``e2e``. Nothing to tear down: the
    backend is the test's own folder, the next test resets the emulator, and every command's processes have ended
    with it (:func:`testkit.processes.run_marked`)."""
    return new_stack(make_project(tmp_path, REPO, stack="e2e"), emulator)


def listed(emulator: Emulator, path: str, field_name: str) -> list[dict[str, Any]]:
    """Every object a list endpoint returns, following the cursor."""
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"per_page": 200}
    while True:
        response = emulator.api("GET", path, key=KEY, params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        items.extend(page[field_name])
        if not page.get("has_more") or not page.get("cursor"):
            return items
        params["cursor"] = page["cursor"]


def api_sources(emulator: Emulator) -> dict[str, dict[str, Any]]:
    """Name → data source, as the emulator's API lists them."""
    return {s["name"]: s for s in listed(emulator, "/data_sources", "data_sources")}


def api_plans(emulator: Emulator) -> dict[tuple[str, str], dict[str, Any]]:
    """(data source name, external id) → plan, as the emulator's API lists them."""
    names = {s["uuid"]: s["name"] for s in listed(emulator, "/data_sources", "data_sources")}
    return {(names.get(p["data_source_uuid"], p["data_source_uuid"]), p["external_id"]): p
            for p in listed(emulator, "/plans", "plans")}
