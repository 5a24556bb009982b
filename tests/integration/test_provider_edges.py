"""Provider edges best shown in-process against the emulator: a lost create answer never turns an object that
was there before into an adoption (nor one it made itself into "already exists"), and refresh works with the SDKs
whose ReadResult has no ``inputs``."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
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


def past(created_at: str) -> None:
    """Return once our clock is past every instant ``created_at`` may stand for (it is cut to the millisecond): only
    then can a create prove the object older. The emulator's clock is ours, so this waits at most 1 ms."""
    end = datetime.fromisoformat(created_at) + data_source._precision(created_at)
    while (left := end - datetime.now(UTC)) > timedelta(0):
        time.sleep(left.total_seconds())


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
    # The emulator's clock is ours: with no allowance for skew, "made before this create" is provable as soon as our
    # clock has left the millisecond the source's created_at names.
    monkeypatch.setattr(data_source, "CLOCK_SKEW", timedelta(0))
    past(hand_made["created_at"])
    one_failure(emulator, "/v1/data_sources", 502)
    provider = configured(DataSourceProvider(), emulator)
    with pytest.raises(ChartMogulError, match=r"already exists \(uuid " + hand_made["uuid"] + r"\).*adopt=True"):
        provider.create({"name": "Billing", "adopt": False})
    one_failure(emulator, "/v1/data_sources", 502)
    assert provider.create({"name": "Billing", "adopt": True}).id == hand_made["uuid"]


def test_a_lost_data_source_create_that_landed_is_found_as_ours(
        emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> None:
    # No skew allowance: on loopback the POST lands within the millisecond the create started in about one run in
    # ten, and its created_at (cut to that millisecond) reads as earlier than the start unless the provider takes
    # the timestamp for its whole millisecond.
    monkeypatch.setattr(data_source, "CLOCK_SKEW", timedelta(0))
    emulator.set_faults([{"method": "POST", "path": "/v1/data_sources", "mode": "commit_then_drop", "times": 1}])
    created = configured(DataSourceProvider(), emulator).create({"name": "Billing", "adopt": False})
    sources = emulator.api("GET", "/data_sources", key=KEY).json()["data_sources"]
    assert [s["uuid"] for s in sources] == [created.id]


@pytest.mark.parametrize(("created_at", "create_started", "before"), [
    ("2025-12-02T09:32:26.858Z", "2025-12-02T09:32:26.858400+00:00", False),  # the same millisecond
    ("2025-12-02T09:32:26.858Z", "2025-12-02T09:32:26.859000+00:00", True),
    ("2025-12-02T09:32:26Z", "2025-12-02T09:32:26.999999+00:00", False),  # a timestamp cut to the second
    ("2025-12-02T09:32:26Z", "2025-12-02T09:32:27+00:00", True),
    ("2025-12-02T09:32:26.858+01:00", "2025-12-02T08:32:26.859000+00:00", True),
    ("not a time", "2025-12-02T09:32:27+00:00", False),
])
def test_created_at_proves_a_source_older_only_once_its_last_digit_has_passed(
        monkeypatch: pytest.MonkeyPatch, created_at: str, create_started: str, before: bool) -> None:
    monkeypatch.setattr(data_source, "CLOCK_SKEW", timedelta(0))
    assert data_source._created_before({"created_at": created_at}, datetime.fromisoformat(create_started)) is before


def test_created_at_within_the_clock_skew_of_the_create_is_never_proof() -> None:
    started = datetime(2025, 12, 2, 9, 37, 26, 858000, tzinfo=UTC)
    assert not data_source._created_before({"created_at": "2025-12-02T09:32:26.858Z"}, started)
    assert data_source._created_before({"created_at": "2025-12-02T09:32:26.857Z"}, started)


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
