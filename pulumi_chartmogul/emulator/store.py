"""State and rules of the emulated ChartMogul account: SQLite rows, validation, uniqueness, pagination.

Nothing here knows about HTTP. Every rule the real API enforces raises an :class:`ApiProblem` carrying the
status and the exact body the real API answers with (the evidence for each is in ``docs/emulator.md``);
``app.py`` only turns those into responses.
"""

from __future__ import annotations

import base64
import binascii
import math
import random
import sqlite3
import threading
import uuid as uuid_module
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

INTERVAL_UNITS = ("day", "month", "year")
MAX_PER_PAGE = 200

# Messages of the real API, as recorded by the official clients (docs/emulator.md).
DATA_SOURCE_NAME_REQUIRED = "A name is required for each data source."
DATA_SOURCE_NAME_TAKEN = "Has already been taken."
PLAN_NAME_REQUIRED = "A unique name is required for each plan."
PLAN_COUNT_NOT_A_NUMBER = "is not a number"
PLAN_UNIT_INVALID = "Only 'day', 'month' or 'year' are valid values for interval_unit."
PLAN_DATA_SOURCE_INVALID = "A valid data source UUID is required for each plan."
PLAN_EXTERNAL_ID_TAKEN = "A plan with this identifier already exists in our system."
# Rails' numericality messages; the real wording for these two cases is not recorded.
PLAN_COUNT_NOT_INTEGER = "must be an integer"
PLAN_COUNT_NOT_POSITIVE = "must be greater than 0"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS data_sources (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL UNIQUE,
    system     TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS plans (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid             TEXT NOT NULL UNIQUE,
    data_source_uuid TEXT NOT NULL REFERENCES data_sources(uuid) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    interval_count   INTEGER NOT NULL,
    interval_unit    TEXT NOT NULL,
    external_id      TEXT NOT NULL,
    UNIQUE (data_source_uuid, external_id)
);
CREATE INDEX IF NOT EXISTS plans_by_source ON plans (data_source_uuid, seq);
"""


class ApiProblem(Exception):
    """A request the real API refuses: its status and its exact JSON body."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body


def gateway_error(status: int, message: str, param: str | None) -> ApiProblem:
    """The ``{"code","message","param"}`` shape of the API gateway (401, 400 on data source create)."""
    return ApiProblem(status, {"code": status, "message": message, "param": param})


def not_found(what: str) -> ApiProblem:
    return ApiProblem(404, {"error": f"{what} not found"})


def unprocessable(errors: Mapping[str, str]) -> ApiProblem:
    return ApiProblem(422, {"errors": dict(errors)})


@dataclass(frozen=True)
class Page:
    """One page of a listing: its items and the paging fields (None where the answer carries none)."""

    items: list[dict[str, Any]]
    has_more: bool
    cursor: str | None
    current_page: int | None
    total_pages: int | None
    numbered: bool = False  # asked for by page number (deprecated): no cursor, no has_more


def _now_iso() -> str:
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def _encode_cursor(created_at: str, seq: int) -> str:
    # Shaped like the real cursor (base64 of "<timestamp>&<id>"); clients must treat it as opaque.
    return base64.b64encode(f"{created_at}&{seq}".encode()).decode()


def _decode_cursor(cursor: str) -> int:
    try:
        _, _, seq = base64.b64decode(cursor.encode(), validate=True).decode().rpartition("&")
        return int(seq)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise gateway_error(400, 'Parameter "cursor" is invalid', "cursor") from exc


def _data_source_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "uuid": row["uuid"],
        "name": row["name"],
        "system": row["system"],
        "created_at": row["created_at"],
        "status": row["status"],
    }


def _plan_json(row: sqlite3.Row, *, list_item: bool = False) -> dict[str, Any]:
    body = {
        "uuid": row["uuid"],
        "data_source_uuid": row["data_source_uuid"],
        "name": row["name"],
        "interval_count": row["interval_count"],
        "interval_unit": row["interval_unit"],
        "external_id": row["external_id"],
    }
    if list_item:
        # The real list puts uuid in the middle; clients must not depend on key order.
        uuid_value = body.pop("uuid")
        items = list(body.items())
        items.insert(2, ("uuid", uuid_value))
        body = dict(items)
    return body


