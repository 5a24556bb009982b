"""The client's promises about time and transport failures, each against a server in this process (loopback).

Waiting is done on a fake clock: urllib3's retry sleeps and the policy's deadline both read it, so a budget of
30 s is spent in milliseconds and measured exactly.
"""

from __future__ import annotations

import json
import pickle
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import Any

import pytest
import requests
import urllib3.util.retry
from requests.adapters import HTTPAdapter

from pulumi_chartmogul.api import retry as retry_module
from pulumi_chartmogul.api.client import ChartMogulClient
from pulumi_chartmogul.api.errors import RateLimitError, ServerError, TransportError
from pulumi_chartmogul.api.settings import Settings


@dataclass
class FakeClock:
    """``time.monotonic`` and ``time.sleep`` for the retry machinery: sleeping moves the clock, instantly."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)
    on_sleep: list[Any] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        for hook in self.on_sleep:
            hook()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    fake_time = SimpleNamespace(monotonic=fake.monotonic, time=fake.time, sleep=fake.sleep)
    monkeypatch.setattr(retry_module, "time", fake_time)
    monkeypatch.setattr(urllib3.util.retry, "time", fake_time)
    return fake


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        with self.server.lock:
            self.server.requests.append(f"{self.command} {self.path}")
        status, headers, body = self.server.answer
        payload = json.dumps(body).encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _answer

    def log_message(self, *_args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, answer: tuple[int, dict[str, str], object], *, listen: bool = True) -> None:
        super().__init__(("127.0.0.1", 0), _Handler, bind_and_activate=False)
        self.answer = answer
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.listening = False
        self.server_bind()  # the port is ours; until listen() a connection to it is refused
        if listen:
            self.listen()

    def listen(self) -> None:
        if self.listening:
            return
        self.listening = True
        self.server_activate()
        threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def api_root(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/v1"


@pytest.fixture
def servers() -> Iterator[list[_Server]]:
    started: list[_Server] = []
    yield started
    for server in started:
        if server.listening:
            server.shutdown()
        server.server_close()


def serve(servers: list[_Server], status: int, body: object, headers: dict[str, str] | None = None,
          *, listen: bool = True) -> _Server:
    server = _Server((status, headers or {}, body), listen=listen)
    servers.append(server)
    return server


def client(root: str, *, timeout: float = 5.0, retries: int = 100, key: str = "test-key") -> ChartMogulClient:
    return ChartMogulClient(Settings(api_key=key, endpoint=root, timeout_seconds=timeout, max_retries=retries))


def test_retrying_stops_when_the_time_budget_is_spent(clock: FakeClock, servers: list[_Server]) -> None:
    # Every answer is a 503 asking for 7 s; 100 retries would take 700 s. The budget (30 s for timeoutSeconds
    # 5: the larger of 30 s and 4 x timeoutSeconds) stops it, and the last error reaches the caller.
    server = serve(servers, 503, {"error": "busy"}, {"Retry-After": "7"})
    started = clock.now
    with pytest.raises(ServerError) as caught:
        client(server.api_root, timeout=5.0).request("GET", "/ping")
    assert caught.value.status == 503
    assert clock.now - started == pytest.approx(30.0)
    assert clock.sleeps == [7.0, 7.0, 7.0, 7.0, 2.0]  # the last wait is cut to what is left of the budget
    assert len(server.requests) == 6


def test_the_budget_grows_with_the_timeout(clock: FakeClock, servers: list[_Server]) -> None:
    server = serve(servers, 503, {"error": "busy"}, {"Retry-After": "7"})
    started = clock.now
    with pytest.raises(ServerError):
        client(server.api_root, timeout=20.0).request("GET", "/ping")
    assert clock.now - started == pytest.approx(80.0)


def test_retry_after_is_capped_at_the_remaining_budget(clock: FakeClock, servers: list[_Server]) -> None:
    server = serve(servers, 429, {"code": 429, "message": "slow down", "param": None}, {"Retry-After": "3600"})
    with pytest.raises(RateLimitError):
        client(server.api_root).request("POST", "/data_sources", json={"name": "x"})
    assert clock.sleeps == [30.0]
    assert server.requests == ["POST /v1/data_sources", "POST /v1/data_sources"]


def test_a_post_whose_connection_never_opened_is_sent_again(clock: FakeClock, servers: list[_Server]) -> None:
    # The port is bound but not listening: the first connection is refused. The server starts listening
    # during the backoff, so the retried POST reaches it, once.
    server = serve(servers, 201, {"uuid": "ds_1", "name": "x"}, listen=False)
    clock.on_sleep.append(server.listen)
    created = client(server.api_root).create_data_source("x")
    assert created == {"uuid": "ds_1", "name": "x"}
    assert server.requests == ["POST /v1/data_sources"]
    assert len(clock.sleeps) == 1


def test_a_refused_connection_gives_up_after_max_retries_as_never_sent(clock: FakeClock,
                                                                       servers: list[_Server]) -> None:
    server = serve(servers, 201, {}, listen=False)
    with pytest.raises(TransportError) as caught:
        client(server.api_root, retries=3).request("POST", "/data_sources", json={"name": "x"})
    assert caught.value.never_sent is True
    assert len(clock.sleeps) == 3


@pytest.mark.parametrize(("timeout", "expected"), [(30.0, (10.0, 30.0)), (4.0, (4.0, 4.0)), (60.0, (10.0, 60.0))])
def test_the_connect_timeout_is_the_smaller_of_the_timeout_and_10_s(
        monkeypatch: pytest.MonkeyPatch, timeout: float, expected: tuple[float, float]) -> None:
    seen: list[Any] = []

    def send(self: HTTPAdapter, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        seen.append(kwargs["timeout"])
        response = requests.Response()
        response.status_code, response._content = 200, b'{"data": "pong!"}'
        return response

    monkeypatch.setattr(HTTPAdapter, "send", send)
    client("http://127.0.0.1:9/v1", timeout=timeout).request("GET", "/ping")
    assert seen == [expected]


def test_a_transport_error_text_that_holds_the_key_is_redacted(clock: FakeClock, servers: list[_Server]) -> None:
    # requests quotes the URL in its connection errors; here the key is part of it (a path built from user data).
    key = "sk-transport-90d2e7"
    server = serve(servers, 200, {}, listen=False)
    with pytest.raises(TransportError) as caught:
        client(server.api_root, retries=0, key=key).request("GET", f"/plans/{key}")
    error = caught.value
    assert "[redacted]" in str(error)
    for seen in (str(error), repr(error), repr(error.args), repr(vars(error))):
        assert key not in seen
    assert key.encode() not in pickle.dumps(error)
