"""Deletion protection: a data source that holds customers is neither deleted nor replaced without
``force_destroy``; an empty one is deleted as before; the check costs one request, only when a replacement or a
delete is planned."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_chartmogul.resources.data_source import DataSourceProvider
from pulumi_chartmogul.resources.protection import DataSourceHoldsCustomersError
from testkit.emulator import Emulator
from tests.integration.test_provider_edges import KEY, configured, made_by_hand


def source_with_customers(emulator: Emulator, customers: int) -> tuple[str, dict[str, Any]]:
    provider = configured(DataSourceProvider(), emulator)
    created = provider.create({"name": "Billing", "adopt": False, "force_destroy": False})
    for i in range(customers):
        made_by_hand(emulator, "/customers", {"data_source_uuid": created.id, "external_id": f"c{i}"})
    return created.id, dict(created.outs)


def customer_lookups(emulator: Emulator) -> int:
    return int(emulator.stats()["by_route"].get("GET /v1/customers", 0))


def test_delete_refused_naming_the_source_the_count_the_loss_and_the_opt_in(emulator: Emulator) -> None:
    uuid, outs = source_with_customers(emulator, 2)
    with pytest.raises(DataSourceHoldsCustomersError) as refused:
        configured(DataSourceProvider(), emulator).delete(uuid, outs)
    message = str(refused.value)
    assert "'Billing'" in message and uuid in message and "2 customers" in message
    assert "invoices, subscriptions" in message and "force_destroy=True" in message
    assert emulator.api("GET", f"/data_sources/{uuid}", key=KEY).status_code == 200


def test_delete_with_force_destroy_or_of_an_empty_source_goes_ahead(emulator: Emulator) -> None:
    uuid, outs = source_with_customers(emulator, 1)
    configured(DataSourceProvider(), emulator).delete(uuid, {**outs, "force_destroy": True})
    assert emulator.api("GET", f"/data_sources/{uuid}", key=KEY).status_code == 404
    emulator.reset()
    uuid, outs = source_with_customers(emulator, 0)
    configured(DataSourceProvider(), emulator).delete(uuid, outs)
    assert emulator.api("GET", f"/data_sources/{uuid}", key=KEY).status_code == 404


def test_a_replacement_is_refused_in_diff_with_one_request(emulator: Emulator) -> None:
    uuid, outs = source_with_customers(emulator, 1)
    provider = configured(DataSourceProvider(), emulator)
    before = customer_lookups(emulator)
    with pytest.raises(DataSourceHoldsCustomersError, match=r"replace the data source 'Billing'.*1 customer\b"):
        provider.diff(uuid, outs, {"name": "Billing v2", "adopt": False, "force_destroy": False})
    assert customer_lookups(emulator) == before + 1
    with pytest.raises(DataSourceHoldsCustomersError, match="not yet in the state"):
        provider.diff(uuid, outs, {"name": "Billing v2", "adopt": False, "force_destroy": True})
    recorded = {**outs, "force_destroy": True}  # after the `up` that records it
    allowed = provider.diff(uuid, recorded, {"name": "Billing v2", "adopt": False, "force_destroy": True})
    assert allowed.replaces == ["name"] and customer_lookups(emulator) == before + 2


def test_no_change_sends_nothing_and_an_old_state_without_force_destroy_is_no_change(emulator: Emulator) -> None:
    uuid, outs = source_with_customers(emulator, 1)
    provider = configured(DataSourceProvider(), emulator)
    before = emulator.stats()["requests"]
    old_state = {k: v for k, v in outs.items() if k != "force_destroy"}  # as release 0.1.0 wrote it
    assert provider.diff(uuid, old_state, {"name": "Billing", "adopt": False, "force_destroy": False}).changes is False
    assert provider.diff(uuid, outs, {"name": "Billing", "adopt": False, "force_destroy": False}).changes is False
    flipped = provider.diff(uuid, outs, {"name": "Billing", "adopt": False, "force_destroy": True})
    assert flipped.changes is True and not flipped.replaces  # an update that only records it
    assert emulator.stats()["requests"] == before


def test_turning_force_destroy_off_again_is_recorded(emulator: Emulator) -> None:
    uuid, outs = source_with_customers(emulator, 1)
    provider = configured(DataSourceProvider(), emulator)
    on = provider.update(uuid, outs, {"name": "Billing", "adopt": False, "force_destroy": True}).outs
    assert on is not None and on["force_destroy"] is True
    off_inputs = {"name": "Billing", "adopt": False}  # the program leaves it out when it is False
    assert provider.diff(uuid, on, off_inputs).changes is True
    off = provider.update(uuid, on, off_inputs).outs
    assert off is not None and off["force_destroy"] is False
    with pytest.raises(DataSourceHoldsCustomersError):
        provider.delete(uuid, off)


def test_force_destroy_is_in_the_checked_inputs_only_when_set() -> None:
    provider = DataSourceProvider()
    assert "force_destroy" not in provider.check({}, {"name": "Billing", "adopt": False}).inputs
    assert "force_destroy" not in provider.check({}, {"name": "Billing", "force_destroy": False}).inputs
    assert provider.check({}, {"name": "Billing", "force_destroy": True}).inputs["force_destroy"] is True
