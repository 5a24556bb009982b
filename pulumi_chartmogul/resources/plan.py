"""``Plan``: a ChartMogul subscription plan in a data source. ``name``, ``interval_count`` and
``interval_unit`` are patched in place; a new ``data_source_uuid`` or ``external_id`` replaces the plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CreateResult, Resource, UpdateResult

from ._base import ChartMogulProvider, FieldPolicy, delete_confirmed, read_existing
from .calling import call_properties, flag
from .creating import NaturalKey
from .import_support import require_import_support
from .intervals import IntervalUnit

POLICY = FieldPolicy(
    update=frozenset({"name", "interval_count", "interval_unit"}),
    replace=frozenset({"data_source_uuid", "external_id"}),
    named_by_resource=frozenset({"external_id"}),
)
API_FIELDS = POLICY.api_fields


def api_body(props: Mapping[str, Any]) -> dict[str, Any]:
    """The plan's API fields from resource properties (a count from the wire is a float: sent as an int)."""
    return {f: int(props[f]) if f == "interval_count" else props[f] for f in API_FIELDS}


def find_plans(provider: ChartMogulProvider, data_source_uuid: str, external_id: str) -> list[dict[str, Any]]:
    """The plan with this external id in this data source (unique there), as a list of none or one."""
    matches = provider.client.list_plans(data_source_uuid=data_source_uuid, external_id=external_id)
    return [p for p in matches if p.get("external_id") == external_id and p.get("data_source_uuid") == data_source_uuid]


class PlanProvider(ChartMogulProvider):
    spec_name = "PlanSpec"
    policy = POLICY

    def _outputs(self, found: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
        return {**self.echo_inputs(inputs), **{f: found[f] for f in API_FIELDS}, "uuid": found["uuid"]}

    def _get(self, id_: str) -> dict[str, Any]:
        return self.client.get_plan(id_)

    def _read(self, id_: str, props: Mapping[str, Any]) -> dict[str, Any]:
        # A plan of the state ("uuid" is an output) names its data source, which never changes: its listing answers.
        # An import or a .get() has only the uuid (and the program's word for the source): the account's listing.
        in_state = "uuid" in props and isinstance(props.get("data_source_uuid"), str)
        return self.client.read_plan_via_listing(id_, props["data_source_uuid"] if in_state else None)

    def create(self, props: dict[str, Any]) -> CreateResult:
        declared = api_body(props)
        source, external_id = declared["data_source_uuid"], declared["external_id"]
        key = NaturalKey(
            param="external_id",
            what=f"the plan with external_id {external_id!r} in data source {source}",
            taken=f"a plan with external_id {external_id!r} already exists in data source {source}",
            find_all=lambda: find_plans(self, source, external_id),
        )
        plan, found = self.create_once(
            props, key, lambda: self.client.create_plan(declared),
            # A plan our POST made has exactly the fields it sent; one that differs was there before.
            could_be_ours=lambda found: all(found.get(f) == declared[f] for f in API_FIELDS),
        )
        if found:
            plan = self._converge(plan, declared)
        return CreateResult(plan["uuid"], self._outputs(plan, props))

    def _converge(self, plan: dict[str, Any], declared: dict[str, Any]) -> dict[str, Any]:
        """Patch a found plan to the declared fields, if it differs."""
        patch = {f: declared[f] for f in POLICY.update if plan.get(f) != declared[f]}
        return self.client.update_plan(plan["uuid"], patch) if patch else plan

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        declared = api_body(news)
        plan = self.client.update_plan(id_, {f: declared[f] for f in sorted(POLICY.update)})
        return UpdateResult(self._outputs(plan, news))

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        # Already gone (e.g. with its data source) is done; a lost answer is settled by a GET.
        delete_confirmed(lambda: self.client.delete_plan(id_), lambda: self._get(id_))


@dataclass
class PlanArgs:
    """Arguments of :class:`Plan`: ``Plan("gold", PlanArgs(data_source_uuid=..., ...), opts)``."""

    data_source_uuid: pulumi.Input[str]
    name: pulumi.Input[str]
    interval_count: pulumi.Input[int]
    interval_unit: pulumi.Input[IntervalUnit]
    external_id: pulumi.Input[str] | None = None
    adopt: pulumi.Input[bool] = False


class Plan(Resource, module="chartmogul", name="Plan"):
    """A ChartMogul subscription plan.

    ``external_id`` defaults to the resource name, so it is stable across runs and a create whose answer was
    lost is found again instead of duplicated. With ``adopt=True`` an existing plan with the same
    ``external_id`` in the data source is taken over (and patched to the declared fields).
    """

    uuid: pulumi.Output[str]
    data_source_uuid: pulumi.Output[str]
    name: pulumi.Output[str]
    interval_count: pulumi.Output[int]
    interval_unit: pulumi.Output[IntervalUnit]
    external_id: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        args: PlanArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        data_source_uuid: pulumi.Input[str] | None = None,
        name: pulumi.Input[str] | None = None,
        interval_count: pulumi.Input[int] | None = None,
        interval_unit: pulumi.Input[IntervalUnit] | None = None,
        external_id: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None:
        given = call_properties("Plan", resource_name, args, opts, PlanArgs, data_source_uuid=data_source_uuid,
                                name=name, interval_count=interval_count, interval_unit=interval_unit,
                                external_id=external_id, adopt=adopt)
        required = {field: given.get(field) for field in ("data_source_uuid", "name", "interval_count",
                                                          "interval_unit")}
        missing = [field for field, value in required.items() if value is None]
        if missing:
            raise TypeError(f"Plan {resource_name!r} is missing required argument(s): {', '.join(missing)}")
        props = {
            **required,
            "external_id": resource_name if given.get("external_id") is None else given["external_id"],
            "adopt": flag(given.get("adopt")),
            **POLICY.unknown_outputs(),
        }
        require_import_support("Plan", resource_name, opts)
        super().__init__(PlanProvider(), resource_name, props, opts)

    @staticmethod
    def get(resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None) -> Plan:
        """The existing plan with uuid ``id``, read (at every preview, up and refresh) but not managed: the
        program never changes it and ``destroy`` leaves it alone. A uuid that does not exist fails the run."""
        return read_existing(Plan, PlanProvider(), resource_name, id, opts)
