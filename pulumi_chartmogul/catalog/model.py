"""A catalog: the data sources and plans of a ChartMogul account, as plain data, and the resources it declares.

The bootstrap program (``__main__.py``) reads a catalog from stack config; the examples build one in Python.
Either way it goes through :func:`load_catalog`, which reports *every* problem at once, each with the entry it
is about, before a single resource is declared::

    catalog:
      - name: In-house billing          # data source: unique name in the account
        key: in-house-billing           # optional: makes the resource names in place of the name (below)
        adopt: false                    # optional: take over an existing source with this name
        uuid: ds_...                    # optional: import this existing source (see "Importing" below)
        force_destroy: false            # optional: allow deleting/replacing it although it holds customers
        renamed_from: Old billing       # optional: its previous name, so a rename is one replacement (below)
        plans:
          - name: Bronze Plan           # display name: renaming it updates the plan in place
            interval_count: 1
            interval_unit: month        # day | month | year
            external_id: bronze_monthly # the plan's key: unique within its data source
            adopt: false                # optional: take over an existing plan with this external id
            uuid: pl_...                # optional: import this existing plan

Field rules (lengths, whitespace, units, counts) are the resources' own, from :mod:`pulumi_chartmogul.resources.specs`.
The catalog adds only what is about the catalog as a whole:

- data source names are unique (ChartMogul refuses a second source with the same name), and so are the
  resource names made from them or from their keys (``"EU billing"`` and ``"eu-billing"`` would both be
  ``eu-billing``: one of them needs a ``key``);
- a ``uuid`` is given to one entry at most (two resources must not manage one object);
- external ids are unique within their data source, as ChartMogul requires (two data sources may each have a
  plan ``gold``; a real account often does). Plans are therefore keyed by data source name, then external id,
  both in what :func:`declare` returns and in the bootstrap program's ``plans`` output.

Resource names are the URNs, so they are derived only from the natural keys and stay stable
(:mod:`pulumi_chartmogul.catalog.names`):

- a data source is ``<slug of its key>``, or without a key ``<slug of its name>``. Renaming a data source
  replaces the ChartMogul object either way (the API cannot rename). With a key the resource keeps its name,
  so the source and its plans keep their identity and the rename is one replacement that the provider checks
  in preview, before anything is created (a source that holds customers is refused without ``force_destroy``).
  Without a key, ``renamed_from`` names the previous name to the same effect (Pulumi aliases); without either,
  the engine creates the new source first and deletes the old one last, and that delete is where the refusal
  comes. A keyed source needs ``renamed_from`` only in the edit that gives it its key (the alias then carries
  the resource from its name-derived resource name to the key's, with no replacement if nothing else changes);
- a plan is ``<its data source's resource name>-<external id>``. Its display name, interval count and unit are
  not part of it, so changing them is an in-place update. Changing an external id gives a new resource name:
  the plan is replaced (Pulumi shows the new one as a create and the old one as a delete).

Importing: an entry with a ``uuid`` that is not yet in the stack is imported (``ResourceOptions(import_=uuid)``):
``pulumi preview`` shows it as an import (one GET, no change), ``pulumi up`` records it in the state without a
POST, and a difference from the catalog shows as an update after the import. Once in the state the ``uuid`` is
only checked against it. ``pulumi-chartmogul export --adopt`` writes the uuids. It needs this package's provider
host (``pulumi_chartmogul.provider_host``) named in ``Pulumi.yaml``; ``adopt: true`` (create finds the object by
its key) needs nothing, but previews as a create.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    RootModel,
    StrictBool,
    ValidationError,
    model_validator,
)

from ..resources.data_source import DataSource
from ..resources.intervals import IntervalUnit
from ..resources.plan import Plan
from ..resources.specs import DataSourceUuid, IntervalCount, PlanUuid, Text, describe_error
from .groups import CatalogPlanGroup, CatalogPlanRef, plan_group_problems
from .names import data_source_resource_name, plan_resource_name

__all__ = ["Catalog", "CatalogDataSource", "CatalogError", "CatalogPlan", "declare", "load_catalog"]


class CatalogError(ValueError, pulumi.RunError):
    """The catalog is invalid. ``problems`` lists each one as ``<location>: <what is wrong>``.

    Also a :class:`pulumi.RunError`, so a Pulumi program that lets it escape fails with this message only,
    without a Python traceback.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        heading = f"The catalog is invalid ({count} problem{'s' if count != 1 else ''}):"
        super().__init__("\n".join([heading, *(f"  - {p}" for p in self.problems)]))


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CatalogPlan(_Entry):
    name: Text
    interval_count: IntervalCount
    interval_unit: IntervalUnit
    external_id: Text
    adopt: StrictBool = False
    uuid: PlanUuid | None = None


class CatalogDataSource(_Entry):
    name: Text
    key: Text | None = None
    adopt: StrictBool = False
    uuid: DataSourceUuid | None = None
    force_destroy: StrictBool = False
    renamed_from: Text | None = None
    plans: list[CatalogPlan] = Field(default_factory=list)

    @property
    def resource_name(self) -> str:
        return data_source_resource_name(self.name, self.key)

    def plan_resource_name(self, external_id: str) -> str:
        return plan_resource_name(self.name, external_id, self.key)

    @property
    def previous_name(self) -> str | None:
        """``renamed_from``, unless it made the resource name the source has now (the key kept it): an alias
        to the resource's own name would be no alias."""
        if self.renamed_from is None or data_source_resource_name(self.renamed_from) == self.resource_name:
            return None
        return self.renamed_from


class _DuplicateKeys(ValueError):
    """Raised by the catalog's own validator; carries the problems so load_catalog can list them one by one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class Catalog(RootModel[list[CatalogDataSource]]):
    """A list of data sources, each with its plans. Validating one also checks the catalog-wide rules."""

    model_config = ConfigDict(frozen=True)
    _plan_groups: list[CatalogPlanGroup] = PrivateAttr(default_factory=list)

    @model_validator(mode="after")
    def _unique_keys(self) -> Catalog:
        problems = duplicate_problems(self.model_dump(mode="json"))
        if problems:
            raise _DuplicateKeys(problems)
        return self

    @property
    def data_sources(self) -> list[CatalogDataSource]:
        return self.root

    @property
    def plan_groups(self) -> list[CatalogPlanGroup]:
        """The ``plan_groups`` section given to :func:`load_catalog` (see :mod:`pulumi_chartmogul.catalog.groups`)."""
        return self._plan_groups


def duplicate_problems(raw: object) -> list[str]:
    """The catalog-wide problems in ``raw`` (validated or not): duplicate names, keys, resource names, external ids.

    Works on unvalidated input too, looking only at the entries that have string keys, so that a catalog with
    a bad unit *and* a duplicate external id reports both in one go.
    """
    if not isinstance(raw, list):
        return []
    seen = _Seen()
    problems: list[str] = []
    for i, source in enumerate(raw):
        if not isinstance(source, Mapping):
            continue
        where = f"catalog[{i}]"
        name, key = source.get("name"), source.get("key")
        naming = (name, key) if isinstance(name, str) and isinstance(key, str | None) else None
        named = False
        if naming is not None:
            found, named = _source_name_problems(seen, where, *naming)
            problems.extend(found)
        problems.extend(_uuid_problems(seen, where, source))
        plans = source.get("plans")
        if isinstance(plans, list):
            problems.extend(_plan_key_problems(seen, where, name if isinstance(name, str) else None,
                                               naming if named else None, plans))
    return problems


@dataclass
class _Seen:
    """The keys met so far while walking a catalog, each with where it was first declared."""

    names: dict[str, str] = field(default_factory=dict)
    # resource name -> (location of the name or key it is made from, that name or key)
    slugs: dict[str, tuple[str, str]] = field(default_factory=dict)
    external_ids: dict[tuple[str | None, str], str] = field(default_factory=dict)
    plan_names: dict[str, str] = field(default_factory=dict)
    uuids: dict[str, str] = field(default_factory=dict)


def _uuid_problems(seen: _Seen, where: str, entry: Mapping[str, Any]) -> list[str]:
    uuid = entry.get("uuid")
    if not isinstance(uuid, str):
        return []
    if uuid in seen.uuids:
        return [f"{where}.uuid: {uuid!r} is given twice (also {seen.uuids[uuid]}.uuid); one object, one entry"]
    seen.uuids[uuid] = where
    return []


def _source_name_problems(seen: _Seen, where: str, name: str, key: str | None) -> tuple[list[str], bool]:
    """The problems of a source's name and key, and whether it has its resource name to itself."""
    if name in seen.names:
        return [f"{where}.name: {name!r} is declared twice (also {seen.names[name]}.name)"], False
    seen.names[name] = where
    made_from, value = (f"{where}.key", key) if key is not None else (f"{where}.name", name)
    resource_name = data_source_resource_name(name, key)
    if not resource_name:
        return [f"{made_from}: {value!r} has no letters or digits to make a resource name from"
                + ("" if key is not None else "; set a key")], False
    if resource_name in seen.slugs:
        other, other_value = seen.slugs[resource_name]
        return [f"{made_from}: {value!r} gives the same resource name {resource_name!r} as {other_value!r} "
                f"({other}); {_tell_apart(key is not None, other.endswith('.key'))}"], False
    seen.slugs[resource_name] = (made_from, value)
    return [], True


def _tell_apart(keyed: bool, other_keyed: bool) -> str:
    if keyed and other_keyed:
        return "make the keys differ in letters or digits"
    if keyed or other_keyed:
        return "choose another key"
    return ("set a key on one of them (a source's resource name, and its plans', are then made from its key), "
            "or make the names differ in letters or digits")


