"""The bad-input table: each entry must be refused by ``check`` with its field named, before any request."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from testkit.providers import DATA_SOURCE, PLAN, PLAN_GROUP

SOURCE_UUID = "ds_1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b"
GOOD_SOURCE: dict[str, Any] = {"name": "In-house billing", "adopt": False}
GOOD_PLAN: dict[str, Any] = {"data_source_uuid": SOURCE_UUID, "name": "Bronze", "interval_count": 1,
                             "interval_unit": "month", "external_id": "bronze", "adopt": False}
PLAN_UUID = "pl_1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b"
OTHER_PLAN_UUID = "pl_2b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b"
GOOD_GROUP: dict[str, Any] = {"name": "Self-serve", "plans": [PLAN_UUID, OTHER_PLAN_UUID], "adopt": False}
GOOD: dict[str, dict[str, Any]] = {DATA_SOURCE: GOOD_SOURCE, PLAN: GOOD_PLAN, PLAN_GROUP: GOOD_GROUP}
_MISSING = object()


@dataclass(frozen=True)
class BadInput:
    label: str
    type_token: str
    field: str
    value: Any
    reason_contains: str

    def inputs(self) -> dict[str, Any]:
        base = dict(GOOD[self.type_token])
        if self.value is _MISSING:
            base.pop(self.field, None)
        else:
            base[self.field] = self.value
        return base


def _source(label: str, field: str, value: Any, reason: str) -> BadInput:
    return BadInput(label, DATA_SOURCE, field, value, reason)


def _plan(label: str, field: str, value: Any, reason: str) -> BadInput:
    return BadInput(label, PLAN, field, value, reason)


def _group(label: str, field: str, value: Any, reason: str) -> BadInput:
    return BadInput(label, PLAN_GROUP, field, value, reason)


BAD_INPUTS: list[BadInput] = [
    _source("empty name", "name", "", "at least 1 character"),
    _source("whitespace name", "name", "   ", "empty or only whitespace"),
    _source("name with leading space", "name", " Billing", "start or end with whitespace"),
    _source("over-long name", "name", "n" * 256, "at most 255 characters"),
    _source("number as name", "name", 5, "valid string"),
    _source("boolean as name", "name", True, "valid string"),
    _source("list as name", "name", ["a"], "valid string"),
    _source("missing name (null is dropped)", "name", _MISSING, "is required"),
    _source("unknown field", "system", "Stripe", "not a property"),
    _source("adopt as text", "adopt", "yes", "valid boolean"),
    _plan("malformed data source uuid", "data_source_uuid", "ds_123", "must be a data source uuid"),
    _plan("plan uuid as data source", "data_source_uuid", "pl_1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b",
          "must be a data source uuid"),
    _plan("upper-case uuid", "data_source_uuid", "ds_1B2C3D4E-5F60-4718-8A9B-0C1D2E3F4A5B",
          "must be a data source uuid"),
    _plan("empty data source uuid", "data_source_uuid", "", "must be a data source uuid"),
    _plan("missing data source uuid", "data_source_uuid", _MISSING, "is required"),
    _plan("empty plan name", "name", "", "at least 1 character"),
    _plan("tab as plan name", "name", "\t", "empty or only whitespace"),
    _plan("over-long plan name", "name", "p" * 256, "at most 255 characters"),
    _plan("missing plan name", "name", _MISSING, "is required"),
    _plan("zero count", "interval_count", 0, "greater than or equal to 1"),
    _plan("negative count", "interval_count", -3, "greater than or equal to 1"),
    _plan("fractional count", "interval_count", 1.5, "whole number"),
    _plan("huge count", "interval_count", 10**12, "less than or equal to 10000"),
    _plan("count just over the limit", "interval_count", 10_001, "less than or equal to 10000"),
    _plan("count as text", "interval_count", "3", "whole number"),
    _plan("count as boolean", "interval_count", True, "whole number"),
    _plan("missing count", "interval_count", _MISSING, "is required"),
    _plan("unknown unit", "interval_unit", "week", "'day', 'month' or 'year'"),
    _plan("capitalised unit", "interval_unit", "Month", "'day', 'month' or 'year'"),
    _plan("empty unit", "interval_unit", "", "'day', 'month' or 'year'"),
    _plan("number as unit", "interval_unit", 1, "'day', 'month' or 'year'"),
    _plan("empty external id", "external_id", "", "at least 1 character"),
    _plan("over-long external id", "external_id", "e" * 300, "at most 255 characters"),
    _plan("external id with trailing space", "external_id", "gold ", "start or end with whitespace"),
    _plan("unknown plan field", "amount", 1000, "not a property"),
    _plan("adopt as number", "adopt", 2, "valid boolean"),
    _group("empty group name", "name", "", "at least 1 character"),
    _group("group name with trailing space", "name", "Self-serve ", "start or end with whitespace"),
    _group("missing group name", "name", _MISSING, "is required"),
    _group("no plans", "plans", [], "must list at least one plan"),
    _group("missing plans", "plans", _MISSING, "is required"),
    _group("one uuid instead of a list", "plans", PLAN_UUID, "must be a list"),
    _group("malformed plan uuid", "plans", [PLAN_UUID, "pl_123"], "plans[1]: must be a plan uuid"),
    _group("data source uuid as member", "plans", [SOURCE_UUID], "plans[0]: must be a plan uuid"),
    _group("upper-case plan uuid", "plans", [PLAN_UUID.upper().replace("PL_", "pl_")], "must be a plan uuid"),
    _group("number as member", "plans", [PLAN_UUID, 7], "plans[1]: Input should be a valid string"),
    _group("a plan listed twice", "plans", [PLAN_UUID, OTHER_PLAN_UUID, PLAN_UUID],
           f"lists {PLAN_UUID} more than once"),
    _group("unknown group field", "plans_count", 3, "not a property"),
    _group("adopt as text", "adopt", "true", "valid boolean"),
]
