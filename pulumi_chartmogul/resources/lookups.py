"""Lookups: reading ChartMogul objects that no program declares (a Stripe source's plans, say), by a key people know.

One function per lookup, each taking a :class:`~pulumi_chartmogul.api.client.ChartMogulClient` and keyword arguments
and returning a plain JSON-native dict with snake_case keys, in the shape of the matching resource's outputs. They
are the core of both faces: the Python functions that return Outputs (``lookup_functions.py``) and the native
provider's ``Invoke`` (``chartmogul:index:<token>``, which maps names to camelCase at its boundary).

:data:`LOOKUPS` describes each one once (its token, its arguments and the ways they combine, its result fields and
every description), for the schema generator and for the validation here. The arguments are checked before any
request: exactly one way of identifying the object, each value by the rule ``specs.py`` holds for that kind of value.
Then the cheapest route: one GET by uuid (a plan by uuid shares the plan listings of ``api/listed_reads.py``), the
API's own filters by name or external id, listings by pages of 200 for a source's plans and for plan groups (whose
names the API does not keep unique, and cannot filter on).

Nothing found is :class:`NothingFoundError`, several found :class:`SeveralFoundError` (with their uuids), bad
arguments :class:`LookupArgumentError` (each failure with the argument's name); every message names the key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ..api.errors import ChartMogulError, NotFoundError

if TYPE_CHECKING:
    # Imported where first needed, as in _base.py: pydantic (specs) by the first argument check, requests (client)
    # never here: the caller builds the client.
    from ..api.client import ChartMogulClient

JSON = dict[str, Any]


# -- errors ---------------------------------------------------------------------------------------------------


class ChartMogulLookupError(ChartMogulError):
    """A lookup that cannot answer; its message names the lookup's key."""

    def __str__(self) -> str:
        return self.message


class LookupArgumentError(ChartMogulLookupError, ValueError):
    """The arguments are not a way of identifying the object, or a value is malformed; nothing was sent.

    ``failures`` holds ``(argument, reason)`` pairs, every problem at once (``argument`` is ``""`` when no single
    argument is at fault, e.g. none was given): the native provider's ``CheckFailure`` list."""

    def __init__(self, token: str, failures: Iterable[tuple[str, str]]) -> None:
        self.token = token
        self.failures = tuple(failures)
        problems = "; ".join(f"{argument}: {reason}" if argument else reason for argument, reason in self.failures)
        super().__init__(f"{token}: {problems}")


class NothingFoundError(ChartMogulLookupError):
    """No object has the key (``key``: the arguments that make it, as given)."""

    def __init__(self, message: str, key: Mapping[str, str]) -> None:
        super().__init__(message, status=404)
        self.key = dict(key)


class SeveralFoundError(ChartMogulLookupError):
    """More than one object has the key: a lookup answers one object or none."""

    def __init__(self, message: str, key: Mapping[str, str], uuids: Iterable[str]) -> None:
        super().__init__(message)
        self.key = dict(key)
        self.uuids = tuple(uuids)


# -- the table ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Argument:
    """An argument of a lookup: always a string; ``kind`` names the type in ``specs.py`` that checks its value."""

    name: str
    kind: Literal["Text", "DataSourceUuid", "PlanUuid", "PlanGroupUuid"]
    description: str


@dataclass(frozen=True)
class ObjectType:
    """An object in a result, with a name for the schema's types section (Pulumi's ``<Function><Field>`` habit)."""

    name: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Field:
    """A field of a result. ``items`` says what an array holds: strings, or objects of one type."""

    name: str
    type: Literal["string", "integer", "array"]
    description: str
    required: bool = True  # False: the API may leave it out (or null); the result then holds None
    items: Literal["string"] | ObjectType | None = None


@dataclass(frozen=True)
class Lookup:
    """One lookup: ``chartmogul:index:<token>`` in the native provider, ``function`` in the core.

    ``ways`` are the accepted combinations of arguments: the call must give exactly the arguments of one of them.
    An argument is required when every way has it (:attr:`required`)."""

    token: str
    function: Callable[..., JSON]
    description: str
    arguments: tuple[Argument, ...]
    ways: tuple[tuple[str, ...], ...]
    result: tuple[Field, ...]

    @property
    def required(self) -> frozenset[str]:
        return frozenset.intersection(*(frozenset(way) for way in self.ways))

    def argument(self, name: str) -> Argument:
        (found,) = [argument for argument in self.arguments if argument.name == name]
        return found


def _uuid_field(what: str) -> Field:
    return Field("uuid", "string", f"the ChartMogul uuid of the {what}")