def _interval_count_problem(value: Any) -> str | None:
    """Rails-style numericality: integers and integer strings pass, everything else is named."""
    if isinstance(value, bool) or value is None:
        return PLAN_COUNT_NOT_A_NUMBER
    if isinstance(value, str):
        text = value.strip()
        if not text.lstrip("+-").isdigit():
            try:
                float(text)
            except ValueError:
                return PLAN_COUNT_NOT_A_NUMBER
            return PLAN_COUNT_NOT_INTEGER
        value = int(text)
    if isinstance(value, float):
        return PLAN_COUNT_NOT_INTEGER
    if not isinstance(value, int):
        return PLAN_COUNT_NOT_A_NUMBER
    if value <= 0:
        return PLAN_COUNT_NOT_POSITIVE
    return None


def _non_blank_string(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


class Store:
    """The account's data sources and plans, in SQLite (a file, or memory when ``path`` is None)."""

    def __init__(self, path: str | None = None, seed: int | None = None) -> None:
        self._lock = threading.Lock()
        self._ids = random.Random(seed) if seed is not None else None
        self._db = sqlite3.connect(path or ":memory:", check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA foreign_keys = ON")
        if path:
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
        self._db.executescript(_SCHEMA)
        self._extra_tables: list[str] = []

    # -- plumbing ---------------------------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def _new_uuid(self, prefix: str) -> str:
        if self._ids is None:
            return f"{prefix}_{uuid_module.uuid4()}"
        return f"{prefix}_{uuid_module.UUID(int=self._ids.getrandbits(128), version=4)}"

    def extend_schema(self, schema: str, tables: Sequence[str]) -> None:
        """Add the tables of another part of the account (e.g. plan groups): created now, emptied by reset()."""
        with self._lock:
            self._db.executescript(schema)
        self._extra_tables.extend(tables)

    def reset(self) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM plans")
            db.execute("DELETE FROM data_sources")
            for table in self._extra_tables:
                db.execute(f"DELETE FROM {table}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- data sources -----------------------------------------------------------------------------

    def create_data_source(self, body: Mapping[str, Any], *, system: str = "Custom") -> dict[str, Any]:
        """``POST /v1/data_sources`` (always ``Custom``); the admin seed route passes another ``system``."""
        if "name" not in body:
            raise gateway_error(400, 'Parameter "name" is missing', "name")
        name = body["name"]
        if not _non_blank_string(name):
            raise unprocessable({"name": DATA_SOURCE_NAME_REQUIRED})
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM data_sources WHERE name = ?", (name,)).fetchone():
                raise unprocessable({"name": DATA_SOURCE_NAME_TAKEN})
            uuid = self._new_uuid("ds")
            db.execute(
                "INSERT INTO data_sources (uuid, name, system, status, created_at) VALUES (?, ?, ?, ?, ?)",
                (uuid, name, system, "idle", _now_iso()),
            )
            row = db.execute("SELECT * FROM data_sources WHERE uuid = ?", (uuid,)).fetchone()
        return _data_source_json(row)

    def list_data_sources(self, name: str | None = None, system: str | None = None) -> list[dict[str, Any]]:
        sql, params = "SELECT * FROM data_sources WHERE 1 = 1", []
        if name is not None:
            sql += " AND name = ?"
            params.append(name)
        if system is not None:
            sql += " AND system = ?"
            params.append(system)
        return [_data_source_json(row) for row in self._query(sql + " ORDER BY seq", tuple(params))]

    def get_data_source(self, uuid: str) -> dict[str, Any]:
        rows = self._query("SELECT * FROM data_sources WHERE uuid = ?", (uuid,))
        if not rows:
            raise not_found("Data source")
        return _data_source_json(rows[0])

    def delete_data_source(self, uuid: str) -> None:
        with self._transaction() as db:
            # ON DELETE CASCADE removes its plans: the real API deletes everything in the source.
            if db.execute("DELETE FROM data_sources WHERE uuid = ?", (uuid,)).rowcount == 0:
                raise not_found("Data source")

    @staticmethod
    def data_source_extras() -> dict[str, dict[str, Any]]:
        """The objects the ``with_*`` flags add, as for a custom source that never imported billing data."""
        rules = {
            "create_subscription_when_invoice_is": "open",
            "update_subscription_when_invoice_is": "open",
            "prevent_subscription_for_invoice_voided": False,
            "prevent_subscription_for_invoice_refunded": False,
            "prevent_subscription_for_invoice_written_off": False,
        }
        return {
            "processing_status": {"processed": 0, "pending": 0, "failed": 0},
            "auto_churn_subscription_setting": {"enabled": False, "interval": None},
            "invoice_handling_setting": {"manual": dict(rules), "automatic": dict(rules)},
        }

    # -- plans ------------------------------------------------------------------------------------

    def _validate_plan_fields(self, body: Mapping[str, Any], *, partial: bool) -> dict[str, str]:
        errors: dict[str, str] = {}
        if (not partial or "name" in body) and not _non_blank_string(body.get("name")):
            errors["name"] = PLAN_NAME_REQUIRED
        if not partial or "interval_count" in body:
            problem = _interval_count_problem(body.get("interval_count"))
            if problem:
                errors["interval_count"] = problem
        if (not partial or "interval_unit" in body) and body.get("interval_unit") not in INTERVAL_UNITS:
            errors["interval_unit"] = PLAN_UNIT_INVALID
        return errors

    def create_plan(self, body: Mapping[str, Any]) -> dict[str, Any]:
        errors = self._validate_plan_fields(body, partial=False)
        external_id = body.get("external_id")
        if external_id is not None and not isinstance(external_id, str | int):
            errors["external_id"] = "is invalid"
        with self._transaction() as db:
            source = body.get("data_source_uuid")
            if not isinstance(source, str) or not db.execute(
                "SELECT 1 FROM data_sources WHERE uuid = ?", (source,)
            ).fetchone():
                errors["data_source_uuid"] = PLAN_DATA_SOURCE_INVALID
            elif external_id is not None and db.execute(
                "SELECT 1 FROM plans WHERE data_source_uuid = ? AND external_id = ?", (source, str(external_id))
            ).fetchone():
                errors["external_id"] = PLAN_EXTERNAL_ID_TAKEN
            if errors:
                raise unprocessable(errors)
            uuid = self._new_uuid("pl")
            db.execute(
                "INSERT INTO plans (uuid, data_source_uuid, name, interval_count, interval_unit, external_id)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    uuid,
                    source,
                    body["name"],
                    int(body["interval_count"]),
                    body["interval_unit"],
                    # Omitted: the server uses the uuid without its "pl_" prefix (recorded 2020, 2023).
                    str(external_id) if external_id is not None else uuid.removeprefix("pl_"),
                ),
            )
            row = db.execute("SELECT * FROM plans WHERE uuid = ?", (uuid,)).fetchone()
        return _plan_json(row)

    def get_plan(self, uuid: str) -> dict[str, Any]:
        rows = self._query("SELECT * FROM plans WHERE uuid = ?", (uuid,))
        if not rows:
            raise not_found("Plan")
        return _plan_json(rows[0])

    def update_plan(self, uuid: str, body: Mapping[str, Any]) -> dict[str, Any]:
        with self._transaction() as db:
            if not db.execute("SELECT 1 FROM plans WHERE uuid = ?", (uuid,)).fetchone():
                raise not_found("Plan")
            errors = self._validate_plan_fields(body, partial=True)
            if errors:
                raise unprocessable(errors)
            # Only these three are modifiable; the others are accepted and ignored (RB sends all five).
            for column in ("name", "interval_count", "interval_unit"):
                if column in body:
                    value = int(body[column]) if column == "interval_count" else body[column]
                    db.execute(f"UPDATE plans SET {column} = ? WHERE uuid = ?", (value, uuid))
            row = db.execute("SELECT * FROM plans WHERE uuid = ?", (uuid,)).fetchone()
        return _plan_json(row)

    def delete_plan(self, uuid: str) -> None:
        with self._transaction() as db:
            if db.execute("DELETE FROM plans WHERE uuid = ?", (uuid,)).rowcount == 0:
                raise not_found("Plan")

    def list_plans(
        self,
        *,
        data_source_uuid: str | None = None,
        external_id: str | None = None,
        system: str | None = None,
        plan_group_uuid: str | None = None,
        cursor: str | None = None,
        per_page: int = MAX_PER_PAGE,
        page: int | None = None,
    ) -> Page:
        """One page of the plans matching the filters: by ``cursor`` (the current API) or by ``page`` number."""
        base, params = _plan_filter(data_source_uuid, external_id, system, plan_group_uuid)
        return self._page(
            select="SELECT plans.*, data_sources.created_at AS cursor_time", base=base, params=params,
            order="plans.seq", cursor=cursor, per_page=per_page, page=page,
            to_json=lambda row: _plan_json(row, list_item=True),
        )

    def _page(self, *, select: str, base: str, params: tuple[Any, ...], order: str, cursor: str | None,
              per_page: int, page: int | None, to_json: Callable[[sqlite3.Row], dict[str, Any]]) -> Page:
        """One page of a listing (``select`` names a ``cursor_time`` column, ``order`` the row's ``seq``).

        By ``cursor``: the rows after that position; the first page (no cursor) also carries the deprecated
        page counters. Every page that lists something carries a cursor, the last one included (``has_more``
        alone says whether to go on), as the real API's recordings show. By ``page`` number: offset paging,
        no cursor.
        """
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        with self._lock:
            total = self._db.execute(f"SELECT COUNT(*) {base}", params).fetchone()[0]
            if page is not None:
                rows = self._db.execute(f"{select} {base} ORDER BY {order} LIMIT ? OFFSET ?",
                                        (*params, per_page, (max(page, 1) - 1) * per_page)).fetchall()
                return Page([to_json(r) for r in rows], has_more=False, cursor=None, current_page=max(page, 1),
                            total_pages=math.ceil(total / per_page), numbered=True)
            after = _decode_cursor(cursor) if cursor else 0
            rows = self._db.execute(f"{select} {base} AND {order} > ? ORDER BY {order} LIMIT ?",
                                    (*params, after, per_page + 1)).fetchall()
        has_more = len(rows) > per_page
        rows = rows[:per_page]
        next_cursor = _encode_cursor(rows[-1]["cursor_time"], rows[-1]["seq"]) if rows else cursor
        first_page = cursor is None
        return Page(
            [to_json(r) for r in rows],
            has_more=has_more,
            cursor=next_cursor,
            current_page=1 if first_page else None,
            total_pages=math.ceil(total / per_page) if first_page else None,
        )


def _plan_filter(data_source_uuid: str | None, external_id: str | None, system: str | None,
                 plan_group_uuid: str | None = None) -> tuple[str, tuple[Any, ...]]:
    """The ``FROM … WHERE …`` of a plan listing and its parameters."""
    where, params = ["1 = 1"], []
    if data_source_uuid:
        where.append("plans.data_source_uuid = ?")
        params.append(data_source_uuid)
    if external_id:
        where.append("plans.external_id = ?")
        params.append(external_id)
    if system:
        where.append("data_sources.system = ?")
        params.append(system)
    if plan_group_uuid:
        where.append("plans.uuid IN (SELECT plan_uuid FROM plan_group_plans WHERE group_uuid = ?)")
        params.append(plan_group_uuid)
    base = "FROM plans JOIN data_sources ON data_sources.uuid = plans.data_source_uuid WHERE " + " AND ".join(where)
    return base, tuple(params)
