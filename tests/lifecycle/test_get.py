"""``Plan.get`` / ``DataSource.get`` / ``PlanGroup.get`` through the real provider host: the engine's ReadStep
(``Read`` with the declared props, which carry no uuid) reads the object; a missing one is an error, not a
silent empty resource; a later refresh reads it like any other resource."""

from __future__ import annotations

import pytest

from testkit.emulator import Emulator
from testkit.engine import Engine
from testkit.host import ProviderHostError
from testkit.providers import DATA_SOURCE, DATA_SOURCE_PROVIDER, PLAN, PLAN_GROUP, PLAN_GROUP_PROVIDER, PLAN_PROVIDER

# What Plan.get / DataSource.get register: every output, as None (dropped on the wire).
PLAN_PROPS = dict.fromkeys(["uuid", "data_source_uuid", "name", "interval_count", "interval_unit", "external_id"])
SOURCE_PROPS = dict.fromkeys(["uuid", "name", "system", "status", "created_at"])


def test_get_reads_existing_objects(engine: Engine, emulator: Emulator) -> None:
    source = emulator.api("POST", "/data_sources", json={"name": "Stripe-like"}).json()
    plan = emulator.api("POST", "/plans", json={"data_source_uuid": source["uuid"], "name": "Synced",
                                                "interval_count": 1, "interval_unit": "year",
                                                "external_id": "price_123"}).json()
    before = dict(emulator.stats()["by_route"])

    read_source = engine.read_existing(DATA_SOURCE, "stripe", source["uuid"], SOURCE_PROPS,
                                       provider=DATA_SOURCE_PROVIDER)
    assert read_source is not None
    assert (read_source.id, read_source.outputs["uuid"], read_source.outputs["name"]) == (
        source["uuid"], source["uuid"], "Stripe-like")
    read_plan = engine.read_existing(PLAN, "synced", plan["uuid"], PLAN_PROPS, provider=PLAN_PROVIDER)
    assert read_plan is not None
    assert {k: read_plan.outputs[k] for k in plan} == {**plan, "interval_count": 1.0}
    # one GET each, nothing written
    after = emulator.stats()["by_route"]
    assert after["GET /v1/data_sources/{uuid}"] - before.get("GET /v1/data_sources/{uuid}", 0) == 1
    assert after["GET /v1/plans/{uuid}"] - before.get("GET /v1/plans/{uuid}", 0) == 1
    assert not any(route.split()[0] in ("POST", "PATCH", "DELETE") and n != before.get(route)
                   for route, n in after.items())

    # a refresh reads it again and follows a change made elsewhere
    emulator.api("PATCH", f"/plans/{plan['uuid']}", json={"name": "Synced (renamed)"})
    refreshed = engine.refresh(read_plan)
    assert refreshed is not None and refreshed.outputs["name"] == "Synced (renamed)"

    group = emulator.api("POST", "/plan_groups", json={"name": "G", "plans": [plan["uuid"]]}).json()
    read_group = engine.read_existing(PLAN_GROUP, "g", group["uuid"],
                                      dict.fromkeys(["uuid", "name", "plans", "plans_count"]),
                                      provider=PLAN_GROUP_PROVIDER)
    assert read_group is not None
    assert (read_group.outputs["plans"], read_group.outputs["plans_count"]) == ([plan["uuid"]], 1.0)


@pytest.mark.parametrize(("type_token", "provider", "props", "uuid"), [
    (PLAN, PLAN_PROVIDER, PLAN_PROPS, "pl_00000000-0000-4000-8000-000000000000"),
    (DATA_SOURCE, DATA_SOURCE_PROVIDER, SOURCE_PROPS, "ds_00000000-0000-4000-8000-000000000000"),
])
def test_get_of_a_missing_object_is_an_error(engine: Engine, emulator: Emulator, type_token: str, provider: str,
                                             props: dict[str, None], uuid: str) -> None:
    with pytest.raises(ProviderHostError) as caught:
        engine.read_existing(type_token, "missing", uuid, props, provider=provider)
    assert f"with uuid '{uuid}' exists in ChartMogul" in caught.value.details


def test_refresh_of_a_read_object_deleted_since_drops_it(engine: Engine, emulator: Emulator) -> None:
    source = emulator.api("POST", "/data_sources", json={"name": "Short-lived"}).json()
    read = engine.read_existing(DATA_SOURCE, "s", source["uuid"], SOURCE_PROPS, provider=DATA_SOURCE_PROVIDER)
    assert read is not None
    emulator.api("DELETE", f"/data_sources/{source['uuid']}")
    assert engine.refresh(read) is None
