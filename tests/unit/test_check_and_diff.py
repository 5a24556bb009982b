"""check (validation via the specs) and diff (via the field policy), in-process, with no API configured."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_chartmogul.api.errors import ConfigurationError
from pulumi_chartmogul.resources._base import ChartMogulProvider
from pulumi_chartmogul.resources.data_source import DataSourceProvider
from pulumi_chartmogul.resources.plan import PlanProvider
from pulumi_chartmogul.resources.plan_group import PlanGroupProvider
from testkit.providers import DATA_SOURCE, PLAN, PLAN_GROUP
from tests.bad_inputs import BAD_INPUTS, GOOD_GROUP, GOOD_PLAN, GOOD_SOURCE, BadInput


def provider_for(type_token: str) -> ChartMogulProvider:
    # Deliberately never configured: check and diff must not need the API.
    providers: dict[str, type[ChartMogulProvider]] = {
        DATA_SOURCE: DataSourceProvider, PLAN: PlanProvider, PLAN_GROUP: PlanGroupProvider}
    return providers[type_token]()


@pytest.mark.parametrize("bad", BAD_INPUTS, ids=lambda bad: bad.label)
def test_bad_input_is_refused_with_its_field_named(bad: BadInput) -> None:
    result = provider_for(bad.type_token).check({}, {**bad.inputs(), "__provider": "blob"})
    failures = {f.property: f.reason for f in result.failures}
    assert list(failures) == [bad.field], failures
    assert bad.reason_contains in failures[bad.field]
    assert bad.field in failures[bad.field]


@pytest.mark.parametrize(("provider", "good"), [(DataSourceProvider(), GOOD_SOURCE), (PlanProvider(), GOOD_PLAN),
                                               (PlanGroupProvider(), GOOD_GROUP)],
                         ids=["DataSource", "Plan", "PlanGroup"])
def test_every_declared_field_refuses_a_value_of_the_wrong_type(
        provider: ChartMogulProvider, good: dict[str, Any]) -> None:
    # Taken from the spec, not from a table: a field added without a rule, or a rule loosened to Any, fails here.
    for prop in provider.spec.model_fields:
        result = provider.check({}, {**good, prop: {"not": "a value"}, "__provider": "blob"})
        assert [f.property for f in result.failures] == [prop], (prop, result.failures)


def test_all_failures_are_reported_at_once() -> None:
    result = PlanProvider().check({}, {"data_source_uuid": "x", "name": "", "interval_count": 0,
                                       "interval_unit": "week", "external_id": " "})
    assert {f.property for f in result.failures} == {"data_source_uuid", "name", "interval_count", "interval_unit",
                                                     "external_id"}


def test_floats_from_the_wire_are_normalised() -> None:
    result = PlanProvider().check({}, {**GOOD_PLAN, "interval_count": 3.0})
    assert result.failures == []
    assert result.inputs["interval_count"] == 3
    assert type(result.inputs["interval_count"]) is int


def test_unknowns_in_preview_are_tolerated_and_kept() -> None:
    unknown = Unknown()
    result = PlanProvider().check({}, {**GOOD_PLAN, "data_source_uuid": unknown, "interval_count": 2.0})
    assert result.failures == []
    assert result.inputs["data_source_uuid"] is unknown
    assert result.inputs["interval_count"] == 2
    # Known fields are still validated while others are unknown.
    bad = PlanProvider().check({}, {**GOOD_PLAN, "data_source_uuid": unknown, "interval_unit": "week"})
    assert [f.property for f in bad.failures] == ["interval_unit"]


def outputs(inputs: dict[str, Any], **computed: Any) -> dict[str, Any]:
    return {**inputs, "__provider": "old-blob", **computed}


@pytest.mark.parametrize(
    ("change", "expected_changes", "expected_replaces"),
    [
        ({}, False, []),
        ({"name": "Bronze Plus"}, True, []),
        ({"interval_count": 3}, True, []),
        ({"interval_unit": "year"}, True, []),
        ({"external_id": "bronze-2"}, True, ["external_id"]),
        ({"data_source_uuid": "ds_00000000-0000-4000-8000-000000000001"}, True, ["data_source_uuid"]),
        ({"name": "B", "external_id": "b"}, True, ["external_id"]),
        ({"adopt": True}, False, []),  # adopt only steers create
        ({"__provider": "new-blob"}, False, []),  # a new serialized provider is never a change
    ],
)
def test_plan_diff_follows_the_policy(change: dict[str, Any], expected_changes: bool,
                                      expected_replaces: list[str]) -> None:
    olds = outputs(GOOD_PLAN, uuid="pl_x")
    result = PlanProvider().diff("pl_x", olds, {**GOOD_PLAN, "__provider": "old-blob", **change})
    assert result.changes is expected_changes
    assert result.replaces == expected_replaces
    assert result.delete_before_replace is False


def test_plan_diff_treats_3_and_3_0_as_equal() -> None:
    olds = outputs({**GOOD_PLAN, "interval_count": 3.0})
    assert PlanProvider().diff("pl_x", olds, {**GOOD_PLAN, "interval_count": 3}).changes is False


def test_unknown_values_in_preview_diff_as_changes() -> None:
    result = PlanProvider().diff("pl_x", outputs(GOOD_PLAN), {**GOOD_PLAN, "data_source_uuid": Unknown()})
    assert (result.changes, result.replaces) == (True, ["data_source_uuid"])


def test_data_source_rename_is_a_replacement() -> None:
    olds = outputs(GOOD_SOURCE, uuid="ds_x", system="Custom", status="idle", created_at="t")
    assert DataSourceProvider().diff("ds_x", olds, {**GOOD_SOURCE}).changes is False
    # force_destroy in the state: no customer lookup (test_deletion_protection.py covers the lookup)
    forced = {**olds, "force_destroy": True}
    renamed = DataSourceProvider().diff("ds_x", forced, {**GOOD_SOURCE, "name": "Other", "force_destroy": True})
    assert (renamed.changes, renamed.replaces) == (True, ["name"])
    # Server-owned fields drifting (status) is not a change to the declared resource.
    assert DataSourceProvider().diff("ds_x", {**olds, "status": "import_complete"}, GOOD_SOURCE).changes is False


def test_api_calls_without_configuration_fail_clearly() -> None:
    with pytest.raises(ConfigurationError, match="configure"):
        PlanProvider().read("pl_x", {})


def test_plan_group_membership_is_a_set() -> None:
    olds = {**GOOD_GROUP, "uuid": "plg_x", "plans_count": 2.0, "__provider": "blob"}
    members = GOOD_GROUP["plans"]
    assert PlanGroupProvider().diff("plg_x", olds, {**GOOD_GROUP, "plans": members[::-1]}).changes is False
    fewer = PlanGroupProvider().diff("plg_x", olds, {**GOOD_GROUP, "plans": members[:1]})
    assert (fewer.changes, fewer.replaces) == (True, [])
    renamed = PlanGroupProvider().diff("plg_x", olds, {**GOOD_GROUP, "name": "Other"})
    assert (renamed.changes, renamed.replaces) == (True, [])
