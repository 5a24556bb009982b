from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.emulator_process import Emulator, running_emulator


@pytest.fixture(scope="session")
def emulator_session() -> Iterator[Emulator]:
    with running_emulator() as emulator:
        yield emulator


@pytest.fixture
def emulator(emulator_session: Emulator) -> Emulator:
    """The shared emulator, wiped (objects, stats, fault rules) before each test."""
    emulator_session.reset()
    return emulator_session
