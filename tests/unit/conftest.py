"""Unit tests run in-process only: no emulator, no provider host, no CLI (those live in the other folders), so
``make test-fast`` runs them in seconds."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def no_subprocesses(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a unit test started a process; put it in tests/integration (or another folder)")

    monkeypatch.setattr(subprocess, "Popen", refuse)
