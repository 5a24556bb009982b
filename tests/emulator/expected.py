"""What the real API answers with (docs/emulator.md), as literals and assertions shared by the tests."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import requests

JSON = "application/json"
RAILS_JSON = "application/json; charset=utf-8"
UUID4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
DS_UUID = re.compile(f"^ds_{UUID4}$")
PL_UUID = re.compile(f"^pl_{UUID4}$")
ISO_MS_UTC = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
UNAUTHORIZED = {"code": 401, "message": "No valid API key provided", "param": None}
RATE_LIMITED = {"code": 429, "message": "Your request rate has exceeded our rate limit.", "param": None}

# The factories of conftest.py: ``make_source(name=None)`` and ``make_plan(data_source_uuid, **fields)``.
MakeSource = Callable[..., dict[str, Any]]
MakePlan = Callable[..., dict[str, Any]]


def assert_json(response: requests.Response, status: int, body: object, content_type: str = JSON) -> None:
    """Status, exact JSON body and exact content type, with the body in the message when it fails."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == content_type
    assert response.json() == body


def assert_route_not_found(response: requests.Response) -> None:
    """The real router's fall-through: text/plain ``404 Not Found`` with ``x-cascade: pass``."""
    assert response.status_code == 404
    assert response.headers["content-type"].split(";")[0] == "text/plain"
    assert response.text == "404 Not Found"
    assert response.headers["x-cascade"] == "pass"


def assert_empty_204(response: requests.Response) -> None:
    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers


