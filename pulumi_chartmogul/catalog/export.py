"""An account as a catalog: what ``pulumi-chartmogul export`` reads, and the text it writes (the command is
:mod:`pulumi_chartmogul.commands.export`).

Reads every data source, every plan (all pages) and every plan group with its members, using the provider's
settings (``CHARTMOGUL_API_KEY``, ``CHARTMOGUL_ENDPOINT`` or ``--endpoint``; the retry policy of
:mod:`pulumi_chartmogul.api.client`), and writes stack config YAML::

    config:
      chartmogul-bootstrap:catalog:
      - name: In-house billing
        uuid: ds_...                      # with --adopt: each object's uuid, so the first preview imports it
        plans:
        - {name: Bronze, interval_count: 1, interval_unit: month, external_id: bronze_monthly, uuid: pl_...}
      chartmogul-bootstrap:plan_groups:   # when the account has groups
      - name: Self-serve
        uuid: plg_...                     # with --adopt
        plans:
        - {data_source: In-house billing, external_id: bronze_monthly}
        - {uuid: pl_...}                  # a plan of a data source that is not exported (e.g. synced from Stripe)

or, with ``--format python``, a standalone Pulumi program declaring the same objects (with ``--adopt``, each with
``ResourceOptions(import_=uuid)``) and the same resource names as the bootstrap program gives them.

With ``--adopt`` the first ``pulumi preview`` shows every object as an import (no create, update or delete when
the account matches), and ``pulumi up`` records them in the state without a POST. Imports need the
project to run this package's provider host (``pulumi-chartmogul provider-host`` writes its launcher and the
``Pulumi.yaml`` lines); the bootstrap program's does.

What is exported, and what is left out (each left-out object is named on stderr):

- data sources whose ``system`` is ``Custom`` (or ``Import API``, its older name): the ones made through the API,
  whose plans are ours to create. A source synced from an integration (Stripe, Recurly, …) is **left out**: its
  plans are created, changed and deleted by the sync, so declaring them would make ``up`` fight the sync and
  ``destroy`` delete the integration's source. Plan groups keep its plans as ``{uuid: …}`` members, which the
  program reads but never manages (the catalog's way of referring to any plan);
- plans without an external id (possible for plans made in 2016): the catalog keys plans by external id;
- plan groups with no member (ChartMogul refuses to make one) or sharing their name with another group
  (resource names are made from group names, and ``adopt`` needs exactly one group with the name).

Two data sources whose names make one resource name (``EU billing`` and ``eu-billing``), or one plan resource
name, are both exported: the newer gets a ``key`` (:func:`clash_key`), named on stderr, and keeps its own
resource names apart; see :func:`_clash_keys` for which one and why.

Output is deterministic: data sources by name, plans by external id, groups by name, members by key; a run
against an unchanged account prints the same bytes. The catalog is validated with the program's own rules
(:func:`pulumi_chartmogul.catalog.model.load_catalog`) before anything is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..api.client import ChartMogulClient
from ..api.listed_reads import PER_PAGE
from ..api.settings import CONFIG_ALLOWED_ACCOUNT_IDS
from .names import CATALOG_KEY, GROUPS_KEY, data_source_resource_name, plan_resource_name, slug

# Sources made through the API: "Custom" in ChartMogul's API reference since 2023, "Import API" in responses before
# (the official clients' recorded test fixtures, chartmogul-ruby/-go/-python, show both).
OWN_SYSTEMS = frozenset({"Custom", "Import API"})
PLAN_FIELDS = ("name", "interval_count", "interval_unit", "external_id")

Note = Callable[[str], None]


class ExportError(Exception):
    """The export cannot be made; the message says why. Nothing has been written."""


@dataclass
class Account:
    """What the API lists, as it lists it."""

    data_sources: list[dict[str, Any]] = field(default_factory=list)
    plans: list[dict[str, Any]] = field(default_factory=list)
    # Each group with "members": its plans' uuids.
    plan_groups: list[dict[str, Any]] = field(default_factory=list)
    # GET /account: whose account this is ("id" is absent in answers of the older API).
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class Export:
    """The catalog and its plan groups, as plain data in the shapes ``load_catalog`` reads."""

    catalog: list[dict[str, Any]]
    plan_groups: list[dict[str, Any]]


def _counted(items: Iterable[dict[str, Any]], what: str, note: Note) -> Iterator[dict[str, Any]]:
    for count, item in enumerate(items, start=1):
        if count % PER_PAGE == 0:
            note(f"  {what}: {count} read")
        yield item


def read_account(client: ChartMogulClient, note: Note) -> Account:
    """Every data source, plan and plan group (with members), all pages."""
    note(f"Reading {client.settings.endpoint} ...")
    account = Account(details=client.get_account(), data_sources=client.list_data_sources())
    note(f"  account: {account.details.get('id') or '(no id)'} {account.details.get('name')!r}")
    note(f"  data sources: {len(account.data_sources)}")
    account.plans = list(_counted(client.list_plans(), "plans", note))
    note(f"  plans: {len(account.plans)}")
    for group in _counted(client.list_plan_groups(), "plan groups", note):
        members = [plan["uuid"] for plan in client.list_plan_group_plans(group["uuid"])]
        account.plan_groups.append({**group, "members": members})
    note(f"  plan groups: {len(account.plan_groups)}")
    return account


def build_export(account: Account, *, adopt: bool, only: Iterable[str] = (), note: Note) -> Export:
    """The catalog of ``account``: its own data sources (those named in ``only``, if any) with their plans, and
    the plan groups (with ``only``: those with a member among the exported plans)."""
    wanted = set(only)
    known = {source["name"] for source in account.data_sources}
    unknown = sorted(wanted - known)
    if unknown:
        raise ExportError(f"no data source named {', '.join(map(repr, unknown))} in the account "
                          f"(it has: {', '.join(map(repr, sorted(known))) or 'none'})")
    # Every source of ours, exported or not: whether a source needs a key must not depend on --data-source.
    own: dict[str, dict[str, Any]] = {}  # uuid -> data source
    for source in sorted(account.data_sources, key=lambda s: (s["name"], s["uuid"])):
        if source.get("system") in OWN_SYSTEMS:
            own[source["uuid"]] = source
        elif not wanted or source["name"] in wanted:
            note(f"left out: data source {source['name']!r} ({source['uuid']}, system {source.get('system')!r}): "
                 "its plans are made by that integration's sync, not by this program; plan groups refer to them "
                 "by uuid")
    exported = {uuid: s["name"] for uuid, s in own.items() if not wanted or s["name"] in wanted}  # uuid -> name

    by_source: dict[str, list[dict[str, Any]]] = {uuid: [] for uuid in own}
    keys: dict[str, dict[str, str]] = {}  # plan uuid -> catalog reference
    for plan in account.plans:
        source_uuid = plan["data_source_uuid"]
        if source_uuid not in own:
            continue
        if plan.get("external_id") in (None, ""):
            if source_uuid in exported:
                note(f"left out: plan {plan['name']!r} ({plan['uuid']}) in {exported[source_uuid]!r} has no "
                     "external id, and the catalog keys plans by external id")
            continue
        entry = {name: plan[name] for name in PLAN_FIELDS}
        entry["external_id"] = str(entry["external_id"])
        if adopt:
            entry["uuid"] = plan["uuid"]
        by_source[source_uuid].append(entry)
        if source_uuid in exported:
            keys[plan["uuid"]] = {"data_source": exported[source_uuid], "external_id": entry["external_id"]}

    clash_keys = _clash_keys(own.values(), by_source)
    catalog: list[dict[str, Any]] = []
    for uuid, name in exported.items():
        source_entry: dict[str, Any] = {"name": name}
        if uuid in clash_keys:
            source_entry["key"], why = clash_keys[uuid]
            note(f"keyed: data source {name!r} ({uuid}) as {source_entry['key']!r}: {why}")
        if adopt:
            source_entry["uuid"] = uuid
        source_entry["plans"] = sorted(by_source[uuid], key=lambda p: (p["external_id"], p["name"]))
        catalog.append(source_entry)
    return Export(catalog, _groups(account, keys, adopt=adopt, filtered=bool(wanted), note=note))


def clash_key(name: str) -> str:
    """The key the export gives a source whose name clashes: its slug and the first 6 hex digits of the SHA-256
    of the name itself (UTF-8): ``"eu-billing"`` → ``eu-billing-a557f3``, ``"EU billing"`` → ``eu-billing-1eeae7``.

    Made from the name alone, so it is the same on every run, in every account that has a source of this name
    (an export of staging and one of production agree), and whatever other sources come and go. The digest tells
    apart names that differ only in case, spacing or punctuation, which is all a clash can be. The key is its own
    slug, so it reads as the resource name it makes: for a name without ASCII letters or digits that is the
    digest alone (a slug keeps only the ASCII of a name that has some).
    """
    return slug(f"{slug(name)}-{hashlib.sha256(name.encode()).hexdigest()[:6]}")


def _clash_keys(sources: Iterable[dict[str, Any]],
                plans: Mapping[str, list[dict[str, Any]]]) -> dict[str, tuple[str, str]]:
    """Data source uuid -> (:func:`clash_key`, why) for each source some of whose resource names, made from its
    name, an older source already has: the source's own, or one of its plans' (``a`` + ``b-c`` and ``a b`` +
    ``c`` both make ``a-b-c``).

    The oldest (``created_at``, then uuid) keeps the names made from its name: a stack can hold that one under
    them, having been made or adopted while it had its name to itself (a catalog refuses a clash), so keying it
    would move it to new resource names, i.e. replace it. Only a clash decides, so a source's key never depends
    on an unrelated source.
    """
    owners: dict[tuple[str, str], tuple[dict[str, Any], str | None]] = {}  # (kind, name) -> source, external id
    keyed: dict[str, tuple[str, str]] = {}
    for source in sorted(sources, key=lambda s: (s.get("created_at") is None, s.get("created_at") or "", s["uuid"])):
        external_ids = [plan["external_id"] for plan in plans[source["uuid"]]]
        claims = _resource_names(source["name"], None, external_ids)
        taken = next((claim for claim in claims if claim in owners), None)
        if taken is not None:
            key = clash_key(source["name"])
            older, older_plan = owners[taken]
            ours = "its name" if claims[taken] is None else f"its plan {claims[taken]!r}"
            theirs = "" if older_plan is None else f"plan {older_plan!r} of "
            keyed[source["uuid"]] = (key, f"{ours} makes the resource name {taken[1]!r} of {theirs}the older data "
                                          f"source {older['name']!r} ({older['uuid']}), which keeps it")
            claims = _resource_names(source["name"], key, external_ids)
        for claim, external_id in claims.items():
            owners.setdefault(claim, (source, external_id))  # a clash left after keying: validate() names it
    return keyed


def _resource_names(name: str, key: str | None, external_ids: Iterable[str]) -> dict[tuple[str, str], str | None]:
    """(kind, resource name) -> the external id of the plan that has it (None: the data source)."""
    names: dict[tuple[str, str], str | None] = {("DataSource", data_source_resource_name(name, key)): None}
    names.update({("Plan", plan_resource_name(name, external_id, key)): external_id for external_id in external_ids})
    return names


def _groups(account: Account, keys: dict[str, dict[str, str]], *, adopt: bool, filtered: bool,
            note: Note) -> list[dict[str, Any]]:
    names: dict[str, int] = {}
    for group in account.plan_groups:
        names[group["name"]] = names.get(group["name"], 0) + 1
    groups: list[dict[str, Any]] = []
    for group in sorted(account.plan_groups, key=lambda g: (g["name"], g["uuid"])):
        where = f"plan group {group['name']!r} ({group['uuid']})"
        if filtered and not any(uuid in keys for uuid in group["members"]):
            continue
        if names[group["name"]] > 1:
            note(f"left out: {where}: {names[group['name']]} groups have this name, and adopting needs exactly one")
            continue
        if not group["members"]:
            note(f"left out: {where}: it has no plans, and a plan group needs at least one")
            continue
        ours = sorted((keys[uuid] for uuid in set(group["members"]) if uuid in keys),
                      key=lambda ref: (ref["data_source"], ref["external_id"]))
        others = [{"uuid": uuid} for uuid in sorted(set(group["members"]) - set(keys))]
        entry: dict[str, Any] = {"name": group["name"]}
        if adopt:
            entry["uuid"] = group["uuid"]
        entry["plans"] = [*ours, *others]
        groups.append(entry)
    return groups


def validate(export: Export) -> None:
    """The program's own rules, so that what is written is a catalog the program accepts."""
    from .model import CatalogError, load_catalog

    try:
        load_catalog(export.catalog, plan_groups=export.plan_groups or None)
    except CatalogError as exc:
        raise ExportError("the account holds what the catalog cannot express; nothing was written:\n"
                          + "\n".join(f"  - {problem}" for problem in exc.problems)) from None


