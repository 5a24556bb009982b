"""The HTTP client against the real emulator process: retry policy per method, budget, sessions, pagination."""

from __future__ import annotations

import base64
import json
import pickle
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from urllib3.util.retry import RequestHistory

from pulumi_chartmogul.api.client import ChartMogulClient
from pulumi_chartmogul.api.errors import (
    AuthenticationError,
    NotFoundError,
    ServerError,
    TransportError,
    UnprocessableEntityError,
)
from pulumi_chartmogul.api.retry import RetryPolicy
from pulumi_chartmogul.api.settings import Settings
from testkit.emulator import Emulator, running_emulator


def client_for(emulator: Emulator, *, timeout: float = 5.0, retries: int = 3, key: str = "test-key"
               ) -> ChartMogulClient:
    return ChartMogulClient(Settings(api_key=key, endpoint=emulator.api_root, timeout_seconds=timeout,
                                     max_retries=retries))


def posts(emulator: Emulator, template: str = "/v1/data_sources") -> int:
    return int(emulator.stats()["by_route"].get(f"POST {template}", 0))


def source_names(emulator: Emulator) -> list[str]:
    return [s["name"] for s in emulator.api("GET", "/data_sources").json()["data_sources"]]


@pytest.mark.parametrize("status", [429, 503])
def test_post_is_retried_when_the_server_surely_did_nothing(emulator: Emulator, status: int) -> None:
    emulator.set_faults([{"method": "POST", "path": "/v1/data_sources", "mode": "respond", "status": status,
                          "times": 2}])
    created = client_for(emulator).create_data_source("retried")
    assert created["name"] == "retried"
    assert posts(emulator) == 3
    assert source_names(emulator) == ["retried"]


@pytest.mark.parametrize("status", [500, 502, 504])
def test_post_is_not_retried_after_an_ambiguous_status(emulator: Emulator, status: int) -> None:
    emulator.set_faults([{"method": "POST", "path": "/v1/data_sources", "mode": "respond", "status": status}])
    with pytest.raises(ServerError) as caught:
        client_for(emulator).create_data_source("once")
    assert caught.value.status == status
    assert posts(emulator) == 1


def test_post_is_not_resent_when_the_connection_drops_after_sending(emulator: Emulator) -> None:
    emulator.set_faults([{"method": "POST", "path": "/v1/data_sources", "mode": "commit_then_drop"}])
    with pytest.raises(TransportError) as caught:
        client_for(emulator).create_data_source("dropped")
    assert caught.value.never_sent is False
    assert posts(emulator) == 1
    assert source_names(emulator) == ["dropped"]  # it landed: the caller must look it up, not re-send


def test_post_read_timeout_is_ambiguous_and_not_resent(emulator: Emulator) -> None:
    emulator.set_faults([{"method": "POST", "path": "/v1/data_sources", "mode": "delay", "delay_ms": 1500}])
    with pytest.raises(TransportError) as caught:
        client_for(emulator, timeout=0.5).create_data_source("slow")
    assert caught.value.never_sent is False
    time.sleep(1.2)
    assert posts(emulator) == 1
    assert source_names(emulator) == ["slow"]


@pytest.mark.parametrize(("method", "status"), [("GET", 500), ("PATCH", 502), ("DELETE", 504), ("GET", 429)])
def test_safe_methods_are_retried_on_errors(emulator: Emulator, method: str, status: int) -> None:
    client = client_for(emulator)
    source = client.create_data_source("s")
    plan = client.create_plan({"data_source_uuid": source["uuid"], "name": "p", "interval_count": 1,
                               "interval_unit": "month", "external_id": "p"})
    emulator.set_faults([{"method": method, "path": "/v1/plans/{uuid}", "mode": "respond", "status": status,
                          "times": 2}])
    if method == "GET":
        assert client.get_plan(plan["uuid"])["uuid"] == plan["uuid"]
    elif method == "PATCH":
        assert client.update_plan(plan["uuid"], {"name": "q"})["name"] == "q"
    else:
        client.delete_plan(plan["uuid"])
        with pytest.raises(NotFoundError):
            client.get_plan(plan["uuid"])
    assert emulator.stats()["by_route"][f"{method} /v1/plans/{{uuid}}"] == 3


def test_safe_methods_are_retried_after_a_lost_response(emulator: Emulator) -> None:
    client = client_for(emulator, timeout=0.5)
    source = client.create_data_source("s")
    emulator.set_faults([{"method": "GET", "path": "/v1/data_sources/{uuid}", "mode": "commit_then_drop"},
                         {"method": "GET", "path": "/v1/data_sources/{uuid}", "mode": "delay", "delay_ms": 1500}])
    assert client.get_data_source(source["uuid"])["uuid"] == source["uuid"]
    assert emulator.stats()["by_route"]["GET /v1/data_sources/{uuid}"] == 3


