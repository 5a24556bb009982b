"""Every validation rule for resource inputs, once: pydantic models of what each resource accepts.

``check`` (in ``resources/_base.py``) runs these before anything is sent, and the program-side catalog reuses
the same field types, so a bad unit or a fractional count is reported with its field name in ``preview``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr

from .intervals import IntervalUnit

# Our limits where the API documents none: generous for real catalogs, and they stop obvious mistakes
# (a pasted paragraph as a name, a count that overflows) before ChartMogul sees them.
TEXT_MAX_LENGTH = 255
INTERVAL_COUNT_MAX = 10_000
_UUID_BODY = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
DATA_SOURCE_UUID_PATTERN = rf"^ds_{_UUID_BODY}$"
PLAN_UUID_PATTERN = rf"^pl_{_UUID_BODY}$"
PLAN_GROUP_UUID_PATTERN = rf"^plg_{_UUID_BODY}$"


def _trimmed(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only whitespace")
    if value != value.strip():
        raise ValueError("must not start or end with whitespace")
    return value


def _whole_number(value: Any) -> Any:
    """Numbers cross gRPC as doubles, so 3 arrives as 3.0: accept that, refuse 1.5 and booleans."""
    if isinstance(value, bool):
        raise ValueError("must be a whole number, not a boolean")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"must be a whole number, got {value}")
        return int(value)
    if not isinstance(value, int):
        raise ValueError(f"must be a whole number, got {type(value).__name__}")
    return value


Text = Annotated[StrictStr, Field(min_length=1, max_length=TEXT_MAX_LENGTH), AfterValidator(_trimmed)]
IntervalCount = Annotated[int, BeforeValidator(_whole_number), Field(ge=1, le=INTERVAL_COUNT_MAX)]


def _data_source_uuid(value: str) -> str:
    if not re.fullmatch(DATA_SOURCE_UUID_PATTERN, value):
        raise ValueError(f"must be a data source uuid such as ds_1b2c3d4e-0000-4000-8000-000000000000, got {value!r}")
    return value


DataSourceUuid = Annotated[StrictStr, AfterValidator(_data_source_uuid)]


def _plan_uuid(value: str) -> str:
    if not re.fullmatch(PLAN_UUID_PATTERN, value):
        raise ValueError(f"must be a plan uuid such as pl_1b2c3d4e-0000-4000-8000-000000000000, got {value!r}")
    return value


def _distinct(values: list[str]) -> list[str]:
    if not values:
        raise ValueError("must list at least one plan (ChartMogul refuses a plan group without plans)")
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"lists {', '.join(repeated)} more than once; name each plan once")
    return values


def _plan_group_uuid(value: str) -> str:
    if not re.fullmatch(PLAN_GROUP_UUID_PATTERN, value):
        raise ValueError(f"must be a plan group uuid such as plg_1b2c3d4e-0000-4000-8000-000000000000, got {value!r}")
    return value


PlanUuid = Annotated[StrictStr, AfterValidator(_plan_uuid)]
PlanGroupUuid = Annotated[StrictStr, AfterValidator(_plan_group_uuid)]
PlanUuids = Annotated[list[PlanUuid], AfterValidator(_distinct)]


class ResourceSpec(BaseModel):
    """Common configuration: unknown properties are errors, and each spec can stand in for unknowns."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    # Valid stand-ins for values still unknown during preview, so the known ones can be validated.
    preview_placeholders: ClassVar[Mapping[str, Any]] = {}


# What each input means, once: the native plugin's schema carries these descriptions (its generated SDKs and registry
# pages show them); the reference pages (docs/resources/*.md) list the same fields, in more words.
NAME_UNIQUE_SOURCE = ("The data source's name: 1-255 characters, not blank, no leading or trailing whitespace. "
                      "Unique in the account. Defaults to the resource name. A new name replaces the data source.")
ADOPT_SOURCE = ("At create, take over an existing data source with this exact name instead of failing. "
                "Read only at create.")
FORCE_DESTROY = ("Allow deleting or replacing the data source although it holds customers (ChartMogul deletes them "
                 "with it). It counts once it is in the state: set it, apply, then delete or rename. Nothing is sent "
                 "to ChartMogul when it changes.")
PLAN_SOURCE = "The uuid of the plan's data source (ds_ followed by a lowercase uuid). A new one replaces the plan."
PLAN_NAME = "The plan's name: 1-255 characters, not blank, no leading or trailing whitespace. Updated in place."
INTERVAL_COUNT = "How many interval units one billing period lasts: a whole number from 1 to 10,000. Updated in place."
INTERVAL_UNIT = "The unit of the billing interval: day, month or year. Updated in place."
EXTERNAL_ID = ("The plan's id in the data source: 1-255 characters, unique within the data source; the key that finds "
               "the plan again after a lost answer, and for adopt. Defaults to the resource name. A new one replaces "
               "the plan.")
