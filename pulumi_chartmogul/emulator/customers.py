"""Customers in the emulated account: only what deletion protection needs (docs: chartmogul-api §9).

``POST /v1/customers`` creates one in a data source; ``GET /v1/customers?data_source_uuid=…`` lists a source's
customers with the real pagination bodies (a first page carries ``current_page``, ``total_pages``, ``per_page``
and ``page`` besides ``entries``, ``cursor`` and ``has_more``; a page asked for by ``cursor`` only the last three).
Deleting a data source deletes its customers (``ON DELETE CASCADE``), as the real API does.

Kept apart from ``store.py`` and ``app.py``: its own table, its own routes, added by :func:`add_customer_routes`.
Not recorded anywhere and guessed here: the 422 bodies for a missing external id, an unknown data source and a
duplicate external id in a source.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from .store import MAX_PER_PAGE, Store, _decode_cursor, _encode_cursor, _now_iso, unprocessable
from .wire import RAILS_JSON, json_body

CUSTOMER_EXTERNAL_ID_TAKEN = "The external ID for this customer already exists in our system."

_SCHEMA = """
CREATE TABLE IF NOT EXISTS customers (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid             TEXT NOT NULL UNIQUE,
    data_source_uuid TEXT NOT NULL REFERENCES data_sources(uuid) ON DELETE CASCADE,
    external_id      TEXT NOT NULL,
    name             TEXT NOT NULL,
    email            TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    UNIQUE (data_source_uuid, external_id)
);
CREATE INDEX IF NOT EXISTS customers_by_source ON customers (data_source_uuid, seq);
"""


def _customer_json(row: Any) -> dict[str, Any]:
    return {
        "id": row["seq"],
        "uuid": row["uuid"],
        "external_id": row["external_id"],
        "name": row["name"],
        "email": row["email"],
        "data_source_uuid": row["data_source_uuid"],
        "data_source_uuids": [row["data_source_uuid"]],
        "customer-since": row["created_at"],
        "status": "New Lead",
    }


class Customers:
    """The customers table, on the store's connection and lock."""

    def __init__(self, store: Store) -> None:
        self.store = store
        with store._transaction() as db:
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        source, external_id = body.get("data_source_uuid"), body.get("external_id")
        problems = {}
        if not isinstance(external_id, str) or not external_id.strip():
            problems["external_id"] = "can't be blank"
        if not isinstance(source, str) or not self.store._query("SELECT 1 FROM data_sources WHERE uuid = ?",
                                                                (source,)):
            problems["data_source_uuid"] = "A valid data source UUID is required."
        if problems:
            raise unprocessable(problems)
        with self.store._transaction() as db:
            if db.execute("SELECT 1 FROM customers WHERE data_source_uuid = ? AND external_id = ?",
                          (source, external_id)).fetchone():
                raise unprocessable({"external_id": CUSTOMER_EXTERNAL_ID_TAKEN})
            uuid = self.store._new_uuid("cus")
            db.execute("INSERT INTO customers (uuid, data_source_uuid, external_id, name, email, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?)", (uuid, source, external_id, str(body.get("name") or ""),
                                                     str(body.get("email") or ""), _now_iso()))
            row = db.execute("SELECT * FROM customers WHERE uuid = ?", (uuid,)).fetchone()
        return _customer_json(row)

    def page(self, data_source_uuid: str | None, cursor: str | None, per_page: int) -> dict[str, Any]:
        where, params = ("WHERE data_source_uuid = ?", (data_source_uuid,)) if data_source_uuid else ("", ())
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        after = _decode_cursor(cursor) if cursor else 0
        total = self.store._query(f"SELECT COUNT(*) AS n FROM customers {where}", params)[0]["n"]
        rows = self.store._query(
            f"SELECT * FROM customers {where} {'AND' if where else 'WHERE'} seq > ? ORDER BY seq LIMIT ?",
            (*params, after, per_page + 1))
        has_more = len(rows) > per_page
        rows = rows[:per_page]
        next_cursor = _encode_cursor(rows[-1]["created_at"], rows[-1]["seq"]) if has_more else None
        body: dict[str, Any] = {"entries": [_customer_json(r) for r in rows]}
        if cursor is None:
            body.update(current_page=1, total_pages=math.ceil(total / per_page), has_more=has_more,
                        per_page=per_page, page=1, cursor=next_cursor)
        else:
            body.update(cursor=next_cursor, has_more=has_more)
        return body


def add_customer_routes(app: FastAPI, store: Store) -> None:
    """Add the customer routes (called by ``app.build_routes``)."""

    customers = Customers(store)

    @app.post("/v1/customers")
    async def create_customer(request: Request) -> Response:
        return JSONResponse(customers.create(await json_body(request)), status_code=201, media_type=RAILS_JSON)

    @app.get("/v1/customers")
    def list_customers(request: Request) -> Response:
        query = request.query_params
        per_page = int(query["per_page"]) if query.get("per_page", "").isdigit() else 200
        body = customers.page(query.get("data_source_uuid") or None, query.get("cursor") or None, per_page)
        return JSONResponse(body, media_type=RAILS_JSON)
