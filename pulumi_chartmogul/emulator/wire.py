"""The request and answer shapes every route module shares: media types, the JSON body, paging parameters and
list answers."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from .store import Page, gateway_error

# Data sources and ping come from the gateway family, plans from the Rails family (docs/emulator.md).
JSON = "application/json"
RAILS_JSON = "application/json; charset=utf-8"


async def json_body(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError as exc:
        raise gateway_error(400, "Request body is not valid JSON", None) from exc
    if not isinstance(body, dict):
        raise gateway_error(400, "Request body must be a JSON object", None)
    return body


def flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("true", "1")


def _int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise gateway_error(400, f'Parameter "{name}" is invalid', name) from exc


def paging(request: Request) -> dict[str, Any]:
    """The paging parameters of a list request: ``cursor``, ``per_page`` (default 200), deprecated ``page``."""
    return {
        "cursor": request.query_params.get("cursor") or None,
        "per_page": _int_param(request, "per_page") or 200,
        "page": _int_param(request, "page"),
    }


def page_body(key: str, page: Page) -> dict[str, Any]:
    """A list answer: the items under ``key``, the page counters where the page has them, and the cursor and
    ``has_more`` unless it was asked for by page number (as recorded)."""
    body: dict[str, Any] = {key: page.items}
    if page.current_page is not None:
        body["current_page"] = page.current_page
        body["total_pages"] = page.total_pages
    if not page.numbered:
        body["cursor"] = page.cursor
        body["has_more"] = page.has_more
    return body