def test_retry_after_is_honoured(emulator: Emulator) -> None:
    emulator.set_faults([{"method": "GET", "path": "/v1/ping", "mode": "respond", "status": 429, "retry_after": 1}])
    started = time.monotonic()
    client_for(emulator).request("GET", "/ping")
    assert time.monotonic() - started >= 0.95


def test_attempts_are_capped_and_the_last_error_is_raised(emulator: Emulator) -> None:
    emulator.set_faults([{"method": "GET", "path": "/v1/ping", "mode": "respond", "status": 503, "times": None}])
    with pytest.raises(ServerError) as caught:
        client_for(emulator, retries=2).request("GET", "/ping")
    assert caught.value.status == 503
    assert emulator.stats()["by_route"]["GET /v1/ping"] == 3


def test_a_refused_connection_was_never_sent() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = ChartMogulClient(Settings(api_key="k", endpoint=f"http://127.0.0.1:{port}/v1", max_retries=1))
    with pytest.raises(TransportError) as caught:
        client.request("POST", "/data_sources", json={"name": "x"})
    assert caught.value.never_sent is True


def test_the_total_retry_time_is_capped() -> None:
    policy = RetryPolicy(total=100, budget_seconds=0.3, backoff_factor=0.1)
    assert not policy.is_exhausted()
    started = policy.new()  # the budget starts at the first failure
    assert started.deadline is not None
    assert not started.is_exhausted()
    time.sleep(0.35)
    assert started.is_exhausted()
    assert not started.is_retry("GET", 503)


def test_backoff_grows_with_jitter_and_stays_under_the_cap() -> None:
    policy = RetryPolicy(total=10, backoff_factor=0.5, backoff_max=4.0, budget_seconds=600)
    assert policy.get_backoff_time() == 0.0
    waits = []
    for _ in range(6):
        policy = policy.new(history=(*policy.history, RequestHistory("GET", "/x", None, 503, None)))
        waits.append(policy.get_backoff_time())
    ceilings = [min(4.0, 0.5 * 2**n) for n in range(6)]
    assert all(c / 2 <= w <= c for w, c in zip(waits, ceilings, strict=True))


def test_one_session_per_thread_and_no_shared_state_errors(emulator: Emulator) -> None:
    client = client_for(emulator)
    sessions: set[int] = set()
    lock = threading.Lock()

    def call(_: int) -> str:
        with lock:
            sessions.add(id(client._session()))
        return str(client.request("GET", "/ping")["data"])

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert set(pool.map(call, range(200))) == {"pong!"}
    assert len(sessions) == 4


def test_list_plans_follows_the_cursor(emulator: Emulator) -> None:
    client = client_for(emulator)
    source = client.create_data_source("many")
    for n in range(450):
        client.create_plan({"data_source_uuid": source["uuid"], "name": f"p{n}", "interval_count": 1,
                            "interval_unit": "day", "external_id": f"p{n}"})
    plans = list(client.list_plans(data_source_uuid=source["uuid"]))
    assert sorted(p["external_id"] for p in plans) == sorted(f"p{n}" for n in range(450))
    assert emulator.stats()["by_route"]["GET /v1/plans"] == 3


def test_wrong_key_raises_without_showing_the_key() -> None:
    with running_emulator("--api-key", "the-right-key") as emulator:
        client = client_for(emulator, key="sk-wrong-5b8e1d")
        with pytest.raises(AuthenticationError) as caught:
            client.request("GET", "/ping")
    assert "sk-wrong-5b8e1d" not in str(caught.value)
    assert "No valid API key provided" in str(caught.value)


class _EchoingHandler(BaseHTTPRequestHandler):
    """An API that quotes the caller's key back in its error body (ChartMogul does not; nothing may trust that)."""

    def do_POST(self) -> None:
        user = base64.b64decode(self.headers["Authorization"].split()[1]).decode().split(":")[0]
        body = json.dumps({"errors": {"name": f"not allowed for key {user}"}}).encode()
        self.send_response(422)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


def test_an_error_body_that_quotes_the_key_is_redacted_everywhere_in_the_error() -> None:
    key = "sk-echoed-3f9a1c"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = ChartMogulClient(Settings(api_key=key, endpoint=f"http://127.0.0.1:{server.server_port}/v1"))
        with pytest.raises(UnprocessableEntityError) as caught:
            client.request("POST", "/data_sources", json={"name": "x"})
    finally:
        server.shutdown()
        server.server_close()
    error = caught.value
    assert "not allowed for key" in str(error)
    for seen in (str(error), repr(error), repr(error.args), repr(vars(error))):
        assert key not in seen
    assert key.encode() not in pickle.dumps(error)
