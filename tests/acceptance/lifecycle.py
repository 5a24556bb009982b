"""One acceptance run: the bootstrap program (this repository's ``Pulumi.yaml`` and ``__main__.py``) in a scratch
project, on a stack of its own with a local file backend, pointed at a :class:`~tests.acceptance.target.Target`,
and the cleanup that follows it whatever happened.

The program is run as users run it, through the real ``pulumi`` CLI (:class:`testkit.projects.CliProject`). It is
not changed for the suite: the run's prefix reaches every object name through the catalog the run writes into the
stack's config (:func:`catalog`), the data sources' and plan groups' names and the plans' names and external ids
alike. The key reaches the provider in ``CHARTMOGUL_API_KEY`` (never on a command line, never in the stack's
files); the endpoint and the account pin (``chartmogul:allowedAccountIds``) are stack config.

:func:`acceptance_run` looks the account up first (a wrong account is refused before anything is made) and, when
the body ends, by success or failure, runs ``pulumi destroy`` (unless the body did) and then the sweep by the run's
own prefix (``sweep.sweep``), which also removes what the run made outside Pulumi. After a success anything left
fails the run; after a failure what is left is reported beside the failure, which propagates unchanged.
"""

from __future__ import annotations

import copy
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi_chartmogul.api.client import ChartMogulClient
from pulumi_chartmogul.catalog.names import CATALOG_KEY, GROUPS_KEY
from testkit.projects import CliProject

from .sweep import sweep
from .target import Target, check_account, new_run_prefix

REPO = Path(__file__).resolve().parents[2]
VENV = REPO / ".venv"
STACK = "acceptance"
PASSPHRASE = "acceptance-passphrase"
CLI_TIMEOUT = 240.0  # one command; below pytest-timeout's 300 s, as the e2e tests' (tests/conftest.py)
PIN_KEY = "chartmogul:allowedAccountIds"
ENDPOINT_KEY = "chartmogul:endpoint"


class StepFailed(AssertionError):
    """A ``pulumi`` command of the run exited non-zero; the message has what it printed."""


class CleanupFailed(AssertionError):
    """The run succeeded, but left objects in the account (or could not destroy its stack)."""


def catalog(prefix: str) -> dict[str, Any]:
    """The stack config a run starts from: two data sources (one with a ``key``, so that renaming it is one
    replacement), four plans, two plan groups (with keys, so that a rename is an update); every name and external
    id starts with ``prefix``."""
    billing, resellers = f"{prefix}billing", f"{prefix}resellers"
    return {
        CATALOG_KEY: [
            {"name": billing, "plans": [
                {"name": f"{prefix}Basic", "interval_count": 1, "interval_unit": "month",
                 "external_id": f"{prefix}basic_monthly"},
                {"name": f"{prefix}Basic (annual)", "interval_count": 1, "interval_unit": "year",
                 "external_id": f"{prefix}basic_yearly"},
                {"name": f"{prefix}Trial", "interval_count": 14, "interval_unit": "day",
                 "external_id": f"{prefix}trial_14"},
            ]},
            {"name": resellers, "key": "resellers", "plans": [
                {"name": f"{prefix}Reseller", "interval_count": 3, "interval_unit": "month",
                 "external_id": f"{prefix}reseller_quarterly"},
            ]},
        ],
        GROUPS_KEY: [
            {"name": f"{prefix}Self-serve", "key": "self-serve", "plans": [
                {"data_source": billing, "external_id": f"{prefix}basic_monthly"},
                {"data_source": billing, "external_id": f"{prefix}basic_yearly"},
            ]},
            {"name": f"{prefix}Partners", "key": "partners", "plans": [
                {"data_source": resellers, "external_id": f"{prefix}reseller_quarterly"},
            ]},
        ],
    }


