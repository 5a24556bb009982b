"""The stack config and resource inputs tests and bench send through the engine stand-in: one way to make each."""

from __future__ import annotations

from typing import Any

from testkit.emulator import Emulator


def host_config(emulator: Emulator, api_key: str, **settings: str) -> dict[str, str]:
    """Stack config for a provider host talking to ``emulator``; ``settings`` are ``chartmogul:<name>=value``."""
    return {"chartmogul:apiKey": api_key, "chartmogul:endpoint": emulator.api_root,
            **{f"chartmogul:{name}": value for name, value in settings.items()}}


def source_inputs(name: str, **overrides: Any) -> dict[str, Any]:
    return {"name": name, "adopt": False, **overrides}


def plan_inputs(source_uuid: str, external_id: str = "bronze", **overrides: Any) -> dict[str, Any]:
    """A monthly plan named after its external id, unless ``overrides`` say otherwise."""
    return {"data_source_uuid": source_uuid, "name": f"Plan {external_id}", "interval_count": 1,
            "interval_unit": "month", "external_id": external_id, "adopt": False, **overrides}
