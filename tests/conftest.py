from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_chartmogul.api.process_caches import reset_process_caches
from testkit.emulator import Emulator, running_emulator
from tests.reliability.report import REPORT

# One ``pulumi`` command's limit in the e2e tests: below pytest-timeout's 300 s a test (pyproject.toml; checked by
# tests/unit/test_timeouts.py), so a hung command fails as itself, with what it printed, before pytest's timeout
# fires. Either way the command and everything it started are killed (testkit/processes.py).
CLI_TIMEOUT = 240.0


@pytest.fixture(autouse=True)
def fresh_process_caches() -> Iterator[None]:
    """Each test starts as a new provider process would: no account's pace, listings or verdict kept from another
    test in this process."""
    reset_process_caches()
    yield
    reset_process_caches()


@pytest.fixture(scope="session")
def emulator_session() -> Iterator[Emulator]:
    with running_emulator() as emulator:
        yield emulator


@pytest.fixture
def emulator(emulator_session: Emulator) -> Emulator:
    """The shared emulator, wiped (objects, stats, fault rules) before each test."""
    emulator_session.reset()
    return emulator_session


# The folder says what kind of test it is: `make test-fast` runs `-m unit` (in-process, seconds); `e2e` runs the real
# CLI; `cli` are the folders whose tests may launch it (`make test-quick` leaves them out); `slow` are the reliability
# matrix, the storm and the bench run.
FOLDER_MARKERS = {"unit": ("unit",), "e2e": ("e2e", "cli"), "acceptance": ("cli",), "reliability": ("slow",),
                  "bench": ("slow", "cli")}
TESTS = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own, which reads the xdist_group marks given here
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        folder = item.path.relative_to(TESTS).parts[0]
        for marker in FOLDER_MARKERS.get(folder, ()):
            item.add_marker(marker)
        # In parallel (`--dist loadgroup`) the tests that share a module-scoped fixture (the fault matrix, a built
        # wheel, a provider host) go to one worker together, so it is made once, not once per worker.
        if item.get_closest_marker("xdist_group") is None and shares_a_module_fixture(item):
            item.add_marker(pytest.mark.xdist_group(f"module:{item.nodeid.split('::')[0]}"))


def shares_a_module_fixture(item: pytest.Item) -> bool:
    """Whether the test uses a fixture scoped to its module (or package), directly or through another fixture."""
    definitions = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", {})
    return any(getattr(definition, "scope", None) in ("module", "package")
               for chain in definitions.values() for definition in chain)


# The reliability record (tests/reliability/report.py), printed after the run. This conftest is the one a parallel
# run's controller loads (it collects nothing), so the record is printed here: each worker hands its part over as it
# finishes (pytest-xdist's workeroutput), and the controller prints the whole.
REPORT_KEY = "reliability_report"


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker
        workeroutput[REPORT_KEY] = REPORT.export()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    REPORT.merge(getattr(node, "workeroutput", {}).get(REPORT_KEY, {}))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if REPORT.rows:
        terminalreporter.write_sep("=", "reliability: fault matrix")
        for line in REPORT.matrix_lines():
            terminalreporter.write_line(line)
    for section, lines in REPORT.figures.items():
        terminalreporter.write_sep("=", f"reliability: {section}")
        for line in lines:
            terminalreporter.write_line(line)