ADOPT_PLAN = ("At create, take over an existing plan with this external id in this data source, and patch it to the "
              "declared name and interval. Read only at create.")
GROUP_NAME = ("The plan group's name: 1-255 characters, not blank, no leading or trailing whitespace. Defaults to the "
              "resource name. Updated in place.")
GROUP_PLANS = ("The uuids of the group's plans (pl_ followed by a lowercase uuid), at least one, each once. A set: "
               "their order is never a change. Updated in place.")
ADOPT_GROUP = ("At create, take over the one existing plan group with this name, and set its plans. Fails when several "
               "groups have the name. Read only at create.")


def _described(text: str) -> Any:
    return Field(description=text)


class DataSourceSpec(ResourceSpec):
    name: Annotated[Text, _described(NAME_UNIQUE_SOURCE)]
    adopt: Annotated[StrictBool, _described(ADOPT_SOURCE)] = False
    force_destroy: Annotated[StrictBool, _described(FORCE_DESTROY)] = False

    preview_placeholders: ClassVar[Mapping[str, Any]] = {"name": "placeholder", "adopt": False,
                                                         "force_destroy": False}


class PlanSpec(ResourceSpec):
    data_source_uuid: Annotated[DataSourceUuid, _described(PLAN_SOURCE)]
    name: Annotated[Text, _described(PLAN_NAME)]
    interval_count: Annotated[IntervalCount, _described(INTERVAL_COUNT)]
    interval_unit: Annotated[IntervalUnit, _described(INTERVAL_UNIT)]
    external_id: Annotated[Text, _described(EXTERNAL_ID)]
    adopt: Annotated[StrictBool, _described(ADOPT_PLAN)] = False

    preview_placeholders: ClassVar[Mapping[str, Any]] = {
        "data_source_uuid": "ds_00000000-0000-4000-8000-000000000000",
        "name": "placeholder",
        "interval_count": 1,
        "interval_unit": "month",
        "external_id": "placeholder",
        "adopt": False,
    }


class PlanGroupSpec(ResourceSpec):
    name: Annotated[Text, _described(GROUP_NAME)]
    plans: Annotated[PlanUuids, _described(GROUP_PLANS)]
    adopt: Annotated[StrictBool, _described(ADOPT_GROUP)] = False

    preview_placeholders: ClassVar[Mapping[str, Any]] = {
        "name": "placeholder",
        "plans": ["pl_00000000-0000-4000-8000-000000000000"],
        "adopt": False,
    }


# The outputs ChartMogul owns (each resource's field policy names its own: FieldPolicy.computed), with their JSON type
# and meaning, for the schema.
COMPUTED_OUTPUTS: Mapping[str, tuple[str, str]] = {
    "uuid": ("string", "The ChartMogul uuid of the object (the same value as its id)."),
    "system": ("string", "The billing system ChartMogul records for the data source (Custom for one made by the API)."),
    "status": ("string", "The data source's import status, as ChartMogul reports it."),
    "created_at": ("string", "When ChartMogul created the data source (ISO 8601)."),
    "plans_count": ("integer", "How many plans the group holds, as ChartMogul counts them."),
}


def describe_error(error: Mapping[str, Any], where: str, *, unknown: str,
                   known_fields: Callable[[tuple[Any, ...]], str]) -> str:
    """One pydantic error as ``<where>: <what is wrong> (got <value>)``: the wording of every validation error,
    for a resource's ``check`` and for the catalog alike.

    ``unknown`` names what an unexpected key is not (``"a catalog field"``); ``known_fields(loc)`` lists the
    fields that are allowed at ``loc`` (the error's location, ending in the field itself).
    """
    loc = tuple(error.get("loc") or ())
    kind = error.get("type")
    if kind == "missing":
        return f"{where}: is required"
    if kind == "extra_forbidden":
        return f"{where}: is not {unknown} (known fields: {known_fields(loc)})"
    value = error.get("input")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        message = f"must be a mapping with the fields {known_fields((*loc, 'field'))}"
    elif kind == "list_type":
        message = "must be a list"
    else:
        message = str(error.get("msg", "is invalid")).removeprefix("Value error, ")
    if "got " in message:
        return f"{where}: {message}"
    if isinstance(value, str | int | float | bool) or value is None:
        return f"{where}: {message} (got {value!r})"
    return f"{where}: {message} (got a {type(value).__name__})"
