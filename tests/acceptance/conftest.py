"""The targets the acceptance suite runs against, and the real Pulumi CLI it needs.

``target`` is parametrised: ``emulator`` always (a fresh emulator process of its own, playing an account, with
ChartMogul's rate and connection limits and one accepted key); ``account`` only with ``CHARTMOGUL_ACCEPTANCE=1``
in the environment, and then it must run: a missing variable or CLI fails it rather than skipping it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pulumi_chartmogul.commands import pulumi_cli
from testkit.emulator import Emulator, running_emulator

from .target import ACCOUNT, EMULATOR, ENV_ACCEPTANCE, Refused, Target, account_target

REPO = Path(__file__).resolve().parents[2]
# The account the emulator plays, and the only key it accepts.
EMULATED_ACCOUNT = "acct_0acc0acc-0000-4000-8000-00000000acc1"
EMULATED_KEY = "sk-acceptance-5e1f"
# ChartMogul's own limits (docs/emulator.md): the suite must live within them against the real account too.
LIMITS = ("--rate-limit", "40", "--max-connections", "20")


def acceptance_enabled() -> bool:
    return os.environ.get(ENV_ACCEPTANCE, "").strip() == "1"


@dataclass(frozen=True)
class Where:
    """A run's target, and the emulator behind it when it is one (for what only the emulator can tell: the
    requests a run sent)."""

    target: Target
    emulator: Emulator | None = None


def emulated() -> Iterator[Where]:
    with running_emulator("--account-id", EMULATED_ACCOUNT, "--account-name", "Acceptance (emulated)",
                          "--api-key", EMULATED_KEY, *LIMITS) as emulator:
        yield Where(Target(EMULATOR, emulator.api_root, EMULATED_KEY, (EMULATED_ACCOUNT,)), emulator)


@pytest.fixture(params=[EMULATOR, pytest.param(ACCOUNT, marks=pytest.mark.skipif(
    not acceptance_enabled(), reason=f"the real account only with {ENV_ACCEPTANCE}=1 (make acceptance)"))])
def where(request: pytest.FixtureRequest) -> Iterator[Where]:
    """The emulator, then (with CHARTMOGUL_ACCEPTANCE=1) the real account."""
    if request.param == ACCOUNT:
        try:
            target = account_target(os.environ)
        except Refused as exc:
            pytest.fail(str(exc), pytrace=False)
        yield Where(target)
        return
    yield from emulated()


@pytest.fixture
def emulated_account() -> Iterator[Where]:
    """The emulator alone, for the tests that must make a run fail on purpose."""
    yield from emulated()


@pytest.fixture
def cli_dir() -> Path:
    """The CLI's folder. Without one the tests skip, except in CI and with CHARTMOGUL_ACCEPTANCE=1 (make
    acceptance), where they fail."""
    found = pulumi_cli.find(REPO)
    if found is None:
        reason = (f"no Pulumi CLI in {REPO / pulumi_cli.CLI_DIR} or on PATH: run `make pulumi-cli` (official "
                  "installer, or a build from Go modules) to get one")
        if acceptance_enabled() or os.environ.get("CI") == "true":
            pytest.fail(f"the acceptance run needs the CLI, but there is {reason}", pytrace=False)
        pytest.skip(reason)
    return found