# -- output ---------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper with the mappings below; its own class, so ``yaml.SafeDumper`` stays as it was."""


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.MappingNode:
    # Block style, but a plan (or a group member) on one line: one line per plan in a diff.
    flow = not any(isinstance(value, dict | list) for value in data.values())
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


_Dumper.add_representer(dict, _represent_dict)


def to_yaml(export: Export, header: str, account_id: str | None = None) -> str:
    """Stack config YAML; with ``account_id``, pinned to that account (``chartmogul:allowedAccountIds``)."""
    config: dict[str, Any] = {CONFIG_ALLOWED_ACCOUNT_IDS: [account_id]} if account_id else {}
    config[CATALOG_KEY] = export.catalog
    if export.plan_groups:
        config[GROUPS_KEY] = export.plan_groups
    body: str = yaml.dump({"config": config}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000,
                     default_flow_style=False)
    return header + body


def to_python(export: Export, header: str) -> str:
    from .groups import CatalogPlanGroup
    from .model import CatalogDataSource

    lines = [
        header + '"""ChartMogul objects exported by `pulumi-chartmogul export --format python`, each declared with',
        "adopt=True: the first `pulumi up` takes them over (one GET each, no POST), and from then on they are managed.",
        "With --adopt each is also imported by uuid (ResourceOptions(import_=...)): `pulumi preview` shows imports,",
        "not creates. Imports need the project's Pulumi.yaml to name pulumi_chartmogul's provider host",
        "(`pulumi-chartmogul provider-host` writes its launcher and the lines).",
        "Resource names are those the bootstrap program gives the same objects.",
        '"""',
        "",
        "import pulumi",
        "",
        "from pulumi_chartmogul import DataSource, Plan, PlanGroup",
        "",
        "data_sources: dict[str, DataSource] = {}",
        "plans: dict[str, dict[str, Plan]] = {}",
        "plan_groups: dict[str, PlanGroup] = {}",
        "",
    ]
    for source in export.catalog:
        name = source["name"]
        entry = CatalogDataSource.model_validate(source)  # its resource names, as the bootstrap program's
        lines.append(f"data_sources[{name!r}] = DataSource({entry.resource_name!r}, name={name!r}, "
                     f"adopt=True{_imports(source)})")
        lines.append(f"plans[{name!r}] = {{}}")
        for plan in source["plans"]:
            lines.append(
                f"plans[{name!r}][{plan['external_id']!r}] = Plan("
                f"{entry.plan_resource_name(plan['external_id'])!r}, data_source_uuid=data_sources[{name!r}].uuid, "
                f"name={plan['name']!r}, interval_count={plan['interval_count']!r}, "
                f"interval_unit={plan['interval_unit']!r}, external_id={plan['external_id']!r}, "
                f"adopt=True{_imports(plan)})")
        lines.append("")
    for group in export.plan_groups:
        members = ", ".join(
            f"{ref['uuid']!r}" if "uuid" in ref else f"plans[{ref['data_source']!r}][{ref['external_id']!r}].uuid"
            for ref in group["plans"])
        resource_name = CatalogPlanGroup.model_validate(group).resource_name
        lines.append(f"plan_groups[{group['name']!r}] = PlanGroup({resource_name!r}, name={group['name']!r}, "
                     f"plans=[{members}], adopt=True{_imports(group)})")
    lines += [
        "",
        'pulumi.export("data_sources", {name: source.uuid for name, source in data_sources.items()})',
        'pulumi.export("plans", {source: {external_id: plan.uuid for external_id, plan in in_source.items()}',
        "                         for source, in_source in plans.items()})",
        "if plan_groups:",
        '    pulumi.export("plan_groups", {name: group.uuid for name, group in plan_groups.items()})',
        "",
    ]
    return "\n".join(lines)


def _imports(entry: dict[str, Any]) -> str:
    return f", opts=pulumi.ResourceOptions(import_={entry['uuid']!r})" if "uuid" in entry else ""
