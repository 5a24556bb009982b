"""The ``plan_groups`` section of a catalog: named sets of plans, by reference to the catalog's plans or by uuid::

    plan_groups:
      - name: Self-serve                 # the group's name in ChartMogul; unique in the catalog
        key: self-serve                  # optional: the stable part of the resource name (default: slug of name),
                                         # so that a new name is an in-place rename, not a new group
        adopt: false                     # optional: take over the one existing group with this name
        uuid: plg_...                    # optional: import this existing group (see model.py, "Importing")
        plans:
          - {data_source: In-house billing, external_id: bronze_monthly}   # a plan of this catalog
          - {uuid: pl_1b2c3d4e-0000-4000-8000-000000000000}                # a plan the catalog does not manage

Validated together with the rest of the catalog (``load_catalog(raw, plan_groups=...)``): every problem is
listed with its entry, e.g. ``plan_groups[0].plans[1]: no plan with external_id 'gold' in data source 'Billing'
in the catalog``. A plan may be in several groups; a group may not name a plan twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any

import pulumi
from pydantic import AfterValidator, BaseModel, ConfigDict, StrictBool, ValidationError, model_validator

from ..resources.plan import Plan
from ..resources.plan_group import PlanGroup
from ..resources.specs import PlanGroupUuid, PlanUuid, Text
from .names import PLAN_GROUP_PREFIX, plan_group_resource_name


class CatalogPlanRef(BaseModel):
    """One member: ``{data_source, external_id}`` (a plan of the catalog) or ``{uuid}`` (any plan)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    data_source: Text | None = None
    external_id: Text | None = None
    uuid: PlanUuid | None = None

    @model_validator(mode="after")
    def _one_form(self) -> CatalogPlanRef:
        by_key = self.data_source is not None or self.external_id is not None
        if by_key == (self.uuid is not None):
            raise ValueError("give either data_source and external_id (a plan of this catalog) or uuid, not both")
        if by_key and (self.data_source is None or self.external_id is None):
            raise ValueError("a plan of this catalog needs both data_source and external_id")
        return self

    def label(self) -> str:
        return self.uuid or f"{self.data_source}/{self.external_id}"


def _not_empty(plans: list[CatalogPlanRef]) -> list[CatalogPlanRef]:
    if not plans:
        raise ValueError("must list at least one plan (ChartMogul refuses a plan group without plans)")
    return plans


class CatalogPlanGroup(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: Text
    key: Text | None = None
    adopt: StrictBool = False
    uuid: PlanGroupUuid | None = None
    plans: Annotated[list[CatalogPlanRef], AfterValidator(_not_empty)]

    @property
    def resource_name(self) -> str:
        return plan_group_resource_name(self.key or self.name)


def plan_group_problems(
    raw: object, raw_catalog: object, describe: Callable[[Mapping[str, Any], str], str],
) -> tuple[list[CatalogPlanGroup], list[str]]:
    """The section validated, and every problem in it, each with its entry: the fields of each group
    (``describe(error, location)`` words them like the rest of the catalog), then, for the groups whose fields
    are valid, unknown plan references, a plan named twice in a group, two groups with one name or one resource
    name. ``raw_catalog`` may itself be invalid: only its entries with string keys are looked at."""
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], [f"plan_groups: must be a list of plan groups (got a {type(raw).__name__})"]
    groups: list[tuple[int, CatalogPlanGroup]] = []
    problems: list[str] = []
    for i, entry in enumerate(raw):
        try:
            groups.append((i, CatalogPlanGroup.model_validate(entry)))
        except ValidationError as exc:
            problems.extend(describe(error, _location(i, error.get("loc") or ())) for error in exc.errors())
    problems.extend(_reference_problems(groups, _catalog_plan_keys(raw_catalog)))
    return [group for _, group in groups], sorted(problems, key=_index)


def _location(index: int, loc: Iterable[Any]) -> str:
    return f"plan_groups[{index}]" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)


def _index(problem: str) -> int:
    return int(problem.split("]", 1)[0].removeprefix("plan_groups["))


def _reference_problems(groups: list[tuple[int, CatalogPlanGroup]], known: set[tuple[str, str]]) -> list[str]:
    problems: list[str] = []
    names: dict[str, int] = {}
    resource_names: dict[str, int] = {}
    uuids: dict[str, int] = {}
    for i, group in groups:
        where = f"plan_groups[{i}]"
        if group.uuid is not None and group.uuid in uuids:
            problems.append(f"{where}.uuid: {group.uuid!r} is given twice (also plan_groups[{uuids[group.uuid]}]); "
                            "one object, one entry")
        if group.uuid is not None:
            uuids.setdefault(group.uuid, i)
        if group.name in names:
            problems.append(f"{where}.name: {group.name!r} is declared twice (also plan_groups[{names[group.name]}])")
        elif group.resource_name == PLAN_GROUP_PREFIX:
            problems.append(f"{where}: {(group.key or group.name)!r} has no letters or digits to make a resource "
                            "name from; set key")
        elif group.resource_name in resource_names:
            problems.append(f"{where}: its resource name {group.resource_name!r} is also that of "
                            f"plan_groups[{resource_names[group.resource_name]}]; set a different key")
        names.setdefault(group.name, i)
        resource_names.setdefault(group.resource_name, i)
        seen: dict[str, int] = {}
        for j, ref in enumerate(group.plans):
            if ref.uuid is None and (ref.data_source, ref.external_id) not in known:
                problems.append(f"{where}.plans[{j}]: no plan with external_id {ref.external_id!r} in data source "
                                f"{ref.data_source!r} in the catalog")
            if ref.label() in seen:
                problems.append(f"{where}.plans[{j}]: {ref.label()} is listed twice (also plans[{seen[ref.label()]}])")
            seen.setdefault(ref.label(), j)
    return problems


def _catalog_plan_keys(raw_catalog: object) -> set[tuple[str, str]]:
    keys: set[tuple[str, str]] = set()
    for source in raw_catalog if isinstance(raw_catalog, list) else []:
        if not isinstance(source, Mapping) or not isinstance(source.get("name"), str):
            continue
        plans = source.get("plans")
        for plan in plans if isinstance(plans, list) else []:
            if isinstance(plan, Mapping) and isinstance(plan.get("external_id"), str):
                keys.add((source["name"], plan["external_id"]))
    return keys


def declare_plan_groups(
    groups: list[CatalogPlanGroup],
    plans: Mapping[str, Mapping[str, Plan]],
    opts: pulumi.ResourceOptions | None = None,
) -> dict[str, PlanGroup]:
    """Declare each group; ``plans`` are the catalog's plans by data source name, then external id (what
    ``declare`` returns).

    Returns the groups by name. A member of the catalog is its plan's ``uuid`` output, so the plan exists first.
    """
    declared: dict[str, PlanGroup] = {}
    for group in groups:
        members: list[Any] = []
        for ref in group.plans:
            if ref.uuid is not None:
                members.append(ref.uuid)
            else:
                # A valid catalog's references were checked against its plans.
                assert ref.data_source is not None and ref.external_id is not None
                members.append(plans[ref.data_source][ref.external_id].uuid)
        declared[group.name] = PlanGroup(group.resource_name, name=group.name, plans=members, adopt=group.adopt,
                                         opts=pulumi.ResourceOptions.merge(
                                             pulumi.ResourceOptions(import_=group.uuid), opts))
    return declared
