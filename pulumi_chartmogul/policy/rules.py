"""The ChartMogul guardrails: the rules of the policy pack, as plain functions over what a policy sees.

A rule reads a resource as the policy engine shows it (its type, resource name, properties and options,
:class:`Resource`) and its policy config, and returns the violations as sentences that name the resource and the
fix. Both faces are recognised: the dynamic types (``pulumi-python:dynamic/chartmogul:Plan``, snake_case
properties) and the native ones (``chartmogul:index:Plan``, camelCase).

What a policy sees shapes the rules: a resource rule runs for each resource the program declares *after* the change
and never for one being deleted, and a stack rule sees the resources that remain. So no rule sees a deletion itself;
the protection rule (``protect``, which makes the engine refuse a delete or replace) and the floor (what must
remain) are how deletions are stopped.

Unknown values (in preview, whatever depends on an output not made yet, such as a new data source's uuid) decide
nothing: a rule reads only what is known, says nothing about a field it cannot read, and the ``up`` checks again
with the values known. Numbers arrive as floats (``1.0``), from the engine and from the config alike.

This file imports only the standard library: ``pulumi-chartmogul policy-pack`` copies it into the pack folder as
``chartmogul_rules.py``, where ``pulumi_policy`` runs it without this package installed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

PACK_NAME = "chartmogul-guardrails"
DYNAMIC_PREFIX = "pulumi-python:dynamic/chartmogul:"
NATIVE_PREFIX = "chartmogul:index:"
KINDS = ("DataSource", "Plan", "PlanGroup")
INTERVAL_UNITS = ("day", "month", "year")  # what ChartMogul accepts

# How the engine writes a value not known until apply, one sentinel per kind of value.
UNKNOWNS = frozenset({
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",  # string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
    "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
    "e48ece36-62e2-4504-bad9-02848725956a",  # archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
})
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the string one, for tests and callers


def is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value in UNKNOWNS


def kind_of(resource_type: str) -> str | None:
    """``DataSource``, ``Plan`` or ``PlanGroup`` for either face's type token; None for anything else."""
    for prefix in (DYNAMIC_PREFIX, NATIVE_PREFIX):
        if resource_type.startswith(prefix) and resource_type[len(prefix):] in KINDS:
            return resource_type[len(prefix):]
    return None


def camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.title() for part in rest)


@dataclass(frozen=True)
class Resource:
    """One resource as a policy sees it: inputs for a resource rule, outputs (which hold the inputs) for a stack
    rule. ``dependencies`` maps a property to the URNs of the resources its value came from."""

    type: str
    name: str
    props: Mapping[str, Any] = field(default_factory=dict)
    protect: bool = False
    urn: str = ""
    dependencies: Mapping[str, Sequence[str]] = field(default_factory=dict)

    @property
    def kind(self) -> str | None:
        return kind_of(self.type)

    @property
    def native(self) -> bool:
        return self.type.startswith(NATIVE_PREFIX)

    def get(self, snake: str) -> Any:
        """A property by its snake_case name, read in the face's own spelling; None when absent."""
        return self.props.get(camel(snake) if self.native else snake)

    def spelled(self, snake: str) -> str:
        """The property's name as the user wrote it in this face."""
        return camel(snake) if self.native else snake

    @property
    def label(self) -> str:
        """``Plan 'basic-monthly' (Basic)``: the kind, the resource name, and the object's name when known."""
        shown = self.get("name")
        suffix = f" ({shown})" if isinstance(shown, str) and shown and not is_unknown(shown) else ""
        return f"{self.kind or self.type} '{self.name}'{suffix}"


@dataclass(frozen=True)
class Violation:
    message: str
    urn: str = ""  # for a stack rule: the resource it is about, when there is one


@dataclass(frozen=True)
class Rule:
    """One policy of the pack: its name, what it checks, its default enforcement (``mandatory`` or ``advisory``),
    the JSON schema of its config properties, and its check: over one resource (``scope == "resource"``) or over
    the resources that remain (``"stack"``)."""

    name: str
    description: str
    enforcement: str
    scope: str
    config_schema: Mapping[str, Mapping[str, Any]]
    defaults: Mapping[str, Any]
    check: Callable[..., list[Violation]]

    def settings(self, config: Mapping[str, Any] | None) -> dict[str, Any]:
        """The rule's config: the defaults, overridden by what the policy config gives."""
        given = {k: v for k, v in (config or {}).items() if k in self.config_schema}
        return {**self.defaults, **given}

    def check_resource(self, resource: Resource, config: Mapping[str, Any] | None = None) -> list[Violation]:
        assert self.scope == "resource", self.name
        return self.check(resource, self.settings(config))

    def check_stack(self, resources: Iterable[Resource], config: Mapping[str, Any] | None = None) -> list[Violation]:
        assert self.scope == "stack", self.name
        return self.check(list(resources), self.settings(config))


