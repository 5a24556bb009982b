"""``PlanGroup``: a named set of ChartMogul plans (used to report MRR by product line).

``name`` and ``plans`` are patched in place with one PATCH (``plans`` replaces the membership). The membership is
a set: order never makes a diff, and a plan listed twice is a check error. The API allows several groups with
one name, but a name is how a lost create is found again and how ``adopt=True`` finds the group to take over,
so a create refuses a name that a group already has unless it adopts it (and adopting needs exactly one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, Resource, UpdateResult
from pulumi.runtime.rpc import contains_unknowns

from ._base import ChartMogulProvider, FieldPolicy, check_inputs, delete_confirmed, read_existing
from .calling import call_properties, flag
from .creating import NaturalKey
from .import_support import require_import_support

POLICY = FieldPolicy(
    update=frozenset({"name", "plans"}),
    replace=frozenset(),
    computed=frozenset({"uuid", "plans_count"}),
    named_by_resource=frozenset({"name"}),
)


def _members(plans: Any) -> Any:
    """The membership as a comparable value: a sorted list without repeats (unknowns left as they are)."""
    if isinstance(plans, list) and not contains_unknowns(plans):
        return sorted(set(plans))
    return plans


def groups_named(provider: ChartMogulProvider, name: str) -> list[dict[str, Any]]:
    """Every plan group with exactly this name (the API allows several)."""
    return [group for group in provider.client.list_plan_groups() if group.get("name") == name]


class PlanGroupProvider(ChartMogulProvider):
    spec_name = "PlanGroupSpec"
    policy = POLICY

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        plans = news.get("plans")
        if not (isinstance(plans, list) and contains_unknowns(plans)):
            return check_inputs(self.spec, news)
        # Preview: some members are outputs of plans not created yet. Validate the ones already known (shape,
        # repeats); the engine resolves the rest before create or update, and check runs again then.
        known = [plan for plan in plans if not contains_unknowns(plan)]
        result = check_inputs(self.spec, {**news, "plans": known or self.spec.preview_placeholders["plans"]})
        if not result.failures:
            result.inputs["plans"] = plans
        return result

    def comparable(self, props: Mapping[str, Any]) -> Mapping[str, Any]:
        return {**props, "plans": _members(props.get("plans"))}  # a set: order never makes a diff

    def _outputs(self, found: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
        members: list[str] = found["plans"]
        # The declared order for the members that are there, then any added elsewhere: a refresh shows only
        # real membership changes.
        declared = [p for p in dict.fromkeys(inputs.get("plans") or []) if p in members]
        return {
            **self.echo_inputs(inputs),
            "uuid": found["uuid"],
            "name": found["name"],
            "plans": [*declared, *(p for p in members if p not in declared)],
            "plans_count": found["plans_count"],
        }

    def _get(self, id_: str) -> dict[str, Any]:
        """The group, with ``plans``: its members' uuids (every page of them)."""
        group = self.client.get_plan_group(id_)
        return {**group, "plans": [plan["uuid"] for plan in self.client.list_plan_group_plans(id_)]}

    def create(self, props: dict[str, Any]) -> CreateResult:
        name, plans = props["name"], list(props["plans"])
        key = NaturalKey(param="name", what=f"the plan group named {name!r}",
                         taken=f"a plan group named {name!r} already exists",
                         find_all=lambda: groups_named(self, name),
                         # The API accepts several groups with one name: a name found taken is looked at before any
                         # POST, and a POST that may still be running is waited for, never sent twice.
                         unique_on_server=False, several=f"plan groups are named {name!r}")
        members: dict[str, list[str]] = {}  # a found group's members, read once

        def members_of(group: dict[str, Any]) -> list[str]:
            if group["uuid"] not in members:
                members[group["uuid"]] = self._get(group["uuid"])["plans"]
            return members[group["uuid"]]

        group, found = self.create_once(
            props, key, lambda: self.client.create_plan_group(name, plans),
            # Nothing had this name before the POST, so a group found with it afterwards is ours if it has our plans.
            could_be_ours=lambda found: _members(members_of(found)) == _members(plans),
            settle_seconds=2 * self.client.settings.timeout_seconds,
        )
        if found and _members(members_of(group)) != _members(plans):
            group = self.client.update_plan_group(group["uuid"], {"plans": plans})  # adopted: made to declare plans
        return CreateResult(group["uuid"], self._outputs({**group, "plans": plans}, props))

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        plans = list(news["plans"])
        group = self.client.update_plan_group(id_, {"name": news["name"], "plans": plans})
        return UpdateResult(self._outputs({**group, "plans": plans}, news))

    def delete(self, id_: str, _props: dict[str, Any]) -> None:
        # Already gone is done; a lost answer is settled by a GET.
        delete_confirmed(lambda: self.client.delete_plan_group(id_), lambda: self.client.get_plan_group(id_))


@dataclass
class PlanGroupArgs:
    """Arguments of :class:`PlanGroup`: ``PlanGroup("self-serve", PlanGroupArgs(plans=[...]), opts)``."""

    plans: pulumi.Input[Sequence[pulumi.Input[str]]]
    name: pulumi.Input[str] | None = None
    adopt: pulumi.Input[bool] = False


class PlanGroup(Resource, module="chartmogul", name="PlanGroup"):
    """A ChartMogul plan group: a name and a set of plan uuids, of one or several data sources.

    ``plans`` takes plan uuids, usually ``plan.uuid`` outputs, or those of plans the program reads with
    ``Plan.get``. ``name`` defaults to the resource name. With ``adopt=True`` the one existing group with this
    name is taken over (and its membership set to ``plans``).
    """

    uuid: pulumi.Output[str]
    name: pulumi.Output[str]
    plans: pulumi.Output[list[str]]
    plans_count: pulumi.Output[int]

    def __init__(
        self,
        resource_name: str,
        args: PlanGroupArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        name: pulumi.Input[str] | None = None,
        plans: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        adopt: pulumi.Input[bool] | None = None,
    ) -> None:
        given = call_properties("PlanGroup", resource_name, args, opts, PlanGroupArgs, name=name, plans=plans,
                                adopt=adopt)
        name, plans, adopt = given.get("name"), given.get("plans"), given.get("adopt")
        if plans is None:
            raise TypeError(f"PlanGroup {resource_name!r} is missing required argument(s): plans")
        props = {
            "name": resource_name if name is None else name,
            "plans": plans,
            "adopt": flag(adopt),
            **POLICY.unknown_outputs(),
        }
        require_import_support("PlanGroup", resource_name, opts)
        super().__init__(PlanGroupProvider(), resource_name, props, opts)

    @staticmethod
    def get(resource_name: str, id: pulumi.Input[str], opts: pulumi.ResourceOptions | None = None) -> PlanGroup:
        """The existing plan group with uuid ``id``, read (at every preview, up and refresh) but not managed: the
        program never changes it and ``destroy`` leaves it alone. A uuid that does not exist fails the run."""
        return read_existing(PlanGroup, PlanGroupProvider(), resource_name, id, opts)
