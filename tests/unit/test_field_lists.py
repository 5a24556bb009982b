"""Every place that lists a resource's fields agrees with its field policy (``POLICY`` in the resource module), so a
field added in one place and forgotten in another fails here: the spec that check validates, the typed Args, the
constructor, the Output annotations, the catalog entry, and what is sent to the API."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest
from pydantic import BaseModel

from pulumi_chartmogul.catalog import CatalogDataSource, CatalogPlan
from pulumi_chartmogul.resources import data_source, plan, plan_group
from pulumi_chartmogul.resources.specs import DataSourceSpec, PlanGroupSpec, PlanSpec

# (module, resource, args, spec, catalog entry or None, fields the catalog supplies itself)
RESOURCES = [
    (plan, plan.Plan, plan.PlanArgs, PlanSpec, CatalogPlan, {"data_source_uuid"}),
    (data_source, data_source.DataSource, data_source.DataSourceArgs, DataSourceSpec, CatalogDataSource, set()),
    # A catalog group names its members by data source and external id, not by uuid: no entry to compare.
    (plan_group, plan_group.PlanGroup, plan_group.PlanGroupArgs, PlanGroupSpec, None, set()),
]
PROVIDERS = {plan.Plan: plan.PlanProvider, data_source.DataSource: data_source.DataSourceProvider,
             plan_group.PlanGroup: plan_group.PlanGroupProvider}


def outputs(resource: type) -> set[str]:
    """The class's own ``pulumi.Output[...]`` annotations (read as text: they are never evaluated)."""
    return {name for name, hint in vars(resource).get("__annotations__", {}).items() if "Output" in str(hint)}


@pytest.mark.parametrize(("module", "resource", "args", "spec", "entry", "from_catalog"), RESOURCES,
                         ids=["Plan", "DataSource", "PlanGroup"])
def test_every_field_list_matches_the_policy(module: Any, resource: Any, args: Any, spec: type[BaseModel],
                                             entry: type[BaseModel] | None, from_catalog: set[str]) -> None:
    policy = module.POLICY
    assert set(spec.model_fields) == policy.inputs
    assert {f.name for f in dataclasses.fields(args)} == policy.inputs
    constructor = set(inspect.signature(resource.__init__).parameters) - {"self", "resource_name", "opts", "args"}
    assert constructor == policy.inputs
    assert outputs(resource) == set(policy.outputs)
    assert PROVIDERS[resource].policy is policy
    if entry is not None:
        # `plans` nests a source's plans; `key` (the resource name), `renamed_from` (resource aliases) and `uuid`
        # (the import) are resource names and options, not inputs.
        assert set(entry.model_fields) - {"plans", "key", "renamed_from", "uuid"} == policy.inputs - from_catalog


def test_the_api_body_is_the_policy_s_api_fields() -> None:
    body = plan.api_body({"data_source_uuid": "ds_x", "name": "n", "interval_count": 3.0, "interval_unit": "month",
                          "external_id": "e", "adopt": True})
    assert tuple(sorted(body)) == plan.POLICY.api_fields
    assert body["interval_count"] == 3 and isinstance(body["interval_count"], int)


class Recorded:
    """What a resource registered, without an engine: its provider, properties and options."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.props: dict[str, Any] = {}

        def register(_resource: Any, _provider: Any, _name: str, props: dict[str, Any], _opts: Any = None) -> None:
            self.props = props

        monkeypatch.setattr("pulumi.dynamic.Resource.__init__", register)


SOURCE = "ds_00000000-0000-4000-8000-000000000001"
DECLARED: dict[Any, dict[str, Any]] = {
    plan.Plan: {"data_source_uuid": SOURCE, "name": "Gold", "interval_count": 1, "interval_unit": "month"},
    data_source.DataSource: {"name": "Billing"},
    plan_group.PlanGroup: {"plans": ["pl_00000000-0000-4000-8000-000000000001"]},
}


@pytest.mark.parametrize("resource", list(DECLARED), ids=lambda r: r.__name__)
def test_the_outputs_a_program_leaves_unknown_and_get_reads_are_the_policy_s(resource: Any,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The constructor declares the computed outputs unknown (None), ``.get`` every output: both from the policy."""
    recorded = Recorded(monkeypatch)
    monkeypatch.setattr(f"{resource.__module__}.require_import_support", lambda *_a: None)
    policy = PROVIDERS[resource].policy
    resource("x", **DECLARED[resource])
    assert {k for k, v in recorded.props.items() if v is None} == set(policy.computed)
    resource.get("y", "some-uuid")
    assert recorded.props == dict.fromkeys(policy.outputs)