def _names(value: Any) -> set[str]:
    return {str(item) for item in value or () if not is_unknown(item)}


# -- data sources protected ---------------------------------------------------------------------------------------


def data_sources_protected(resource: Resource, config: Mapping[str, Any]) -> list[Violation]:
    if resource.kind != "DataSource":
        return []
    found: list[Violation] = []
    if not resource.protect:
        found.append(Violation(
            f"{resource.label} is not protected: deleting or replacing a data source deletes every customer, "
            "invoice and subscription in it. Declare it with the protect option (Python: "
            "opts=pulumi.ResourceOptions(protect=True); YAML: options: {protect: true}), so the engine refuses to "
            "delete or replace it."))
    flag = resource.spelled("force_destroy")
    force = resource.get("force_destroy")
    if force is True or (isinstance(force, str) and force.lower() == "true"):
        allowed = _names(config.get("allowForceDestroy"))
        name = resource.get("name")
        if not ({resource.name, str(name)} & allowed):
            shown = name if isinstance(name, str) and not is_unknown(name) else resource.name
            found.append(Violation(
                f"{resource.label} sets {flag}: the provider would then delete it even while it holds customers. "
                f"Remove {flag}, or allow it for this data source by name in the policy config "
                f"(chartmogul-data-sources-protected: allowForceDestroy: [\"{shown}\"])."))
    return found


# -- the floor ---------------------------------------------------------------------------------------------------


def catalog_floor(resources: list[Resource], config: Mapping[str, Any]) -> list[Violation]:
    sources = [r for r in resources if r.kind == "DataSource"]
    names = {str(r.get("name")) for r in sources if not is_unknown(r.get("name"))} | {r.name for r in sources}
    some_unknown = any(is_unknown(r.get("name")) for r in sources)
    found: list[Violation] = []
    if not some_unknown:  # a data source whose name is not known yet may be the one required
        for required in sorted(_names(config.get("dataSources"))):
            if required not in names:
                found.append(Violation(
                    f"the data source '{required}' is required by the floor (chartmogul-catalog-floor: dataSources) "
                    "but the stack would no longer hold it: this update would delete it and every customer, invoice "
                    "and subscription in it. Declare it again in the program, or remove it from the policy config."))
    minimum = config.get("minPlans")
    plans = sum(r.kind == "Plan" for r in resources)
    if isinstance(minimum, (int, float)) and not isinstance(minimum, bool) and plans < minimum:
        found.append(Violation(
            f"the stack would hold {plans} plan{'s' if plans != 1 else ''}, fewer than the floor of {int(minimum)} "
            "(chartmogul-catalog-floor: minPlans): this update deletes plans it must keep. Declare them again in "
            "the program, or lower minPlans in the policy config."))
    return found


# -- plan names and external ids ---------------------------------------------------------------------------------


def _pattern_problem(resource: Resource, snake: str, key: str, pattern: Any) -> Violation | None:
    if not pattern:
        return None
    value = resource.get(snake)
    if value is None or is_unknown(value):
        return None
    try:
        matches = re.search(str(pattern), str(value)) is not None
    except re.error as exc:
        return Violation(f"the policy config's chartmogul-plan-naming: {key} ({pattern!r}) is not a regular "
                         f"expression: {exc}. Fix the policy config.")
    if matches:
        return None
    what = resource.spelled(snake)
    extra = " (a new external id replaces the plan: it gets a new uuid)" if snake == "external_id" else ""
    return Violation(f"{resource.label} has {what} {str(value)!r}, which does not match the pattern "
                     f"{str(pattern)!r} (chartmogul-plan-naming: {key}). Choose a {what} that matches{extra}, or "
                     "change the pattern in the policy config.")


def plan_naming(resource: Resource, config: Mapping[str, Any]) -> list[Violation]:
    if resource.kind != "Plan":
        return []
    found = [_pattern_problem(resource, "name", "namePattern", config.get("namePattern")),
             _pattern_problem(resource, "external_id", "externalIdPattern", config.get("externalIdPattern"))]
    return [v for v in found if v is not None]


