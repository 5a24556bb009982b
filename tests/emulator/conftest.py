"""Fixtures shared by the emulator tests (all against the real process, over loopback)."""

from __future__ import annotations

from typing import Any

import pytest

from testkit.emulator import Emulator
from tests.emulator.expected import MakePlan, MakeSource


@pytest.fixture
def make_source(emulator: Emulator) -> MakeSource:
    """Create a data source through the API and return its JSON (asserting the 201)."""
    counter = iter(range(1_000_000))

    def make(name: str | None = None) -> dict[str, Any]:
        response = emulator.api("POST", "/data_sources", json={"name": name or f"source {next(counter)}"})
        assert response.status_code == 201, response.text
        return dict(response.json())

    return make


@pytest.fixture
def make_plan(emulator: Emulator) -> MakePlan:
    """Create a plan through the API and return its JSON (asserting the 201)."""

    def make(data_source_uuid: str, **fields: Any) -> dict[str, Any]:
        body = {"data_source_uuid": data_source_uuid, "name": "Gold", "interval_count": 1, "interval_unit": "month"}
        body.update(fields)
        response = emulator.api("POST", "/plans", json=body)
        assert response.status_code == 201, response.text
        return dict(response.json())

    return make
