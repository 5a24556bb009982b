"""Ping, authentication, unknown routes, malformed bodies, the emulator header (docs/emulator.md)."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
import requests

from testkit.emulator import Emulator, running_emulator
from tests.emulator.expected import (
    JSON,
    RAILS_JSON,
    UNAUTHORIZED,
    assert_json,
    assert_route_not_found,
)

API_KEY = "the-only-key"


@pytest.fixture(scope="module")
def keyed_emulator() -> Iterator[Emulator]:
    """An emulator started with ``--api-key``: any other key is refused."""
    with running_emulator("--api-key", API_KEY) as emulator:
        yield emulator


def _raw(emulator: Emulator, path: str, authorization: str | None) -> requests.Response:
    headers = {} if authorization is None else {"Authorization": authorization}
    return requests.get(f"{emulator.api_root}{path}", headers=headers, timeout=10)


def _basic(user: str, password: str = "") -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_ping_answers_pong(emulator: Emulator) -> None:
    assert_json(emulator.api("GET", "/ping"), 200, {"data": "pong!"})


def test_every_response_names_the_emulator(emulator: Emulator) -> None:
    for response in (
        emulator.api("GET", "/ping"),
        emulator.api("GET", "/ping", key=""),
        emulator.api("GET", "/nothing/here"),
        requests.get(f"{emulator.base}/_emulator/stats", timeout=10),
    ):
        assert response.headers["X-ChartMogul-Emulator"], response.url


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="no-header"),
        pytest.param("Bearer some-key", id="wrong-scheme"),
        pytest.param(_basic(""), id="empty-user"),
        pytest.param(_basic("", "some-key"), id="key-only-as-password"),
        pytest.param(_basic("some-key", "another"), id="password-neither-empty-nor-key"),
        pytest.param("Basic !!!not-base64!!!", id="garbled"),
    ],
)
def test_unauthenticated_requests_get_the_gateway_401(emulator: Emulator, authorization: str | None) -> None:
    for path in ("/ping", "/data_sources", "/plans"):
        assert_json(_raw(emulator, path, authorization), 401, UNAUTHORIZED)


def test_401_leaves_state_untouched(emulator: Emulator) -> None:
    refused = emulator.api("POST", "/data_sources", key="", json={"name": "sneaky"})
    assert_json(refused, 401, UNAUTHORIZED)
    assert_json(emulator.api("GET", "/data_sources"), 200, {"data_sources": []})


def test_any_non_empty_key_is_accepted_without_api_key_flag(emulator: Emulator) -> None:
    assert_json(emulator.api("GET", "/ping", key="whatever"), 200, {"data": "pong!"})
    # Docs: the password "can either be empty or the same as the API key".
    assert_json(_raw(emulator, "/ping", _basic("whatever", "whatever")), 200, {"data": "pong!"})


def test_only_the_configured_key_is_accepted(keyed_emulator: Emulator) -> None:
    assert_json(keyed_emulator.api("GET", "/ping", key="wrong-key"), 401, UNAUTHORIZED)
    assert_json(keyed_emulator.api("GET", "/ping", key=""), 401, UNAUTHORIZED)
    assert_json(keyed_emulator.api("GET", "/ping", key=API_KEY), 200, {"data": "pong!"})
    assert_json(_raw(keyed_emulator, "/ping", _basic(API_KEY, API_KEY)), 200, {"data": "pong!"})


def test_unknown_route_is_a_plain_404(emulator: Emulator) -> None:
    assert_route_not_found(emulator.api("GET", "/validate_param!"))
    assert_route_not_found(emulator.api("POST", "/invoices", json={}))
    assert_route_not_found(emulator.api("GET", "/plans/some/deeper/path"))


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/data_sources", JSON), ("/plans", RAILS_JSON), ("/import/plans", RAILS_JSON)],
)
def test_invalid_json_body_is_a_400(emulator: Emulator, path: str, content_type: str) -> None:
    response = emulator.api("POST", path, data=b"{not json", headers={"Content-Type": "application/json"})
    assert_json(response, 400, {"code": 400, "message": "Request body is not valid JSON", "param": None},
                content_type)
    not_an_object = emulator.api("POST", path, json=["a", "list"])
    assert_json(not_an_object, 400, {"code": 400, "message": "Request body must be a JSON object", "param": None},
                content_type)


def test_invalid_json_on_patch_is_a_400(emulator: Emulator) -> None:
    response = emulator.api("PATCH", "/plans/pl_whatever", data=b"[", headers={"Content-Type": "application/json"})
    assert_json(response, 400, {"code": 400, "message": "Request body is not valid JSON", "param": None},
                RAILS_JSON)
