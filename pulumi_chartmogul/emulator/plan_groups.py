"""Plan groups: named sets of plans (``/v1/plan_groups``), their state and rules, beside the store's own.

The recorded behaviour (docs/emulator.md, "Plan groups"): create answers 200 with ``{"name","uuid","plans_count"}``;
``PATCH`` replaces the membership with the ``plans`` it is sent and keeps it when only ``name`` is sent; an
empty create is refused with the newer Rails error shape, keyed ``plan_ids``. What no recording shows is this
module's choice and is listed under "where it guesses": an unknown plan in ``plans`` is a 422 on ``plan_ids``;
deleting a plan (or its data source, which deletes its plans) removes it from every group, and the group stays,
even when that leaves it empty.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from .store import ApiProblem, Page, Store, _now_iso, not_found

SCHEMA = """
CREATE TABLE IF NOT EXISTS plan_groups (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS plan_group_plans (
    group_uuid TEXT NOT NULL REFERENCES plan_groups(uuid) ON DELETE CASCADE,
    plan_uuid  TEXT NOT NULL REFERENCES plans(uuid) ON DELETE CASCADE,
    PRIMARY KEY (group_uuid, plan_uuid)
);
CREATE INDEX IF NOT EXISTS plan_group_plans_by_plan ON plan_group_plans (plan_uuid);
"""

# (param, code, message) of the recorded 422 on an empty create; "invalid" is the emulator's own.
NAME_BLANK = ("name", "blank", "Name can't be blank")
PLANS_BLANK = ("plan_ids", "blank", "Plan ids can't be blank")
PLANS_INVALID = ("plan_ids", "invalid", "Plan ids are invalid")


def rails_unprocessable(problems: list[tuple[str, str, str]]) -> ApiProblem:
    """The newer Rails 422 shape: ``{param: [message], …, "error_details": [{param, code, message}, …]}``."""
    body: dict[str, Any] = {param: [message] for param, _code, message in problems}
    body["error_details"] = [{"param": param, "code": code, "message": message} for param, code, message in problems]
    return ApiProblem(422, body)


def _group_json(row: sqlite3.Row) -> dict[str, Any]:
    return {"name": row["name"], "uuid": row["uuid"], "plans_count": row["plans_count"]}


_SELECT_GROUP = (
    "SELECT plan_groups.*, plan_groups.created_at AS cursor_time,"
    " (SELECT COUNT(*) FROM plan_group_plans WHERE group_uuid = plan_groups.uuid) AS plans_count"
)


class PlanGroups:
    """The account's plan groups, kept in the store's database (its tables are added to the store's)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        store.extend_schema(SCHEMA, ["plan_groups"])

    def _problems(self, db: sqlite3.Connection, body: Mapping[str, Any], *, partial: bool) -> list[str]:
        """Validate ``name`` and ``plans`` (only those sent, when ``partial``); the distinct plan uuids."""
        problems: list[tuple[str, str, str]] = []
        name = body.get("name")
        if (not partial or "name" in body) and not (isinstance(name, str) and name.strip()):
            problems.append(NAME_BLANK)
        plans = body.get("plans")
        uuids: list[str] = []
        if not partial or "plans" in body:
            if not isinstance(plans, list) or not plans:
                problems.append(PLANS_BLANK)
            elif not all(isinstance(p, str) for p in plans):
                problems.append(PLANS_INVALID)
            else:
                uuids = list(dict.fromkeys(plans))
                marks = ",".join("?" * len(uuids))
                found = db.execute(f"SELECT COUNT(*) FROM plans WHERE uuid IN ({marks})", uuids).fetchone()[0]
                if found != len(uuids):
                    problems.append(PLANS_INVALID)
        if problems:
            raise rails_unprocessable(problems)
        return uuids

    def _row(self, db: sqlite3.Connection, uuid: str) -> sqlite3.Row:
        row: sqlite3.Row | None = db.execute(f"{_SELECT_GROUP} FROM plan_groups WHERE uuid = ?", (uuid,)).fetchone()
        if row is None:
            raise not_found("Plan group")
        return row

    @staticmethod
    def _set_plans(db: sqlite3.Connection, uuid: str, plans: list[str]) -> None:
        db.execute("DELETE FROM plan_group_plans WHERE group_uuid = ?", (uuid,))
        db.executemany("INSERT INTO plan_group_plans (group_uuid, plan_uuid) VALUES (?, ?)",
                       [(uuid, plan) for plan in plans])

    def create(self, body: Mapping[str, Any]) -> dict[str, Any]:
        with self.store._transaction() as db:
            plans = self._problems(db, body, partial=False)
            uuid = self.store._new_uuid("plg")
            db.execute("INSERT INTO plan_groups (uuid, name, created_at) VALUES (?, ?, ?)",
                       (uuid, body["name"], _now_iso()))
            self._set_plans(db, uuid, plans)
            return _group_json(self._row(db, uuid))

    def get(self, uuid: str) -> dict[str, Any]:
        with self.store._transaction() as db:
            return _group_json(self._row(db, uuid))

    def update(self, uuid: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """``name`` and/or ``plans``; ``plans`` replaces the membership (recorded), other fields are ignored."""
        with self.store._transaction() as db:
            self._row(db, uuid)
            plans = self._problems(db, body, partial=True)
            if "name" in body:
                db.execute("UPDATE plan_groups SET name = ? WHERE uuid = ?", (body["name"], uuid))
            if "plans" in body:
                self._set_plans(db, uuid, plans)
            return _group_json(self._row(db, uuid))

    def delete(self, uuid: str) -> None:
        with self.store._transaction() as db:
            if db.execute("DELETE FROM plan_groups WHERE uuid = ?", (uuid,)).rowcount == 0:
                raise not_found("Plan group")

    def list_groups(self, *, cursor: str | None, per_page: int, page: int | None) -> Page:
        return self.store._page(select=_SELECT_GROUP, base="FROM plan_groups WHERE 1 = 1", params=(),
                                order="plan_groups.seq", cursor=cursor, per_page=per_page, page=page,
                                to_json=_group_json)

    def list_plans(self, uuid: str, *, cursor: str | None, per_page: int, page: int | None) -> Page:
        """The group's plans, a page at a time, like ``GET /v1/plans`` (404 for an unknown group)."""
        self.get(uuid)
        return self.store.list_plans(plan_group_uuid=uuid, cursor=cursor, per_page=per_page, page=page)
