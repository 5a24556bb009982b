"""The e2e tests' limit on one ``pulumi`` command and pytest-timeout's limit on a test agree: the command's is the
lower, with room to kill what it started and report, so a hung command fails as itself; and pytest-timeout
interrupts with a signal raised in the test (which ``testkit.processes.run_marked`` answers by killing the command
and its children), not by ending the process (its thread method), which would leave them running."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.conftest import CLI_TIMEOUT

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
# Killing a command's processes and reporting what it printed takes seconds; leave far more.
MARGIN_SECONDS = 30.0


def ini_options() -> dict[str, object]:
    with PYPROJECT.open("rb") as handle:
        return dict(tomllib.load(handle)["tool"]["pytest"]["ini_options"])


def test_a_cli_command_times_out_before_its_test_does() -> None:
    assert float(str(ini_options()["timeout"])) >= CLI_TIMEOUT + MARGIN_SECONDS


def test_pytest_timeout_interrupts_the_test_rather_than_ending_the_process() -> None:
    assert ini_options()["timeout_method"] == "signal"
