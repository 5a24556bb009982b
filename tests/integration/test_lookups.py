"""The lookups (``resources/lookups.py``) against the real emulator process: found, nothing found, several found, by
uuid, every page, and what each costs in requests (the emulator's own count by route)."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_chartmogul.api.client import ChartMogulClient
from pulumi_chartmogul.api.settings import Settings
from pulumi_chartmogul.resources import lookups
from pulumi_chartmogul.resources.lookups import LookupArgumentError, NothingFoundError, SeveralFoundError
from testkit.emulator import Emulator

MISSING_DS = "ds_00000000-0000-4000-8000-00000000dead"
MISSING_PL = "pl_00000000-0000-4000-8000-00000000dead"
MISSING_PLG = "plg_00000000-0000-4000-8000-00000000dead"


def client_for(emulator: Emulator) -> ChartMogulClient:
    return ChartMogulClient(Settings(api_key="test-key", endpoint=emulator.api_root, timeout_seconds=5.0,
                                     max_retries=2))


def plan(external_id: str, name: str = "Gold", count: int = 1, unit: str = "month") -> dict[str, Any]:
    return {"name": name, "interval_count": count, "interval_unit": unit, "external_id": external_id}


@pytest.fixture
def account(emulator: Emulator) -> dict[str, Any]:
    """A Stripe source with two plans, an empty custom one, and a source of the same plan ids elsewhere."""
    return emulator.seed([
        {"name": "Stripe", "system": "Stripe", "plans": [plan("gold_monthly"), plan("gold_yearly", unit="year")]},
        {"name": "Empty"},
        {"name": "Chargebee", "system": "Chargebee", "plans": [plan("gold_monthly", name="CB Gold")]},
    ])


def counted(emulator: Emulator, call: Any) -> tuple[Any, dict[str, int]]:
    before = dict(emulator.stats()["by_route"])
    result = call()
    after = emulator.stats()["by_route"]
    return result, {route: after[route] - before.get(route, 0) for route in after if after[route] != before.get(route)}


# -- data sources ---------------------------------------------------------------------------------------------


def test_a_data_source_by_name_is_one_filtered_listing(emulator: Emulator, account: dict[str, Any]) -> None:
    stripe = account["data_sources"][0]
    found, sent = counted(emulator, lambda: lookups.get_data_source(client_for(emulator), name="Stripe"))
    assert found == {"uuid": stripe["uuid"], "name": "Stripe", "system": "Stripe", "status": stripe["status"],
                     "created_at": stripe["created_at"]}
    assert sent == {"GET /v1/data_sources": 1}


def test_a_data_source_by_uuid_is_one_get(emulator: Emulator, account: dict[str, Any]) -> None:
    empty = account["data_sources"][1]
    found, sent = counted(emulator, lambda: lookups.get_data_source(client_for(emulator), uuid=empty["uuid"]))
    assert (found["uuid"], found["name"], found["system"]) == (empty["uuid"], "Empty", "Custom")
    assert sent == {"GET /v1/data_sources/{uuid}": 1}


def test_no_data_source_with_the_name_or_uuid(emulator: Emulator, account: dict[str, Any]) -> None:
    client = client_for(emulator)
    with pytest.raises(NothingFoundError, match=r"^no data source named 'stripe'$") as by_name:
        lookups.get_data_source(client, name="stripe")  # names match exactly
    assert by_name.value.key == {"name": "stripe"}
    with pytest.raises(NothingFoundError, match=f"^no data source with uuid '{MISSING_DS}'$") as by_uuid:
        lookups.get_data_source(client, uuid=MISSING_DS)
    assert by_uuid.value.key == {"uuid": MISSING_DS}


# -- plans ----------------------------------------------------------------------------------------------------


def test_a_plan_by_external_id_is_one_filtered_listing(emulator: Emulator, account: dict[str, Any]) -> None:
    stripe, gold = account["data_sources"][0], account["plans"][0]
    found, sent = counted(emulator, lambda: lookups.get_plan(client_for(emulator), data_source_uuid=stripe["uuid"],
                                                             external_id="gold_monthly"))
    assert found == {"uuid": gold["uuid"], "data_source_uuid": stripe["uuid"], "name": "Gold", "interval_count": 1,
                     "interval_unit": "month", "external_id": "gold_monthly"}
    assert sent == {"GET /v1/plans": 1}


def test_the_same_external_id_in_another_source_is_another_plan(emulator: Emulator, account: dict[str, Any]) -> None:
    chargebee = account["data_sources"][2]
    found = lookups.get_plan(client_for(emulator), data_source_uuid=chargebee["uuid"], external_id="gold_monthly")
    assert (found["uuid"], found["name"]) == (account["plans"][2]["uuid"], "CB Gold")


def test_a_plan_by_uuid_is_one_get(emulator: Emulator, account: dict[str, Any]) -> None:
    yearly = account["plans"][1]
    found, sent = counted(emulator, lambda: lookups.get_plan(client_for(emulator), uuid=yearly["uuid"]))
    assert (found["uuid"], found["external_id"], found["interval_unit"]) == (yearly["uuid"], "gold_yearly", "year")
    assert sent == {"GET /v1/plans/{uuid}": 1}


def test_no_plan_with_the_external_id_names_the_key(emulator: Emulator, account: dict[str, Any]) -> None:
    stripe = account["data_sources"][0]["uuid"]
    client = client_for(emulator)
    with pytest.raises(NothingFoundError) as caught:
        lookups.get_plan(client, data_source_uuid=stripe, external_id="platinum")
    assert str(caught.value) == f"no plan with external_id 'platinum' in data source {stripe}"
    assert caught.value.key == {"data_source_uuid": stripe, "external_id": "platinum"}
    # A source that does not exist is the key at fault, and the message says so.
    with pytest.raises(NothingFoundError, match=f"^no data source with uuid '{MISSING_DS}'$"):
        lookups.get_plan(client, data_source_uuid=MISSING_DS, external_id="gold_monthly")
    with pytest.raises(NothingFoundError, match=f"^no plan with uuid '{MISSING_PL}'$"):
        lookups.get_plan(client, uuid=MISSING_PL)


def test_a_source_s_plans_come_by_pages_of_200(emulator: Emulator) -> None:
    made = emulator.seed([
        {"name": "Stripe", "system": "Stripe", "plans": [plan(f"p{i:03}", name=f"P{i}") for i in range(450)]},
        {"name": "Other", "plans": [plan("p000")]},
    ])
    stripe = made["data_sources"][0]["uuid"]
    found, sent = counted(emulator, lambda: lookups.get_plans(client_for(emulator), data_source_uuid=stripe))
    assert found["data_source_uuid"] == stripe
    assert [p["uuid"] for p in found["plans"]] == [p["uuid"] for p in made["plans"][:450]]
    assert {p["data_source_uuid"] for p in found["plans"]} == {stripe}
    assert found["plans"][7] == {"uuid": made["plans"][7]["uuid"], "data_source_uuid": stripe, "name": "P7",
                                 "interval_count": 1, "interval_unit": "month", "external_id": "p007"}
    assert sent == {"GET /v1/plans": 3}


def test_an_empty_source_has_no_plans_and_a_missing_one_is_an_error(emulator: Emulator,
                                                                    account: dict[str, Any]) -> None:
    empty = account["data_sources"][1]["uuid"]
    found, sent = counted(emulator, lambda: lookups.get_plans(client_for(emulator), data_source_uuid=empty))
    assert found == {"data_source_uuid": empty, "plans": []}
    assert sent == {"GET /v1/plans": 1, "GET /v1/data_sources/{uuid}": 1}  # the GET only because it was empty
    with pytest.raises(NothingFoundError, match=f"^no data source with uuid '{MISSING_DS}'$"):
        lookups.get_plans(client_for(emulator), data_source_uuid=MISSING_DS)


# -- plan groups ----------------------------------------------------------------------------------------------


def test_a_plan_group_by_name_lists_the_groups_then_its_plans(emulator: Emulator, account: dict[str, Any]) -> None:
    client = client_for(emulator)
    monthly, yearly, chargebee = (p["uuid"] for p in account["plans"])
    gold = client.create_plan_group("Gold tier", [monthly, yearly, chargebee])
    client.create_plan_group("Silver tier", [monthly])
    found, sent = counted(emulator, lambda: lookups.get_plan_group(client, name="Gold tier"))
    assert found == {"uuid": gold["uuid"], "name": "Gold tier", "plans": [monthly, yearly, chargebee],
                     "plans_count": 3}
    assert sent == {"GET /v1/plan_groups": 1, "GET /v1/plan_groups/{uuid}/plans": 1}


def test_a_plan_group_by_uuid_is_one_get_and_its_plans(emulator: Emulator, account: dict[str, Any]) -> None:
    client = client_for(emulator)
    group = client.create_plan_group("Gold tier", [account["plans"][1]["uuid"]])
    found, sent = counted(emulator, lambda: lookups.get_plan_group(client, uuid=group["uuid"]))
    assert found == {"uuid": group["uuid"], "name": "Gold tier", "plans": [account["plans"][1]["uuid"]],
                     "plans_count": 1}
    assert sent == {"GET /v1/plan_groups/{uuid}": 1, "GET /v1/plan_groups/{uuid}/plans": 1}


def test_two_plan_groups_with_one_name_are_an_error_naming_both(emulator: Emulator, account: dict[str, Any]) -> None:
    client = client_for(emulator)
    first = client.create_plan_group("Gold tier", [account["plans"][0]["uuid"]])
    second = client.create_plan_group("Gold tier", [account["plans"][1]["uuid"]])
    with pytest.raises(SeveralFoundError) as caught:
        lookups.get_plan_group(client, name="Gold tier")
    assert caught.value.uuids == (first["uuid"], second["uuid"])
    assert caught.value.key == {"name": "Gold tier"}
    assert str(caught.value).startswith(f"2 plan groups are named 'Gold tier' ({first['uuid']}, {second['uuid']})")
    # Either one by uuid is fine.
    assert lookups.get_plan_group(client, uuid=second["uuid"])["plans"] == [account["plans"][1]["uuid"]]


def test_no_plan_group_with_the_name_or_uuid(emulator: Emulator, account: dict[str, Any]) -> None:
    client = client_for(emulator)
    client.create_plan_group("Gold tier", [account["plans"][0]["uuid"]])
    with pytest.raises(NothingFoundError, match=r"^no plan group named 'Gold'$"):
        lookups.get_plan_group(client, name="Gold")
    with pytest.raises(NothingFoundError, match=f"^no plan group with uuid '{MISSING_PLG}'$"):
        lookups.get_plan_group(client, uuid=MISSING_PLG)


def test_plan_groups_and_members_by_every_page(emulator: Emulator) -> None:
    made = emulator.seed([{"name": "Big", "plans": [plan(f"p{i:03}") for i in range(230)]}])
    client = client_for(emulator)
    members = [p["uuid"] for p in made["plans"]]
    for i in range(201):  # more groups than one page holds; the one looked for is on the second page
        client.create_plan_group(f"Group {i}", members[:1])
    big = client.create_plan_group("Everything", members)
    found, sent = counted(emulator, lambda: lookups.get_plan_group(client, name="Everything"))
    assert found["uuid"] == big["uuid"]
    assert sorted(found["plans"]) == sorted(members) and found["plans_count"] == 230
    assert sent == {"GET /v1/plan_groups": 2, "GET /v1/plan_groups/{uuid}/plans": 2}


# -- the account, and arguments -------------------------------------------------------------------------------


def test_the_account_is_one_get(emulator: Emulator) -> None:
    found, sent = counted(emulator, lambda: lookups.get_account(client_for(emulator)))
    assert found == {"id": "acct_e0e0e0e0-0000-4000-8000-000000000001", "name": "Emulated account",
                     "currency": "EUR", "time_zone": "Europe/Berlin"}
    assert sent == {"GET /v1/account": 1}


def test_invoke_by_token_with_a_mapping(emulator: Emulator, account: dict[str, Any]) -> None:
    stripe = account["data_sources"][0]["uuid"]
    client = client_for(emulator)
    found = lookups.invoke(lookups.lookup_named("getPlan"), client,
                           {"data_source_uuid": stripe, "external_id": "gold_yearly", "uuid": None})
    assert found["uuid"] == account["plans"][1]["uuid"]
    before = emulator.stats()["requests"]
    with pytest.raises(LookupArgumentError) as caught:
        lookups.invoke(lookups.lookup_named("getPlans"), client, {"data_source_uuid": stripe, "system": "Stripe"})
    assert caught.value.failures == (("system", "is not an argument of getPlans (arguments: data_source_uuid)"),)
    assert emulator.stats()["requests"] == before
