"""Provider edges best shown in-process against the emulator: a lost create answer never turns an object that
was there before into an adoption, and refresh works with the SDKs whose ReadResult has no ``inputs``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_chartmogul.api.errors import ChartMogulError
from pulumi_chartmogul.resources import _base, data_source
from pulumi_chartmogul.resources.data_source import DataSourceProvider
from pulumi_chartmogul.resources.plan import PlanProvider
from testkit.emulator import Emulator

KEY = "edge-test-key"


def configured(provider: Any, emulator: Emulator) -> Any:
    provider.configure(ConfigureRequest(Config({"chartmogul:apiKey": KEY, "chartmogul:endpoint": emulator.api_root,
                                                "chartmogul:maxRetries": "2"}, "proj")))
    return provider


def made_by_hand(emulator: Emulator, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = emulator.api("POST", path, key=KEY, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def one_failure(emulator: Emulator, path: str, status: int) -> None:
    emulator.set_faults([{"method": "POST", "path": path, "mode": "respond", "status": status, "times": 1}])


@pytest.fixture
def hand_made_gold(emulator: Emulator) -> tuple[str, dict[str, Any]]:
    source = made_by_hand(emulator, "/data_sources", {"name": "Billing"})["uuid"]
    plan = made_by_hand(emulator, "/plans", {"data_source_uuid": source, "name": "Hand made", "interval_count": 1,
                                             "interval_unit": "year", "external_id": "gold"})
    return source, plan


def gold(source: str, adopt: bool) -> dict[str, Any]:
    return {"data_source_uuid": source, "name": "Gold", "interval_count": 1.0, "interval_unit": "month",
            "external_id": "gold", "adopt": adopt}


@pytest.mark.parametrize("status", [500, 502, 504])
def test_a_lost_plan_create_does_not_take_over_a_different_plan_made_by_hand(
        emulator: Emulator, hand_made_gold: tuple[str, dict[str, Any]], status: int) -> None:
    source, hand_made = hand_made_gold
    one_failure(emulator, "/v1/plans", status)
    with pytest.raises(ChartMogulError, match=r"already exists .*uuid " + hand_made["uuid"] + r".*adopt=True"):
        configured(PlanProvider(), emulator).create(gold(source, adopt=False))
    assert emulator.api("GET", f"/plans/{hand_made['uuid']}", key=KEY).json() == hand_made  # untouched


def test_with_adopt_a_lost_plan_create_takes_the_hand_made_plan_over(
        emulator: Emulator, hand_made_gold: tuple[str, dict[str, Any]]) -> None:
    source, hand_made = hand_made_gold
    one_failure(emulator, "/v1/plans", 500)
    created = configured(PlanProvider(), emulator).create(gold(source, adopt=True))
    assert created.id == hand_made["uuid"]
    now = emulator.api("GET", f"/plans/{hand_made['uuid']}", key=KEY).json()
    assert (now["name"], now["interval_unit"]) == ("Gold", "month")


def test_a_lost_plan_create_that_landed_is_found_as_ours(emulator: Emulator) -> None:
    source = made_by_hand(emulator, "/data_sources", {"name": "Billing"})["uuid"]
    emulator.set_faults([{"method": "POST", "path": "/v1/plans", "mode": "commit_then_drop", "times": 1}])
    created = configured(PlanProvider(), emulator).create(gold(source, adopt=False))
    plans = emulator.api("GET", "/plans", key=KEY).json()["plans"]
    assert [p["uuid"] for p in plans] == [created.id]


def test_a_lost_data_source_create_does_not_take_over_an_older_source(
        emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    hand_made = made_by_hand(emulator, "/data_sources", {"name": "Billing"})
    # The emulator's clock is ours: with no allowance for skew, "made before this create" is provable at once.
    monkeypatch.setattr(data_source, "CLOCK_SKEW", timedelta(0))
    one_failure(emulator, "/v1/data_sources", 502)
    provider = configured(DataSourceProvider(), emulator)
    with pytest.raises(ChartMogulError, match=r"already exists \(uuid " + hand_made["uuid"] + r"\).*adopt=True"):
        provider.create({"name": "Billing", "adopt": False})
    one_failure(emulator, "/v1/data_sources", 502)
    assert provider.create({"name": "Billing", "adopt": True}).id == hand_made["uuid"]


def test_a_lost_data_source_create_that_landed_is_found_as_ours(
        emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data_source, "CLOCK_SKEW", timedelta(0))
    emulator.set_faults([{"method": "POST", "path": "/v1/data_sources", "mode": "commit_then_drop", "times": 1}])
    created = configured(DataSourceProvider(), emulator).create({"name": "Billing", "adopt": False})
    sources = emulator.api("GET", "/data_sources", key=KEY).json()["data_sources"]
    assert [s["uuid"] for s in sources] == [created.id]


class _ReadResultBefore3216:
    """``ReadResult`` as SDKs 3.139-3.215 define it: no ``inputs`` parameter."""

    def __init__(self, id_: str | None = None, outs: dict[str, Any] | None = None) -> None:
        self.id = id_
        self.outs = outs


def test_refresh_works_with_an_sdk_whose_read_result_has_no_inputs(
        emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_base, "ReadResult", _ReadResultBefore3216)
    source = made_by_hand(emulator, "/data_sources", {"name": "Billing"})
    result = configured(DataSourceProvider(), emulator).read(source["uuid"], {"name": "Billing", "adopt": False})
    assert result.id == source["uuid"]
    assert result.inputs == {"name": "Billing", "adopt": False}