@dataclass
class Run:
    """A run in progress: where it works, its prefix, its project and the catalog its stack config holds."""

    target: Target
    prefix: str
    project: CliProject
    client: ChartMogulClient
    config: dict[str, Any] = field(default_factory=dict)
    destroyed: bool = False
    commands: list[str] = field(default_factory=list)  # every pulumi command run, in order
    # Requests the target has answered so far, where it can tell (the emulator's stats); None: not counted.
    meter: Callable[[], int] | None = None
    cli_requests: int = 0  # of them, those the CLI's commands sent (with a meter)

    def pulumi(self, *args: str) -> str:
        """``pulumi ARGS`` on the run's stack; its stdout, or :class:`StepFailed` with its output."""
        self.commands.append(" ".join(args))
        before = self.meter() if self.meter else 0
        try:
            return self.project.checked(*args).stdout
        finally:
            if self.meter:
                self.cli_requests += self.meter() - before

    def write_config(self, config: dict[str, Any]) -> None:
        """The catalog and plan groups into the stack file (the program's config, as a user edits it)."""
        self.config = copy.deepcopy(config)
        for key, value in config.items():
            self.project.set_stack_config(key, value)

    def preview_steps(self) -> dict[str, str]:
        """Resource name → operation for our resources that ``pulumi preview --json`` says would change."""
        steps = json.loads(self.pulumi("preview", "--json")).get("steps", [])
        return {step["urn"].rsplit("::", 1)[1]: step["op"] for step in steps
                if "dynamic/chartmogul:" in step["urn"] and step["op"] not in ("same", "refresh")}

    def state(self) -> dict[str, str]:
        """Resource name → id of our resources in the stack's state."""
        deployment = json.loads(self.pulumi("stack", "export"))["deployment"]
        return {resource["urn"].rsplit("::", 1)[1]: resource["id"] for resource in deployment.get("resources", [])
                if "dynamic/chartmogul:" in resource["type"]}

    def outputs(self) -> dict[str, Any]:
        return dict(json.loads(self.pulumi("stack", "output", "--json")))


def new_project(target: Target, scratch: Path, cli_dir: Path) -> CliProject:
    """The bootstrap program copied into ``scratch``, its stack and state there, the key in the environment."""
    return CliProject.copied(scratch, REPO, cli_dir=cli_dir, stack=STACK, passphrase=PASSPHRASE, virtualenv=VENV,
                             env={
                                 # The program and the provider host import this checkout's pulumi_chartmogul.
                                 "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO),
                                                                             os.environ.get("PYTHONPATH")])),
                                 # Only this reaches the provider from the environment; the rest is stack config.
                                 "CHARTMOGUL_API_KEY": target.api_key,
                                 "CHARTMOGUL_ENDPOINT": "",
                                 "CHARTMOGUL_ADOPT_EXISTING": "",
                                 "CHARTMOGUL_ALLOWED_ACCOUNT_IDS": "",
                             }, timeout=CLI_TIMEOUT, failure=StepFailed)


@contextmanager
def acceptance_run(target: Target, scratch: Path, cli_dir: Path, *, prefix: str | None = None,
                   meter: Callable[[], int] | None = None) -> Iterator[Run]:
    """A run on a new stack with :func:`catalog` in its config (nothing deployed yet), cleaned up afterwards.
    ``meter``: the requests the target has answered so far, when it can tell (to count what the CLI sends)."""
    client = target.client()
    check_account(client)  # Refused here, before a stack or an object exists
    run = Run(target, prefix or new_run_prefix(), new_project(target, scratch, cli_dir), client, meter=meter)
    run.project.checked("stack", "init", STACK, stack=False)
    run.project.set_config(ENDPOINT_KEY, target.endpoint)
    run.project.set_stack_config(PIN_KEY, list(target.allowed_account_ids))
    run.write_config(catalog(run.prefix))
    try:
        yield run
    except BaseException:
        problems = clean_up(run)
        if problems:
            print(f"acceptance cleanup after a failure, prefix {run.prefix}:\n  " + "\n  ".join(problems),
                  file=sys.stderr)
        raise
    problems = clean_up(run)
    if problems:
        raise CleanupFailed(f"the run (prefix {run.prefix}) did not leave the account clean:\n  "
                            + "\n  ".join(problems))


def clean_up(run: Run) -> list[str]:
    """``pulumi destroy`` unless the run destroyed its stack, then the sweep by the run's prefix: what went wrong,
    and what is left. Each step runs whatever the one before it did."""
    problems: list[str] = []
    if not run.destroyed:
        run.project.run("cancel", "--yes")  # a lock left by an interrupted command
        destroyed = run.project.run("destroy", "--yes", "--skip-preview")
        if destroyed.returncode != 0:
            problems.append(f"`pulumi destroy` exited {destroyed.returncode}: "
                            f"{(destroyed.stderr or destroyed.stdout).strip()[-2000:]}")
    try:
        problems.extend(sweep(run.client, run.prefix))
    except Exception as exc:
        problems.append(f"the sweep failed: {type(exc).__name__}: {exc}")
    return problems
