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


class DataSourceSpec(ResourceSpec):
    name: Text
    adopt: StrictBool = False
    force_destroy: StrictBool = False

    preview_placeholders: ClassVar[Mapping[str, Any]] = {"name": "placeholder", "adopt": False,
                                                         "force_destroy": False}


class PlanSpec(ResourceSpec):
    data_source_uuid: DataSourceUuid
    name: Text
    interval_count: IntervalCount
    interval_unit: IntervalUnit
    external_id: Text
    adopt: StrictBool = False

    preview_placeholders: ClassVar[Mapping[str, Any]] = {
        "data_source_uuid": "ds_00000000-0000-4000-8000-000000000000",
        "name": "placeholder",
        "interval_count": 1,
        "interval_unit": "month",
        "external_id": "placeholder",
        "adopt": False,
    }


class PlanGroupSpec(ResourceSpec):
    name: Text
    plans: PlanUuids
    adopt: StrictBool = False

    preview_placeholders: ClassVar[Mapping[str, Any]] = {
        "name": "placeholder",
        "plans": ["pl_00000000-0000-4000-8000-000000000000"],
        "adopt": False,
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