DATA_SOURCE_FIELDS = (
    _uuid_field("data source"),
    Field("name", "string", "the data source's name"),
    Field("system", "string", "where its data comes from: Custom for a source of the API, else the integration's "
                              "name (Stripe, Chargebee, ...)"),
    Field("status", "string", "the state of its data import, as ChartMogul reports it (idle, ...)"),
    Field("created_at", "string", "when it was created, ISO 8601 in UTC"),
)
PLAN_FIELDS = (
    _uuid_field("plan"),
    Field("data_source_uuid", "string", "the uuid of the plan's data source"),
    Field("name", "string", "the plan's name"),
    Field("interval_count", "integer", "how many interval units one billing period lasts"),
    Field("interval_unit", "string", "the unit of the billing interval: day, month or year"),
    Field("external_id", "string", "the plan's id in its data source (null only for some plans made before 2017)",
          required=False),
)
PLAN_GROUP_FIELDS = (
    _uuid_field("plan group"),
    Field("name", "string", "the plan group's name"),
    Field("plans", "array", "the uuids of its plans, as ChartMogul lists them (every page)", items="string"),
    Field("plans_count", "integer", "the number of its plans, as ChartMogul counts them"),
)
ACCOUNT_FIELDS = (
    Field("id", "string", "the account's id (acct_...); null from an older API that does not send it",
          required=False),
    Field("name", "string", "the account's name"),
    Field("currency", "string", "the account's currency, an ISO 4217 code"),
    Field("time_zone", "string", "the account's time zone, an IANA name"),
)

_DATA_SOURCE_UUID = "the data source's uuid (ds_ and a lowercase uuid)"


# -- validation -----------------------------------------------------------------------------------------------


def check_arguments(lookup: Lookup, given: Mapping[str, Any], *, pending: Iterable[str] = (),
                    spell: Callable[[str], str] = str) -> dict[str, str]:
    """The arguments that were given (``None`` means not given), checked; :class:`LookupArgumentError` lists every
    problem at once. Nothing is sent.

    ``pending`` names arguments that are given but whose values are not known yet (a program's Outputs): they count
    for the combination, and their values are checked once known, by the call that has them. ``spell`` writes an
    argument's name inside a reason as the caller's language does (the native face: camelCase); the failures' own
    argument names stay snake_case."""
    from pydantic import TypeAdapter, ValidationError

    from . import specs

    names = [argument.name for argument in lookup.arguments]
    waiting = set(pending)
    present = {name: value for name, value in given.items() if value is not None or name in waiting}
    failures = [(name, f"is not an argument of {lookup.token} (arguments: {', '.join(map(spell, names)) or 'none'})")
                for name in present if name not in names]
    for name, value in present.items():
        if name not in names or name in waiting:
            continue
        kind = lookup.argument(name).kind
        try:
            TypeAdapter(getattr(specs, kind)).validate_python(value)
        except ValidationError as exc:
            failures += [(name, specs.describe_error(error, name, unknown="an argument",
                                                     known_fields=lambda _loc: ", ".join(names))
                          .removeprefix(f"{name}: ")) for error in exc.errors()]
    if not failures:
        failures += _combination(lookup, [name for name in names if name in present], spell)
    if failures:
        raise LookupArgumentError(lookup.token, failures)
    return {name: str(present[name]) for name in names if name in present and name not in waiting}


def _ways(lookup: Lookup, spell: Callable[[str], str]) -> str:
    def one(way: tuple[str, ...]) -> str:
        if not way:
            return "no arguments"
        return " alone" if len(way) == 1 and len(lookup.ways) > 1 else ""

    spelled = [" and ".join(map(spell, way)) + one(way) if way else one(way) for way in lookup.ways]
    return f"{lookup.token} takes {', or '.join(spelled)}"


def _combination(lookup: Lookup, present: list[str], spell: Callable[[str], str]) -> list[tuple[str, str]]:
    """Why ``present`` is none of the lookup's ways (empty when it is one)."""
    if any(set(way) == set(present) for way in lookup.ways):
        return []
    if len(lookup.ways) == 1:
        missing = [name for name in lookup.ways[0] if name not in present]
        if missing:
            return [(name, "is required") for name in missing]
    if not present:
        return [("", f"nothing to look up by: {_ways(lookup, spell)}")]
    # The way closest to what was given says which argument is at fault.
    closest = min(lookup.ways, key=lambda way: len(set(way) ^ set(present)))
    extra = [name for name in present if name not in closest]
    if extra:
        others = [name for name in present if name != extra[0]]
        return [(extra[0], f"cannot be combined with {' and '.join(map(spell, others))}: {_ways(lookup, spell)}")]
    missing = [name for name in closest if name not in present]
    return [(missing[0], f"is required with {' and '.join(map(spell, present))}: {_ways(lookup, spell)}")]


