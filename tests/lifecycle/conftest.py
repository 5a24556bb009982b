"""A real provider host (``python -m pulumi.dynamic``) configured against the session's emulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.emulator_process import Emulator
from tests.harness import Engine, ProviderHost

API_KEY = "sk-lifecycle-4c1f0e9a7b"


def host_config(emulator: Emulator, **extra: str) -> dict[str, str]:
    return {"chartmogul:apiKey": API_KEY, "chartmogul:endpoint": emulator.api_root,
            "chartmogul:timeoutSeconds": "5", **extra}


@pytest.fixture(scope="module")
def host(emulator_session: Emulator) -> Iterator[ProviderHost]:
    with ProviderHost(host_config(emulator_session)) as provider_host:
        yield provider_host


@pytest.fixture
def engine(host: ProviderHost, emulator: Emulator) -> Engine:
    return Engine(host)


def plan_inputs(source_uuid: str, external_id: str = "bronze", **overrides: Any) -> dict[str, Any]:
    return {"data_source_uuid": source_uuid, "name": "Bronze Plan", "interval_count": 1, "interval_unit": "month",
            "external_id": external_id, "adopt": False, **overrides}


def api_plans(emulator: Emulator) -> list[dict[str, Any]]:
    response = emulator.api("GET", "/plans")
    response.raise_for_status()
    return list(response.json()["plans"])


def api_sources(emulator: Emulator) -> list[dict[str, Any]]:
    response = emulator.api("GET", "/data_sources")
    response.raise_for_status()
    return list(response.json()["data_sources"])
