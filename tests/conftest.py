from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_chartmogul.api.process_caches import reset_process_caches
from testkit.emulator import Emulator, running_emulator


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


# The folder says what kind of test it is: `make test-fast` runs `-m unit` (in-process, seconds); `e2e` needs the
# real CLI; `slow` are the reliability matrix, the storm and the bench run.
FOLDER_MARKERS = {"unit": "unit", "e2e": "e2e", "reliability": "slow", "bench": "slow"}
TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        folder = item.path.relative_to(TESTS).parts[0]
        if folder in FOLDER_MARKERS:
            item.add_marker(FOLDER_MARKERS[folder])