# -- the lookups ----------------------------------------------------------------------------------------------


def _uuids(found: Iterable[Mapping[str, Any]]) -> list[str]:
    return [str(item.get("uuid")) for item in found]


def _by_uuid(get: Callable[[str], JSON], what: str, uuid: str) -> JSON:
    try:
        return get(uuid)
    except NotFoundError:
        raise NothingFoundError(f"no {what} with uuid {uuid!r}", {"uuid": uuid}) from None


def _data_source(found: Mapping[str, Any]) -> JSON:
    return {"uuid": found["uuid"], "name": found["name"], "system": found.get("system", ""),
            "status": found.get("status", ""), "created_at": found.get("created_at", "")}


def _plan(found: Mapping[str, Any]) -> JSON:
    return {"uuid": found["uuid"], "data_source_uuid": found["data_source_uuid"], "name": found["name"],
            "interval_count": int(found["interval_count"]), "interval_unit": found["interval_unit"],
            "external_id": found.get("external_id")}


def get_data_source(client: ChartMogulClient, *, name: str | None = None, uuid: str | None = None) -> JSON:
    """The data source named ``name`` (one filtered listing) or with ``uuid`` (one GET)."""
    given = check_arguments(GET_DATA_SOURCE, {"name": name, "uuid": uuid})
    if "uuid" in given:
        return _data_source(_by_uuid(client.get_data_source, "data source", given["uuid"]))
    wanted = given["name"]
    found = [source for source in client.list_data_sources(name=wanted) if source.get("name") == wanted]
    if len(found) > 1:  # names are unique in an account: only a misbehaving API gets here
        raise SeveralFoundError(f"{len(found)} data sources are named {wanted!r}: {', '.join(_uuids(found))}",
                                given, _uuids(found))
    if not found:
        raise NothingFoundError(f"no data source named {wanted!r}", given)
    return _data_source(found[0])


def get_plan(client: ChartMogulClient, *, data_source_uuid: str | None = None, external_id: str | None = None,
             uuid: str | None = None) -> JSON:
    """The plan with ``external_id`` in the data source ``data_source_uuid`` (one filtered listing), or with ``uuid``
    (one GET, or a share of a listing page when many plans are read in one process)."""
    given = check_arguments(GET_PLAN, {"data_source_uuid": data_source_uuid, "external_id": external_id,
                                       "uuid": uuid})
    if "uuid" in given:
        return _plan(_by_uuid(client.read_plan_via_listing, "plan", given["uuid"]))
    source, wanted = given["data_source_uuid"], given["external_id"]
    found = [plan for plan in client.list_plans(data_source_uuid=source, external_id=wanted)
             if plan.get("external_id") == wanted and plan.get("data_source_uuid") == source]
    if len(found) > 1:
        raise SeveralFoundError(f"{len(found)} plans have external_id {wanted!r} in data source {source}: "
                                f"{', '.join(_uuids(found))}", given, _uuids(found))
    if not found:
        _require_data_source(client, source, given)
        raise NothingFoundError(f"no plan with external_id {wanted!r} in data source {source}", given)
    return _plan(found[0])


def _require_data_source(client: ChartMogulClient, uuid: str, key: Mapping[str, str]) -> None:
    """A listing filtered by a source that does not exist is empty: say which key is wrong (one GET, only then)."""
    try:
        client.get_data_source(uuid)
    except NotFoundError:
        raise NothingFoundError(f"no data source with uuid {uuid!r}", key) from None


def get_plans(client: ChartMogulClient, *, data_source_uuid: str | None = None) -> JSON:
    """Every plan of the data source, by pages of 200, in the API's order. An empty listing is answered only for a
    data source that exists (one GET then)."""
    given = check_arguments(GET_PLANS, {"data_source_uuid": data_source_uuid})
    source = given["data_source_uuid"]
    plans = [_plan(plan) for plan in client.list_plans(data_source_uuid=source)
             if plan.get("data_source_uuid") == source]
    if not plans:
        _require_data_source(client, source, given)
    return {"data_source_uuid": source, "plans": plans}


