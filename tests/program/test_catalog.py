"""The catalog model: every rule reported with the entry it is about; the demo stack's catalog is valid."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from pulumi_chartmogul.catalog import (
    Catalog,
    CatalogError,
    data_source_resource_name,
    load_catalog,
    plan_resource_name,
    slug,
)

REPO = Path(__file__).resolve().parents[2]


def plan(external_id: str, unit: str = "month", **extra: Any) -> dict[str, Any]:
    return {"name": f"Plan {external_id}", "interval_count": 1, "interval_unit": unit, "external_id": external_id,
            **extra}


def problems(raw: object) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        load_catalog(raw)
    error = caught.value
    # The message is the heading plus one line per problem, in catalog order.
    assert str(error).splitlines()[1:] == [f"  - {p}" for p in error.problems]
    return error.problems


def test_a_valid_catalog_loads_with_defaults() -> None:
    catalog = load_catalog([{"name": "Billing", "plans": [plan("gold"), plan("silver", "year", adopt=True)]},
                            {"name": "Empty source", "adopt": True}])
    first, second = catalog.data_sources
    assert (first.name, first.adopt, [p.external_id for p in first.plans]) == ("Billing", False, ["gold", "silver"])
    assert (first.plans[0].adopt, first.plans[1].adopt, first.plans[1].interval_unit) == (False, True, "year")
    assert (second.adopt, second.plans) == (True, [])


def test_counts_arriving_as_floats_become_ints() -> None:
    (source,) = load_catalog([{"name": "B", "plans": [plan("p", interval_count=3.0)]}]).data_sources
    assert source.plans[0].interval_count == 3
    assert isinstance(source.plans[0].interval_count, int)


def test_duplicate_external_id_in_one_data_source_names_both_entries() -> None:
    raw = [{"name": "A", "plans": [plan("gold"), plan("silver"), plan("gold")]}]
    assert problems(raw) == [
        "catalog[0].plans[2].external_id: 'gold' is declared twice in this data source (also catalog[0].plans[0])"]


def test_the_same_external_id_in_two_data_sources_is_accepted() -> None:
    # ChartMogul requires external ids to be unique per data source only; real accounts use that.
    raw = [{"name": "A", "plans": [plan("gold")]}, {"name": "B", "plans": [plan("x"), plan("y"), plan("gold")]}]
    catalog = load_catalog(raw)
    assert [[p.external_id for p in source.plans] for source in catalog.data_sources] == [["gold"], ["x", "y", "gold"]]


def test_duplicate_data_source_names_and_colliding_resource_names() -> None:
    raw = [{"name": "EU billing"}, {"name": "EU billing"}, {"name": "eu  Billing!"}, {"name": "---"}]
    assert problems(raw) == [
        "catalog[1].name: 'EU billing' is declared twice (also catalog[0].name)",
        "catalog[2].name: 'eu  Billing!' gives the same resource name 'eu-billing' as 'EU billing' (catalog[0].name);"
        " set a key on one of them (a source's resource name, and its plans', are then made from its key), or make"
        " the names differ in letters or digits",
        "catalog[3].name: '---' has no letters or digits to make a resource name from; set a key",
    ]


def test_plan_resource_names_that_would_collide_are_refused() -> None:
    raw = [{"name": "a", "plans": [plan("b-c")]}, {"name": "a b", "plans": [plan("c")]}]
    assert problems(raw) == [
        "catalog[1].plans[0]: its resource name 'a-b-c' is also that of catalog[0].plans[0]; "
        "change the external id, or set a key on one of the two data sources"
    ]


def test_field_rules_come_from_the_specs_and_name_the_field() -> None:
    raw = [{"name": "A", "plans": [plan("p1", "week"), plan("p2", interval_count=1.5), plan(" p3"),
                                   plan("p4", interval_count=0), plan("p5", price=10)]},
           {"name": "x" * 256, "plans": [{"name": "No id", "interval_count": 1, "interval_unit": "day"}]}]
    assert problems(raw) == [
        "catalog[0].plans[0].interval_unit: Input should be 'day', 'month' or 'year' (got 'week')",
        "catalog[0].plans[1].interval_count: must be a whole number, got 1.5",
        "catalog[0].plans[2].external_id: must not start or end with whitespace (got ' p3')",
        "catalog[0].plans[3].interval_count: Input should be greater than or equal to 1 (got 0)",
        "catalog[0].plans[4].price: is not a catalog field "
        "(known fields: name, interval_count, interval_unit, external_id, adopt, uuid)",
        f"catalog[1].name: String should have at most 255 characters (got {'x' * 256!r})",
        "catalog[1].plans[0].external_id: is required",
    ]


def test_field_errors_and_duplicates_are_reported_together() -> None:
    raw = [{"name": "A", "plans": [plan("gold", "weekly")]}, {"name": "B", "plans": [plan("gold"), plan("gold")]}]
    assert problems(raw) == [
        "catalog[0].plans[0].interval_unit: Input should be 'day', 'month' or 'year' (got 'weekly')",
        "catalog[1].plans[1].external_id: 'gold' is declared twice in this data source (also catalog[1].plans[0])",
    ]


@pytest.mark.parametrize(("raw", "expected"), [
    ({"name": "A"}, "catalog: must be a list (got a dict)"),
    (["A"], "catalog[0]: must be a mapping with the fields name, key, adopt, uuid, force_destroy, renamed_from, "
            "plans (got 'A')"),
    ([{"name": "A", "plans": "gold"}], "catalog[0].plans: must be a list (got 'gold')"),
    ([{"name": "A", "plans": [7]}],
     "catalog[0].plans[0]: must be a mapping with the fields name, interval_count, interval_unit, external_id, "
     "adopt, uuid (got 7)"),
    ([{"name": "A", "adopt": "yes"}], "catalog[0].adopt: Input should be a valid boolean (got 'yes')"),
    ([{"name": "A", "plans": [{"name": "G", "interval_count": 1, "interval_unit": "month", "external_id": "g",
                               "uuid": "ds_1b2c3d4e-0000-4000-8000-000000000000"}]}],
     "catalog[0].plans[0].uuid: must be a plan uuid such as pl_1b2c3d4e-0000-4000-8000-000000000000, got "
     "'ds_1b2c3d4e-0000-4000-8000-000000000000'"),
    ([{"name": "A", "uuid": "pl_1b2c3d4e-0000-4000-8000-000000000000"}],
     "catalog[0].uuid: must be a data source uuid such as ds_1b2c3d4e-0000-4000-8000-000000000000, got "
     "'pl_1b2c3d4e-0000-4000-8000-000000000000'"),
])
def test_shape_errors(raw: object, expected: str) -> None:
    assert problems(raw) == [expected]


def test_catalog_error_is_a_value_error_and_a_clean_pulumi_run_error() -> None:
    with pytest.raises(CatalogError) as caught:
        load_catalog([{"name": "A", "plans": [plan("p", "week")]}])
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, pulumi.RunError)  # the CLI shows the message without a traceback
    assert str(caught.value).splitlines()[0] == "The catalog is invalid (1 problem):"


def test_the_model_itself_enforces_the_catalog_wide_rules() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        Catalog.model_validate([{"name": "A", "plans": [plan("g"), plan("g")]}])


def test_resource_names_come_only_from_natural_keys() -> None:
    assert slug("In-house billing") == "in-house-billing"
    assert slug("  Facturación / EU  ") == "facturacion-eu"
    assert data_source_resource_name("In-house billing") == "in-house-billing"
    assert plan_resource_name("In-house billing", "bronze_monthly") == "in-house-billing-bronze_monthly"


def demo_catalog() -> Any:
    settings = yaml.safe_load((REPO / "Pulumi.demo.yaml").read_text())
    return settings["config"]["chartmogul-bootstrap:catalog"]


def test_the_demo_stack_catalog_is_valid_and_realistic() -> None:
    catalog = load_catalog(demo_catalog())
    assert len(catalog.data_sources) == 2
    plans = [p for source in catalog.data_sources for p in source.plans]
    assert len(plans) == 5
    assert {p.interval_unit for p in plans} == {"day", "month", "year"}
    settings = yaml.safe_load((REPO / "Pulumi.demo.yaml").read_text())
    assert "chartmogul:endpoint" not in settings["config"]  # the demo passes the emulator's port in the env


def test_breaking_the_demo_catalog_is_caught() -> None:
    raw = copy.deepcopy(demo_catalog())
    raw[0]["plans"][0]["external_id"] = raw[0]["plans"][1]["external_id"]
    assert problems(raw) == [
        f"catalog[0].plans[1].external_id: {raw[0]['plans'][1]['external_id']!r} is declared twice "
        "in this data source (also catalog[0].plans[0])"
    ]


def test_names_without_ascii_letters_make_resource_names_of_their_own_letters() -> None:
    from pulumi_chartmogul.catalog import data_source_resource_name, slug

    assert slug("Façturación España") == "facturacion-espana"  # unchanged: ASCII where there is some
    assert data_source_resource_name("請求書 (日本)") == "請求書-日本"
    assert slug("---") == ""
    catalog = load_catalog([{"name": "請求書", "plans": [plan("gold")]}, {"name": "Ελληνικά", "plans": [plan("gold")]}])
    assert [s.name for s in catalog.data_sources] == ["請求書", "Ελληνικά"]
