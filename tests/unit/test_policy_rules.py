"""The guardrails' rules as plain functions (``pulumi_chartmogul/policy/rules.py``), without pulumi-policy: both faces'
types and spellings, the config and its defaults, numbers as floats, and unknown values deciding nothing."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

import pytest

from pulumi_chartmogul.policy import rules
from pulumi_chartmogul.policy.rules import RULES_BY_NAME, UNKNOWN, Resource

DYNAMIC = "pulumi-python:dynamic/chartmogul:"
NATIVE = "chartmogul:index:"
UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2"


def check(rule: str, resource: Resource, config: dict[str, Any] | None = None) -> list[str]:
    return [v.message for v in RULES_BY_NAME[rule].check_resource(resource, config)]


def check_stack(rule: str, resources: list[Resource], config: dict[str, Any] | None = None) -> list[rules.Violation]:
    return RULES_BY_NAME[rule].check_stack(resources, config)


def source(name: str = "billing", /, *, native: bool = False, protect: bool = True, **props: Any) -> Resource:
    return Resource(type=f"{NATIVE if native else DYNAMIC}DataSource", name=name,
                    props={"name": name.title(), **props}, protect=protect, urn=f"urn::DataSource::{name}")


def plan(name: str = "basic", /, *, native: bool = False, **props: Any) -> Resource:
    fields = {"name": name.title(), "external_id": f"{name}_monthly", "interval_unit": "month",
              "interval_count": 1.0, **props}
    if native:
        fields = {rules.camel(k): v for k, v in fields.items()}
    return Resource(type=f"{NATIVE if native else DYNAMIC}Plan", name=name, props=fields,
                    urn=f"urn:pulumi:s::p::{NATIVE if native else DYNAMIC}Plan::{name}")


def group(plans: Any, depends_on: list[str] | None = None) -> Resource:
    return Resource(type=f"{DYNAMIC}PlanGroup", name="paid", props={"name": "Paid", "plans": plans},
                    dependencies={"plans": depends_on} if depends_on is not None else {})


@pytest.mark.parametrize(("type_", "kind"), [
    (f"{DYNAMIC}DataSource", "DataSource"), (f"{NATIVE}Plan", "Plan"), (f"{NATIVE}PlanGroup", "PlanGroup"),
    ("pulumi-python:dynamic/other:Plan", None), ("chartmogul:index:Customer", None), ("aws:s3:Bucket", None),
])
def test_both_faces_types_are_recognised_and_nothing_else(type_: str, kind: str | None) -> None:
    assert rules.kind_of(type_) == kind


def test_an_unprotected_data_source_is_named_with_the_fix() -> None:
    assert check("chartmogul-data-sources-protected", source(protect=True)) == []
    [message] = check("chartmogul-data-sources-protected", source(protect=False))
    assert message.startswith("DataSource 'billing' (Billing) is not protected")
    assert "ResourceOptions(protect=True)" in message and "protect: true" in message
    assert check("chartmogul-data-sources-protected", plan()) == []  # only data sources


@pytest.mark.parametrize("native", [False, True])
def test_force_destroy_is_refused_unless_the_config_allows_it_by_name(native: bool) -> None:
    flag = "forceDestroy" if native else "force_destroy"
    forced = source(native=native, **{flag: True})
    [message] = check("chartmogul-data-sources-protected", forced)
    assert f"sets {flag}" in message and 'allowForceDestroy: ["Billing"]' in message
    for allowed in (["Billing"], ["billing"]):  # the data source's name or its resource name
        assert check("chartmogul-data-sources-protected", forced, {"allowForceDestroy": allowed}) == []
    assert check("chartmogul-data-sources-protected", forced, {"allowForceDestroy": ["Other"]}) == [message]
    # false, or unknown in preview (not a violation now; the up sees the value)
    for value in (False, UNKNOWN):
        props: dict[str, Any] = {flag: value}
        assert check("chartmogul-data-sources-protected", source(native=native, **props)) == []


def test_the_floor_names_each_missing_data_source_and_counts_plans() -> None:
    config = {"dataSources": ["Billing", "Resellers"], "minPlans": 3.0}  # ints arrive as floats
    found = check_stack("chartmogul-catalog-floor", [source("billing"), plan("a"), plan("b")], config)
    assert [v.message.split(" (")[0] for v in found] == [
        "the data source 'Resellers' is required by the floor",
        "the stack would hold 2 plans, fewer than the floor of 3"]
    assert check_stack("chartmogul-catalog-floor",
                       [source("billing"), source("resellers"), plan("a"), plan("b"), plan("c")], config) == []
    # by resource name too; and nothing configured is nothing required
    assert check_stack("chartmogul-catalog-floor", [source("resellers")], {"dataSources": ["resellers"]}) == []
    assert check_stack("chartmogul-catalog-floor", [], None) == []


def test_the_floor_does_not_call_a_source_missing_while_a_name_is_unknown() -> None:
    unknown = Resource(type=f"{DYNAMIC}DataSource", name="new-one", props={"name": UNKNOWN})
    config = {"dataSources": ["Resellers"], "minPlans": 1}
    assert [v.message[:30] for v in check_stack("chartmogul-catalog-floor", [unknown], config)] == [
        "the stack would hold 0 plans, "]  # the count is known; the name may be the one required


@pytest.mark.parametrize("native", [False, True])
def test_plan_names_and_external_ids_match_the_patterns(native: bool) -> None:
    what = "externalId" if native else "external_id"
    assert check("chartmogul-plan-naming", plan(native=native)) == []  # the default ^[a-z0-9_]+$
    [message] = check("chartmogul-plan-naming", plan(native=native, external_id="Basic-Monthly"))
    assert message.startswith(f"Plan 'basic' (Basic) has {what} 'Basic-Monthly', which does not match the pattern "
                              "'^[a-z0-9_]+$' (chartmogul-plan-naming: externalIdPattern)")
    assert "new uuid" in message
    config = {"externalIdPattern": "^[A-Za-z-]+$", "namePattern": "^[A-Z]"}
    assert check("chartmogul-plan-naming", plan(native=native, external_id="Basic-Monthly"), config) == []
    [message] = check("chartmogul-plan-naming", plan(native=native, external_id="Ok", name="lower"), config)
    assert "has name 'lower', which does not match the pattern '^[A-Z]'" in message


def test_unknown_names_and_ids_decide_nothing_and_a_bad_pattern_is_named() -> None:
    assert check("chartmogul-plan-naming", plan(external_id=UNKNOWN, name=UNKNOWN), {"namePattern": "^x$"}) == []
    [message] = check("chartmogul-plan-naming", plan(), {"externalIdPattern": "(["})
    assert "externalIdPattern ('([') is not a regular expression" in message


@pytest.mark.parametrize("native", [False, True])
def test_interval_units_and_counts_are_those_the_config_allows(native: bool) -> None:
    unit_field, count_field = ("intervalUnit", "intervalCount") if native else ("interval_unit", "interval_count")
    daily = plan("daily", native=native, interval_unit="day", interval_count=14.0)
    assert check("chartmogul-plan-intervals", daily) == []  # every unit by default
    [message] = check("chartmogul-plan-intervals", daily, {"allowedUnits": ["month", "year"]})
    assert message.startswith(f"Plan 'daily' (Daily) is billed per day ({unit_field}: day)")
    assert 'allowedUnits: ["month", "year"]' in message
    counts = {"allowedCounts": {"month": [1, 3.0, 12]}}
    assert check("chartmogul-plan-intervals", plan(native=native, interval_count=3.0), counts) == []
    [message] = check("chartmogul-plan-intervals", plan(native=native, interval_count=2.0), counts)
    assert f"renews every 2 month(s) ({count_field}: 2)" in message and "month: [1, 3, 12]" in message
    assert check("chartmogul-plan-intervals", daily, counts) == []  # no list for day: any count
    strict = {"allowedUnits": ["day"], "allowedCounts": {"day": [7]}}
    for unknown in ({"interval_unit": UNKNOWN}, {"interval_unit": "day",
                                                 "interval_count": "3eeb2bf0-c639-47a8-9e75-3b44932eb421"}):
        assert check("chartmogul-plan-intervals", plan(native=native, **unknown), strict) == []
    assert len(check("chartmogul-plan-intervals", plan(native=native, interval_unit="day"), strict)) == 1


def test_each_plan_belongs_to_a_group_by_dependency_or_uuid() -> None:
    a, b, c = plan("a", uuid="pl_a"), plan("b", uuid=UNKNOWN), plan("c", uuid="pl_c")
    # In preview the group's new members are unknown, but its dependencies name them.
    found = check_stack("chartmogul-plans-grouped", [a, b, c, group([UNKNOWN, "pl_a"], [b.urn])])
    assert [(v.urn, v.message.split(" is ")[0]) for v in found] == [(c.urn, "Plan 'c' (C)")]
    assert "in no plan group" in found[0].message
    assert check_stack("chartmogul-plans-grouped", [a, c, group(["pl_a", "pl_c"])]) == []
    assert len(check_stack("chartmogul-plans-grouped", [a, c])) == 2


@pytest.mark.parametrize("plans", [UNKNOWN_ARRAY, [UNKNOWN]])
def test_a_group_whose_members_cannot_be_told_decides_nothing(plans: Any) -> None:
    assert check_stack("chartmogul-plans-grouped", [plan("a", uuid=UNKNOWN), group(plans)]) == []
    # ... unless its dependencies say which plans it holds
    assert len(check_stack("chartmogul-plans-grouped", [plan("a", uuid=UNKNOWN), group(plans, ["urn:other"])])) == 1


def test_the_rules_config_defaults_and_schemas() -> None:
    assert [rule.name for rule in rules.RULES] == [
        "chartmogul-data-sources-protected", "chartmogul-catalog-floor", "chartmogul-plan-naming",
        "chartmogul-plan-intervals", "chartmogul-plans-grouped"]
    for rule in rules.RULES:
        assert rule.enforcement in ("mandatory", "advisory") and rule.scope in ("resource", "stack")
        assert set(rule.defaults) == set(rule.config_schema), rule.name
    assert RULES_BY_NAME["chartmogul-plans-grouped"].enforcement == "advisory"
    naming = RULES_BY_NAME["chartmogul-plan-naming"]
    # the policy config also carries enforcementLevel; the rule reads only its own keys
    assert naming.settings({"enforcementLevel": "advisory", "namePattern": "^x"}) == {
        "namePattern": "^x", "externalIdPattern": "^[a-z0-9_]+$"}
    assert naming.settings(None) == dict(naming.defaults)


def test_the_rules_file_needs_only_the_standard_library() -> None:
    """It is copied into the pack folder and run there without this package."""
    tree = ast.parse(Path(rules.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and not node.level}
    assert imported and imported <= set(sys.stdlib_module_names) | {"__future__"}, imported
    assert not any(isinstance(node, ast.ImportFrom) and node.level for node in ast.walk(tree))