def get_plan_group(client: ChartMogulClient, *, name: str | None = None, uuid: str | None = None) -> JSON:
    """The plan group named ``name`` (every page of the groups' listing: the API neither filters groups by name nor
    keeps names unique) or with ``uuid`` (one GET), with its members (every page of them)."""
    given = check_arguments(GET_PLAN_GROUP, {"name": name, "uuid": uuid})
    if "uuid" in given:
        group = _by_uuid(client.get_plan_group, "plan group", given["uuid"])
    else:
        wanted = given["name"]
        found = [group for group in client.list_plan_groups() if group.get("name") == wanted]
        if len(found) > 1:
            raise SeveralFoundError(
                f"{len(found)} plan groups are named {wanted!r} ({', '.join(_uuids(found))}); ChartMogul allows "
                "that, a lookup by name does not: look the one you mean up by uuid", given, _uuids(found))
        if not found:
            raise NothingFoundError(f"no plan group named {wanted!r}", given)
        group = found[0]
    members = [str(plan["uuid"]) for plan in client.list_plan_group_plans(group["uuid"])]
    return {"uuid": group["uuid"], "name": group["name"], "plans": members,
            "plans_count": int(group.get("plans_count", len(members)))}


def get_account(client: ChartMogulClient) -> JSON:
    """The account of the key: one ``GET /account``."""
    account = client.get_account()
    return {"id": account.get("id"), "name": account.get("name"), "currency": account.get("currency"),
            "time_zone": account.get("time_zone")}


GET_DATA_SOURCE = Lookup(
    token="getDataSource",
    function=get_data_source,
    description="A data source of the account, by name or by uuid: one request.",
    arguments=(Argument("name", "Text", "the data source's name (unique in an account)"),
               Argument("uuid", "DataSourceUuid", _DATA_SOURCE_UUID)),
    ways=(("name",), ("uuid",)),
    result=DATA_SOURCE_FIELDS,
)
GET_PLAN = Lookup(
    token="getPlan",
    function=get_plan,
    description="A plan, by its data source and external id, or by uuid: one request.",
    arguments=(Argument("data_source_uuid", "DataSourceUuid", _DATA_SOURCE_UUID),
               Argument("external_id", "Text", "the plan's external id, unique in its data source"),
               Argument("uuid", "PlanUuid", "the plan's uuid (pl_ and a lowercase uuid)")),
    ways=(("data_source_uuid", "external_id"), ("uuid",)),
    result=PLAN_FIELDS,
)
GET_PLANS = Lookup(
    token="getPlans",
    function=get_plans,
    description="Every plan of a data source: one request per 200 plans.",
    arguments=(Argument("data_source_uuid", "DataSourceUuid", _DATA_SOURCE_UUID),),
    ways=(("data_source_uuid",),),
    result=(Field("data_source_uuid", "string", "the data source's uuid, as given"),
            Field("plans", "array", "its plans, in the order ChartMogul lists them",
                  items=ObjectType("GetPlansPlan", PLAN_FIELDS))),
)
GET_PLAN_GROUP = Lookup(
    token="getPlanGroup",
    function=get_plan_group,
    description="A plan group, by name (which must be one group's only) or by uuid, with its plans.",
    arguments=(Argument("name", "Text", "the plan group's name; several groups may share one, and then the lookup "
                                        "fails with their uuids"),
               Argument("uuid", "PlanGroupUuid", "the plan group's uuid (plg_ and a lowercase uuid)")),
    ways=(("name",), ("uuid",)),
    result=PLAN_GROUP_FIELDS,
)
GET_ACCOUNT = Lookup(
    token="getAccount",
    function=get_account,
    description="The ChartMogul account the API key belongs to: one request.",
    arguments=(),
    ways=((),),
    result=ACCOUNT_FIELDS,
)

LOOKUPS: tuple[Lookup, ...] = (GET_DATA_SOURCE, GET_PLAN, GET_PLANS, GET_PLAN_GROUP, GET_ACCOUNT)


def lookup_named(token: str) -> Lookup:
    """The lookup with this token (``getPlan``); KeyError for another."""
    for lookup in LOOKUPS:
        if lookup.token == token:
            return lookup
    raise KeyError(token)


def invoke(lookup: Lookup, client: ChartMogulClient, arguments: Mapping[str, Any], *,
           spell: Callable[[str], str] = str) -> JSON:
    """``lookup`` with ``arguments`` as a mapping (the native provider's ``Invoke``, names already snake_case): an
    argument the lookup does not take is a :class:`LookupArgumentError` like any other, before anything is sent."""
    check_arguments(lookup, arguments, spell=spell)
    return lookup.function(client, **{name: value for name, value in arguments.items() if value is not None})