# -- intervals ---------------------------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or is_unknown(value):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _count(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def plan_intervals(resource: Resource, config: Mapping[str, Any]) -> list[Violation]:
    if resource.kind != "Plan":
        return []
    unit = resource.get("interval_unit")
    if unit is None or is_unknown(unit):
        return []  # unknown in preview: the up checks it
    unit_field, count_field = resource.spelled("interval_unit"), resource.spelled("interval_count")
    units = [str(u) for u in config.get("allowedUnits") or ()]
    if str(unit) not in units:
        return [Violation(
            f"{resource.label} is billed per {unit} ({unit_field}: {unit}), which the policy config does not allow "
            f"(chartmogul-plan-intervals: allowedUnits: {json.dumps(units)}). Use one of "
            f"{', '.join(units) or 'none'}, or allow {unit} in the policy config.")]
    allowed = (config.get("allowedCounts") or {}).get(str(unit))
    count = _number(resource.get("interval_count"))
    if allowed is None or count is None:
        return []
    counts = sorted({n for n in (_number(c) for c in allowed) if n is not None})
    if count in counts:
        return []
    shown = ", ".join(_count(c) for c in counts)
    return [Violation(
        f"{resource.label} renews every {_count(count)} {unit}(s) ({count_field}: {_count(count)}), which the "
        f"policy config does not allow for {unit} (chartmogul-plan-intervals: allowedCounts: {unit}: [{shown}]). "
        f"Use one of {shown}, or allow it in the policy config.")]


# -- plans in plan groups ----------------------------------------------------------------------------------------


def plans_grouped(resources: list[Resource], config: Mapping[str, Any]) -> list[Violation]:
    groups = [r for r in resources if r.kind == "PlanGroup"]
    referenced: set[str] = set()  # plan URNs and uuids the groups name
    undecided = False  # a group lists a plan we cannot tell
    for group in groups:
        urns = list(group.dependencies.get("plans") or ())
        referenced.update(urns)
        plans = group.get("plans")
        if is_unknown(plans):
            undecided = undecided or not urns
            continue
        for uuid in plans or ():
            if is_unknown(uuid):
                undecided = undecided or not urns
            else:
                referenced.add(str(uuid))
    if undecided:
        return []
    found = []
    for plan in (r for r in resources if r.kind == "Plan"):
        uuid = plan.get("uuid")
        if plan.urn in referenced or (isinstance(uuid, str) and uuid in referenced):
            continue
        found.append(Violation(
            f"{plan.label} is in no plan group: ChartMogul's reports group plans by plan group. Add it to a "
            "PlanGroup's plans (this rule is advisory unless the policy config makes it mandatory).", plan.urn))
    return found


RULES: tuple[Rule, ...] = (
    Rule(
        name="chartmogul-data-sources-protected",
        description="Every ChartMogul data source is declared with the protect option, and sets force_destroy only "
                    "where the policy config allows it by name.",
        enforcement="mandatory", scope="resource",
        config_schema={"allowForceDestroy": {"type": "array", "items": {"type": "string"}}},
        defaults={"allowForceDestroy": []},
        check=data_sources_protected),
    Rule(
        name="chartmogul-catalog-floor",
        description="The data sources the policy config names, and at least minPlans plans, remain in the stack.",
        enforcement="mandatory", scope="stack",
        config_schema={"dataSources": {"type": "array", "items": {"type": "string"}},
                       "minPlans": {"type": "integer", "minimum": 0}},
        defaults={"dataSources": [], "minPlans": 0},
        check=catalog_floor),
    Rule(
        name="chartmogul-plan-naming",
        description="Plan names and external ids match the patterns of the policy config.",
        enforcement="mandatory", scope="resource",
        config_schema={"namePattern": {"type": "string"}, "externalIdPattern": {"type": "string"}},
        defaults={"namePattern": "", "externalIdPattern": "^[a-z0-9_]+$"},
        check=plan_naming),
    Rule(
        name="chartmogul-plan-intervals",
        description="Plans bill only in the interval units, and for the interval counts, the policy config allows.",
        enforcement="mandatory", scope="resource",
        config_schema={"allowedUnits": {"type": "array", "items": {"type": "string", "enum": list(INTERVAL_UNITS)}},
                       "allowedCounts": {"type": "object",
                                         "additionalProperties": {"type": "array", "items": {"type": "integer"}}}},
        defaults={"allowedUnits": list(INTERVAL_UNITS), "allowedCounts": {}},
        check=plan_intervals),
    Rule(
        name="chartmogul-plans-grouped",
        description="Every plan belongs to a plan group.",
        enforcement="advisory", scope="stack",
        config_schema={}, defaults={},
        check=plans_grouped),
)
RULES_BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES}