def _plan_key_problems(seen: _Seen, where: str, source_name: str | None, naming: tuple[str, str | None] | None,
                       plans: list[Any]) -> list[str]:
    """``naming``: the source's name and key when its resource name is its own (else its plans' would only
    repeat the source's problem, once per shared external id)."""
    problems: list[str] = []
    for j, plan in enumerate(plans):
        external_id = plan.get("external_id") if isinstance(plan, Mapping) else None
        if not isinstance(external_id, str):
            continue
        plan_where = f"{where}.plans[{j}]"
        problems.extend(_uuid_problems(seen, plan_where, plan))
        # Per data source, as ChartMogul has it (a source without a valid name is its own scope).
        scope = (source_name if source_name is not None else where, external_id)
        first = seen.external_ids.get(scope)
        if first is not None:
            problems.append(f"{plan_where}.external_id: {external_id!r} is declared twice in this data source "
                            f"(also {first})")
            continue
        seen.external_ids[scope] = plan_where
        if naming is None:
            continue
        resource_name = plan_resource_name(naming[0], external_id, naming[1])
        if resource_name in seen.plan_names:
            problems.append(f"{plan_where}: its resource name {resource_name!r} is also that of "
                            f"{seen.plan_names[resource_name]}; change the external id, or set a key on one of "
                            "the two data sources")
        else:
            seen.plan_names[resource_name] = plan_where
    return problems


def _location(loc: Iterable[Any]) -> str:
    text = "catalog"
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _known_fields(loc: tuple[Any, ...]) -> str:
    model: type[BaseModel] = CatalogPlan if "plans" in loc[:-1] else CatalogDataSource
    return ", ".join(model.model_fields)


def _describe(error: Mapping[str, Any]) -> str:
    loc = tuple(error.get("loc") or ())
    return describe_error(error, _location(loc), unknown="a catalog field", known_fields=_known_fields)


def _group_known_fields(loc: tuple[Any, ...]) -> str:
    model: type[BaseModel] = CatalogPlanRef if "plans" in loc[:-1] else CatalogPlanGroup
    return ", ".join(model.model_fields)


def _describe_group_error(error: Mapping[str, Any], where: str) -> str:
    return describe_error(error, where, unknown="a plan group field", known_fields=_group_known_fields)


def _order(problem: str) -> list[int]:
    """Problems are listed in catalog order: by the indices in their location."""
    return [int(index) for index in re.findall(r"\[(\d+)\]", problem.split(":", 1)[0])]


def load_catalog(raw: object, plan_groups: object = None) -> Catalog:
    """Validate ``raw`` (what ``pulumi.Config().require_object("catalog")`` returns) into a :class:`Catalog`,
    with its ``plan_groups`` section if given (``pulumi.Config().get_object("plan_groups")``).

    Raises :class:`CatalogError` listing every problem, each naming its entry, e.g.
    ``catalog[0].plans[2].external_id: 'gold' is declared twice in this data source (also catalog[0].plans[0])``.
    """
    groups, group_problems = plan_group_problems(plan_groups, raw, _describe_group_error)
    try:
        catalog = Catalog.model_validate(raw)
    except ValidationError as exc:
        problems = [
            _describe(error) for error in exc.errors()
            if not isinstance((error.get("ctx") or {}).get("error"), _DuplicateKeys)
        ]
        problems.extend(duplicate_problems(raw))
        raise CatalogError([*sorted(problems, key=_order), *group_problems]) from None
    if group_problems:
        raise CatalogError(group_problems)
    catalog._plan_groups = groups
    return catalog


def declare(
    catalog: Catalog, opts: pulumi.ResourceOptions | None = None
) -> tuple[dict[str, DataSource], dict[str, dict[str, Plan]]]:
    """Declare every data source and plan in ``catalog``.

    Returns the data sources by name and the plans by data source name, then external id (external ids are
    unique per data source only). ``opts`` (e.g. ``protect=True``) is applied
    to every resource. Each plan takes its data source's ``uuid`` output, so Pulumi creates the source first.
    """
    sources: dict[str, DataSource] = {}
    plans: dict[str, dict[str, Plan]] = {}
    for entry in catalog.data_sources:
        previous = entry.previous_name
        source = DataSource(
            entry.resource_name,
            name=entry.name,
            adopt=entry.adopt,
            force_destroy=entry.force_destroy,
            opts=_renamed(opts, previous and data_source_resource_name(previous), entry.uuid),
        )
        sources[entry.name] = source
        in_source = plans[entry.name] = {}
        for plan in entry.plans:
            in_source[plan.external_id] = Plan(
                entry.plan_resource_name(plan.external_id),
                data_source_uuid=source.uuid,
                name=plan.name,
                interval_count=plan.interval_count,
                interval_unit=plan.interval_unit,
                external_id=plan.external_id,
                adopt=plan.adopt,
                opts=_renamed(opts, previous and plan_resource_name(previous, plan.external_id), plan.uuid),
            )
    return sources, plans


def _renamed(opts: pulumi.ResourceOptions | None, previous_name: str | None,
             uuid: str | None = None) -> pulumi.ResourceOptions:
    """``opts`` (copied), with an alias to the resource's previous name if it has one, and the import of ``uuid``."""
    own = pulumi.ResourceOptions(aliases=[pulumi.Alias(name=previous_name)] if previous_name else None,
                                 import_=uuid)
    return pulumi.ResourceOptions.merge(own, opts)
