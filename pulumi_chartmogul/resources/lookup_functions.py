"""The lookups as a Pulumi program calls them: ``get_plan(data_source_uuid=..., external_id=...)`` and the rest, each
returning an ``Output`` of a typed result, computed by the core (``lookups.py``) in the program's own process.

The API key, endpoint and the other provider settings come from the stack's ``chartmogul:*`` config (the key as a
secret), with the environment fallbacks of ``load_settings``, read inside an apply so the key stays an Output and
never a plain value of the program. The results hold nothing secret and are not marked secret. A lookup runs
whenever its arguments are known, in a preview too (it only reads); the blocking requests run on a worker thread,
so the program's other registrations go on meanwhile. Which arguments are given, and every value already known, is
checked when the function is called, so a wrong call fails at its own line before anything is sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from inspect import isawaitable
from typing import Any, TypeVar, cast

import pulumi

from ..api.settings import CONFIG_API_KEY, Settings, load_settings
from .intervals import IntervalUnit
from .lookups import (
    GET_ACCOUNT,
    GET_DATA_SOURCE,
    GET_PLAN,
    GET_PLAN_GROUP,
    GET_PLANS,
    JSON,
    Lookup,
    check_arguments,
    invoke,
)

R = TypeVar("R")
CONFIG_NAMESPACE = CONFIG_API_KEY.partition(":")[0]


@dataclass(frozen=True)
class GetDataSourceResult:
    """A data source, as :func:`get_data_source` finds it (the fields of ``DataSource``'s outputs)."""

    uuid: str
    name: str
    system: str
    status: str
    created_at: str


@dataclass(frozen=True)
class GetPlanResult:
    """A plan, as :func:`get_plan` finds it (the fields of ``Plan``'s outputs)."""

    uuid: str
    data_source_uuid: str
    name: str
    interval_count: int
    interval_unit: IntervalUnit
    external_id: str | None


@dataclass(frozen=True)
class GetPlansResult:
    """Every plan of a data source, as :func:`get_plans` lists them."""

    data_source_uuid: str
    plans: list[GetPlanResult]


@dataclass(frozen=True)
class GetPlanGroupResult:
    """A plan group and its members' uuids, as :func:`get_plan_group` finds it (the fields of ``PlanGroup``'s
    outputs)."""

    uuid: str
    name: str
    plans: list[str]
    plans_count: int


@dataclass(frozen=True)
class GetAccountResult:
    """The account of the API key, as :func:`get_account` reads it (``id`` is None from an older API)."""

    id: str | None
    name: str
    currency: str
    time_zone: str


def get_data_source(*, name: pulumi.Input[str] | None = None,
                    uuid: pulumi.Input[str] | None = None) -> pulumi.Output[GetDataSourceResult]:
    """The data source named ``name``, or with ``uuid`` (give one of them). Fails when none matches."""
    return _looked_up(GET_DATA_SOURCE, {"name": name, "uuid": uuid}, lambda found: GetDataSourceResult(**found))


def get_plan(*, data_source_uuid: pulumi.Input[str] | None = None, external_id: pulumi.Input[str] | None = None,
             uuid: pulumi.Input[str] | None = None) -> pulumi.Output[GetPlanResult]:
    """The plan with ``external_id`` in the data source ``data_source_uuid``, or with ``uuid`` (give those two, or
    ``uuid`` alone). Fails when none matches."""
    return _looked_up(GET_PLAN, {"data_source_uuid": data_source_uuid, "external_id": external_id, "uuid": uuid},
                      _plan)


def get_plans(*, data_source_uuid: pulumi.Input[str]) -> pulumi.Output[GetPlansResult]:
    """Every plan of the data source ``data_source_uuid``, in ChartMogul's order. Fails when the source does not
    exist."""
    return _looked_up(GET_PLANS, {"data_source_uuid": data_source_uuid},
                      lambda found: GetPlansResult(found["data_source_uuid"], [_plan(p) for p in found["plans"]]))


def get_plan_group(*, name: pulumi.Input[str] | None = None,
                   uuid: pulumi.Input[str] | None = None) -> pulumi.Output[GetPlanGroupResult]:
    """The plan group named ``name``, or with ``uuid`` (give one of them), with its plans. Fails when none matches,
    and when several groups have the name (ChartMogul allows that), naming their uuids."""
    return _looked_up(GET_PLAN_GROUP, {"name": name, "uuid": uuid}, lambda found: GetPlanGroupResult(**found))


def get_account() -> pulumi.Output[GetAccountResult]:
    """The ChartMogul account the configured API key belongs to."""
    return _looked_up(GET_ACCOUNT, {}, lambda found: GetAccountResult(**found))


def _plan(found: Mapping[str, Any]) -> GetPlanResult:
    return GetPlanResult(**found)


def _looked_up(lookup: Lookup, arguments: Mapping[str, pulumi.Input[str] | None],
               build: Callable[[JSON], R]) -> pulumi.Output[R]:
    given = {name: value for name, value in arguments.items() if value is not None}
    pending = [name for name, value in given.items() if isinstance(value, pulumi.Output) or isawaitable(value)]
    check_arguments(lookup, given, pending=pending)  # at the caller's line: what can be checked now
    api_key = pulumi.Config(CONFIG_NAMESPACE).get_secret(CONFIG_API_KEY.partition(":")[2])

    def run(values: list[Any]) -> pulumi.Input[JSON]:
        key, resolved = cast(str | None, values[0]), cast(dict[str, Any], values[1])
        settings = settings_from_config(key)
        return asyncio.get_running_loop().run_in_executor(None, lambda: _invoke(lookup, settings, resolved))

    found: pulumi.Output[JSON] = pulumi.Output.all(api_key, pulumi.Output.from_input(given)).apply(run)
    # The key made the chain secret; what ChartMogul answered is not.
    return pulumi.Output.unsecret(found.apply(build))


def settings_from_config(api_key: str | None) -> Settings:
    """The provider settings from the stack's ``chartmogul:*`` config as the program sees it, with ``api_key`` (the
    secret ``chartmogul:apiKey``, already resolved), each falling back to the environment as in the provider."""

    def config(full_key: str) -> str | None:
        if full_key == CONFIG_API_KEY:
            return api_key
        namespace, _, key = full_key.partition(":")
        return pulumi.Config(namespace).get(key)

    return load_settings(config)


def _invoke(lookup: Lookup, settings: Settings, arguments: Mapping[str, Any]) -> JSON:
    from ..api.client import ChartMogulClient

    return invoke(lookup, ChartMogulClient(settings), arguments)
