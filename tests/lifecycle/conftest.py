"""A real provider host (``python -m pulumi.dynamic``, or ours with import) configured against the session's
emulator."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from testkit.emulator import Emulator
from testkit.engine import Engine
from testkit.host import IMPORTING_HOST, ProviderHost
from testkit.inputs import host_config

API_KEY = "sk-lifecycle-4c1f0e9a7b"


@pytest.fixture(scope="module")
def host(emulator_session: Emulator) -> Iterator[ProviderHost]:
    with ProviderHost(host_config(emulator_session, API_KEY, timeoutSeconds="5")) as provider_host:
        yield provider_host


@pytest.fixture
def engine(host: ProviderHost, emulator: Emulator) -> Engine:
    return Engine(host)


@pytest.fixture(scope="module")
def importing_host(emulator_session: Emulator) -> Iterator[ProviderHost]:
    """``python -m pulumi_chartmogul.provider_host``: what the engine runs for the bootstrap program."""
    with ProviderHost(host_config(emulator_session, API_KEY, timeoutSeconds="5"), module=IMPORTING_HOST) as started:
        yield started


@pytest.fixture
def importing_engine(importing_host: ProviderHost, emulator: Emulator) -> Engine:
    return Engine(importing_host)


def api_plans(emulator: Emulator) -> list[dict[str, Any]]:
    response = emulator.api("GET", "/plans")
    response.raise_for_status()
    return list(response.json()["plans"])


def api_sources(emulator: Emulator) -> list[dict[str, Any]]:
    response = emulator.api("GET", "/data_sources")
    response.raise_for_status()
    return list(response.json()["data_sources"])
