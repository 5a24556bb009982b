"""The ``plan_groups`` section of a catalog: validated with the rest (every problem listed by entry), declared as
PlanGroup resources whose members are the catalog's plan outputs or given uuids."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from pulumi_chartmogul.catalog import CatalogError, declare, load_catalog
from pulumi_chartmogul.catalog.groups import declare_plan_groups

from .mocking import PLAN_GROUP_TYPE, REPO, Harness, Recorder, mocked

OUTSIDE = "pl_33333333-3333-4333-8333-333333333333"
CATALOG: list[dict[str, Any]] = [
    {"name": "Billing", "plans": [
        {"name": "Gold", "interval_count": 1, "interval_unit": "month", "external_id": "gold"},
        {"name": "Silver", "interval_count": 1, "interval_unit": "month", "external_id": "silver"}]},
    {"name": "Resellers", "plans": [
        {"name": "Quarterly", "interval_count": 3, "interval_unit": "month", "external_id": "quarterly"}]},
]
GROUPS: list[dict[str, Any]] = [
    {"name": "Self-serve", "plans": [{"data_source": "Billing", "external_id": "gold"},
                                     {"data_source": "Resellers", "external_id": "quarterly"},
                                     {"uuid": OUTSIDE}]},
    {"name": "Monthly", "key": "monthly", "adopt": True, "plans": [{"data_source": "Billing", "external_id": "gold"}]},
]


def problems(catalog: Any, groups: Any) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        load_catalog(catalog, plan_groups=groups)
    return caught.value.problems


def test_a_valid_section_loads() -> None:
    catalog = load_catalog(CATALOG, plan_groups=GROUPS)
    assert [g.name for g in catalog.plan_groups] == ["Self-serve", "Monthly"]
    assert [g.resource_name for g in catalog.plan_groups] == ["plan-group-self-serve", "plan-group-monthly"]
    assert catalog.plan_groups[1].adopt is True
    assert load_catalog(CATALOG).plan_groups == []


def test_every_problem_is_listed_with_its_entry() -> None:
    groups = [
        *copy.deepcopy(GROUPS),
        {"name": "Self-serve", "plans": [{"data_source": "Billing", "external_id": "bronze"},
                                         {"data_source": "Billing", "external_id": "gold"},
                                         {"data_source": "Billing", "external_id": "gold"}]},
        {"name": "Empty", "plans": []},
        {"name": "Bad refs", "plans": [{"uuid": "pl_nope"}, {"external_id": "gold"},
                                       {"uuid": OUTSIDE, "data_source": "Billing", "external_id": "gold"}]},
        {"name": "self serve!", "plans": [{"uuid": OUTSIDE}]},
        {"title": "x"},
    ]
    assert problems(CATALOG, groups) == [
        "plan_groups[2].name: 'Self-serve' is declared twice (also plan_groups[0])",
        "plan_groups[2].plans[0]: no plan with external_id 'bronze' in data source 'Billing' in the catalog",
        "plan_groups[2].plans[2]: Billing/gold is listed twice (also plans[1])",
        "plan_groups[3].plans: must list at least one plan (ChartMogul refuses a plan group without plans) "
        "(got a list)",
        "plan_groups[4].plans[0].uuid: must be a plan uuid such as pl_1b2c3d4e-0000-4000-8000-000000000000, "
        "got 'pl_nope'",
        "plan_groups[4].plans[1]: a plan of this catalog needs both data_source and external_id (got a dict)",
        "plan_groups[4].plans[2]: give either data_source and external_id (a plan of this catalog) or uuid, "
        "not both (got a dict)",
        "plan_groups[5]: its resource name 'plan-group-self-serve' is also that of plan_groups[0]; "
        "set a different key",
        "plan_groups[6].name: is required",
        "plan_groups[6].plans: is required",
        "plan_groups[6].title: is not a plan group field (known fields: name, key, adopt, uuid, plans)",
    ]


def test_group_problems_come_with_the_catalog_s_own() -> None:
    catalog = copy.deepcopy(CATALOG)
    catalog[1]["plans"][0]["interval_unit"] = "week"
    found = problems(catalog, [{"name": "G", "plans": [{"data_source": "Nowhere", "external_id": "gold"}]}])
    assert found[0].startswith("catalog[1].plans[0].interval_unit:")
    assert found[1] == ("plan_groups[0].plans[0]: no plan with external_id 'gold' in data source 'Nowhere' "
                        "in the catalog")
    assert problems(CATALOG, {"name": "G"}) == ["plan_groups: must be a list of plan groups (got a dict)"]


@pytest.fixture
def harness() -> Iterator[Harness]:
    with mocked(Recorder()) as h:
        yield h


def test_declared_groups_take_the_plans_uuids(harness: Harness) -> None:
    def program() -> None:
        catalog = load_catalog(CATALOG, plan_groups=GROUPS)
        _, plans = declare(catalog)
        declare_plan_groups(catalog.plan_groups, plans)

    harness.run(program)
    assert len(harness.mocks.of_type(PLAN_GROUP_TYPE)) == 2
    self_serve, monthly = harness.mocks.named("plan-group-self-serve"), harness.mocks.named("plan-group-monthly")
    gold, quarterly = harness.mocks.named("billing-gold").id, harness.mocks.named("resellers-quarterly").id
    assert (self_serve.inputs["name"], self_serve.inputs["plans"]) == ("Self-serve", [gold, quarterly, OUTSIDE])
    assert (monthly.inputs["name"], monthly.inputs["plans"], monthly.inputs["adopt"]) == ("Monthly", [gold], True)


def test_the_demo_stack_has_valid_groups() -> None:
    config = yaml.safe_load((REPO / "Pulumi.demo.yaml").read_text())["config"]
    catalog = load_catalog(config["chartmogul-bootstrap:catalog"], config["chartmogul-bootstrap:plan_groups"])
    assert len(catalog.plan_groups) == 2
    sources = {ref.data_source for group in catalog.plan_groups for ref in group.plans}
    assert sources == {"In-house billing", "Partner resellers"}  # groups across data sources
