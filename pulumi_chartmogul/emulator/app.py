"""HTTP ⇄ store translation: routes, status codes, content types and error bodies of the real API.

``create_app`` returns an ASGI application: the FastAPI routes wrapped in :class:`ApiGate`, which applies to
every ``/v1`` request what the real service applies before a request reaches its handlers (connection and rate
limits, authentication) plus the emulator's own latency and fault rules, and counts the request and the status of
its answer.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from . import EMULATOR_VERSION
from .account import Account, add_account_route
from .controls import Controls
from .customers import add_customer_routes
from .faults import Fault, FaultSet
from .plan_group_routes import add_plan_group_routes
from .plan_groups import PlanGroups
from .seed import add_seed_route
from .store import ApiProblem, Store
from .wire import JSON, RAILS_JSON, flag, json_body, page_body, paging

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

RATE_LIMIT_MESSAGE = "Your request rate has exceeded our rate limit."
TOO_MANY_CONNECTIONS_MESSAGE = "Too many parallel connections."
UNAUTHORIZED_BODY = {"code": 401, "message": "No valid API key provided", "param": None}
VERSION_HEADER = "X-ChartMogul-Emulator"


def _problem_response(problem: ApiProblem, media_type: str = JSON) -> JSONResponse:
    return JSONResponse(problem.body, status_code=problem.status, media_type=media_type)


def _not_found_route() -> PlainTextResponse:
    return PlainTextResponse("404 Not Found", status_code=404, headers={"x-cascade": "pass"})


def build_routes(store: Store, controls: Controls, account: Account | None = None) -> FastAPI:
    """The FastAPI application: the API's routes under /v1, the admin surface, and the API's error bodies."""
    app = FastAPI(title="ChartMogul API emulator", version=EMULATOR_VERSION, docs_url=None, redoc_url=None,
                  openapi_url=None)
    _add_error_handlers(app)
    _add_data_source_routes(app, store)
    _add_plan_routes(app, store)
    add_plan_group_routes(app, PlanGroups(store))
    add_customer_routes(app, store)
    add_account_route(app, account or Account())
    _add_admin_routes(app, store, controls)
    add_seed_route(app, store)
    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiProblem)
    async def on_problem(request: Request, problem: ApiProblem) -> Response:
        rails = request.url.path.startswith(("/v1/plans", "/v1/import/plans", "/v1/plan_groups"))
        return _problem_response(problem, RAILS_JSON if rails else JSON)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # Unknown routes and unsupported methods both fall through the real router as a plain 404.
        return _not_found_route()


def _with_extras(request: Request, source: dict[str, Any]) -> dict[str, Any]:
    """The data source with the objects its ``with_*`` query flags ask for."""
    for key, value in Store.data_source_extras().items():
        if flag(request, f"with_{key}"):
            source[key] = value
    return source


def _add_data_source_routes(app: FastAPI, store: Store) -> None:
    @app.get("/v1/ping")
    def ping() -> Response:
        return JSONResponse({"data": "pong!"}, media_type=JSON)

    @app.post("/v1/data_sources")
    async def create_data_source(request: Request) -> Response:
        body = await json_body(request)
        return JSONResponse(store.create_data_source(body), status_code=201, media_type=JSON)

    @app.get("/v1/data_sources")
    def list_data_sources(request: Request) -> Response:
        sources = store.list_data_sources(
            name=request.query_params.get("name") or None, system=request.query_params.get("system") or None
        )
        return JSONResponse({"data_sources": [_with_extras(request, s) for s in sources]}, media_type=JSON)

    @app.get("/v1/data_sources/{uuid}")
    def get_data_source(uuid: str, request: Request) -> Response:
        return JSONResponse(_with_extras(request, store.get_data_source(uuid)), media_type=JSON)

    @app.delete("/v1/data_sources/{uuid}")
    def delete_data_source(uuid: str) -> Response:
        store.delete_data_source(uuid)
        return Response(status_code=204)


def _add_plan_routes(app: FastAPI, store: Store) -> None:
    async def create_plan(request: Request) -> Response:
        body = await json_body(request)
        return JSONResponse(store.create_plan(body), status_code=201, media_type=RAILS_JSON)

    app.add_api_route("/v1/plans", create_plan, methods=["POST"])
    # The legacy import path still appears in the docs' curl example (https://dev.chartmogul.com/reference/plans/add).
    app.add_api_route("/v1/import/plans", create_plan, methods=["POST"])

    @app.get("/v1/plans")
    def list_plans(request: Request) -> Response:
        query = request.query_params
        page = store.list_plans(
            data_source_uuid=query.get("data_source_uuid") or None,
            external_id=query.get("external_id") or None,
            system=query.get("system") or None,
            **paging(request),
        )
        return JSONResponse(page_body("plans", page), media_type=RAILS_JSON)

    @app.get("/v1/plans/{uuid}")
    def get_plan(uuid: str) -> Response:
        return JSONResponse(store.get_plan(uuid), media_type=RAILS_JSON)

    @app.patch("/v1/plans/{uuid}")
    async def update_plan(uuid: str, request: Request) -> Response:
        body = await json_body(request)
        return JSONResponse(store.update_plan(uuid, body), status_code=202, media_type=RAILS_JSON,
                            headers={"cache-control": "no-cache"})

    @app.delete("/v1/plans/{uuid}")
    def delete_plan(uuid: str) -> Response:
        store.delete_plan(uuid)
        return Response(status_code=204)


class ClockAdvance(BaseModel):
    """``POST /_emulator/clock``: how far to move the limits' clock forward."""

    model_config = ConfigDict(extra="forbid")

    seconds: float = Field(ge=0, le=86_400)


def _add_admin_routes(app: FastAPI, store: Store, controls: Controls) -> None:
    @app.post("/_emulator/reset")
    def reset() -> dict[str, bool]:
        store.reset()
        controls.reset()
        return {"reset": True}

    @app.get("/_emulator/stats")
    def stats() -> dict[str, object]:
        return controls.stats()

    @app.post("/_emulator/clock")
    def advance_clock(advance: ClockAdvance) -> dict[str, float]:
        return {"advanced_seconds": controls.advance_clock(advance.seconds)}

    @app.get("/_emulator/faults")
    def get_faults() -> FaultSet:
        return controls.faults()

    @app.post("/_emulator/faults")
    def set_faults(faults: FaultSet) -> FaultSet:
        controls.set_faults(faults)
        return controls.faults()

    @app.delete("/_emulator/faults")
    def clear_faults() -> FaultSet:
        controls.set_faults(FaultSet())
        return controls.faults()


def _authorized(scope: Scope, api_key: str | None) -> bool:
    header = dict(scope["headers"]).get(b"authorization", b"")
    scheme, _, encoded = header.partition(b" ")
    if scheme.lower() != b"basic":
        return False
    try:
        user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    # The password may be empty or the key again (DOC:/docs/authentication).
    if not user or password not in ("", user):
        return False
    return api_key is None or user == api_key


async def _send_json(send: Send, status: int, body: object, extra: Sequence[tuple[bytes, bytes]] = ()) -> None:
    payload = json.dumps(body, separators=(",", ":")).encode()
    await _send_raw(send, status, payload, [(b"content-type", JSON.encode()), *extra])


async def _send_raw(send: Send, status: int, payload: bytes, headers: list[tuple[bytes, bytes]]) -> None:
    headers = [*headers, (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


class ApiGate:
    """Everything the real service does to a /v1 request before its handler runs, plus the emulator's faults."""

    def __init__(self, routes: FastAPI, controls: Controls, api_key: str | None, latency_ms: int) -> None:
        self.routes = routes
        self.controls = controls
        self.api_key = api_key
        self.latency_ms = latency_ms
        self.version_header = (VERSION_HEADER.lower().encode(), EMULATOR_VERSION.encode())

    def _template(self, scope: Scope) -> str:
        for route in self.routes.router.routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return str(getattr(route, "path", scope["path"]))
        return "<unknown route>"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.routes(scope, receive, send)
            return

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), self.version_header]
            await send(message)

        if not scope["path"].startswith("/v1/") and scope["path"] != "/v1":
            await self.routes(scope, receive, send_with_version)
            return

        method, template = scope["method"], self._template(scope)
        self.controls.count(method, template)
        status: list[int] = []  # the answer's status, once it starts

        async def send_counted(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            await send_with_version(message)

        try:
            if not self.controls.enter():
                await _send_json(send_counted, 503,
                                 {"code": 503, "message": TOO_MANY_CONNECTIONS_MESSAGE, "param": None})
                return
            try:
                await self._gated(scope, receive, send, send_counted, method, template)
            finally:
                self.controls.leave()
        finally:
            self.controls.answered(status[0] if status else None)

    async def _gated(self, scope: Scope, receive: Receive, send: Send, send_with_version: Send,
                     method: str, template: str) -> None:
        # Read the whole request first: a request the client gave up on (slow response, dropped connection)
        # must still take effect, as it would on a real server that had received it.
        receive = await _buffered(receive)
        if self.latency_ms:
            await asyncio.sleep(self.latency_ms / 1000)
        if not self.controls.admit():
            await _send_json(send_with_version, 429, {"code": 429, "message": RATE_LIMIT_MESSAGE, "param": None})
            return
        fault = self.controls.fault_for(method, template, scope["path"])
        if fault is not None and fault.delay_ms:
            await asyncio.sleep(fault.delay_ms / 1000)
        if fault is not None and fault.mode == "respond":
            await _respond_fault(send_with_version, fault)
            return
        if not _authorized(scope, self.api_key):
            await _send_json(send_with_version, 401, UNAUTHORIZED_BODY)
            return
        if fault is not None and fault.mode == "commit_then_drop":
            await self.routes(scope, receive, _swallow)
            await _drop_connection(send)
            return
        if fault is not None and fault.mode == "omit":
            await self.routes(scope, receive, _omitting(fault.omit, send_with_version))
            return
        await self.routes(scope, receive, send_with_version)


async def _respond_fault(send: Send, fault: Fault) -> None:
    headers: list[tuple[bytes, bytes]] = []
    if fault.retry_after is not None:
        headers.append((b"retry-after", str(fault.retry_after).encode()))
    if fault.status == 429:
        await _send_json(send, 429, {"code": 429, "message": RATE_LIMIT_MESSAGE, "param": None}, headers)
        return
    phrase = HTTPStatus(fault.status).phrase if fault.status in HTTPStatus._value2member_map_ else "Error"
    # Gateway and server errors come back as plain text (docs/emulator.md).
    await _send_raw(send, fault.status, f"{fault.status} {phrase}".encode(),
                    [*headers, (b"content-type", b"text/plain")])


async def _buffered(receive: Receive) -> Receive:
    """A ``receive`` that replays the fully read request body, then defers to the real channel."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    pending: list[Message] = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


async def _swallow(message: Message) -> None:
    return None


def _omitting(uuids: frozenset[str], send: Send) -> Send:
    """A ``send`` that answers a listing without the items whose uuid is in ``uuids`` (its cursor and ``has_more``
    untouched): a page that misses objects that exist, as one shifted under concurrent writes would."""
    start: list[Message] = []
    chunks: list[bytes] = []

    async def send_without(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.append(message)  # held back, with the body: its length changes
            return
        if message["type"] != "http.response.body" or not start:
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        body = json.loads(b"".join(chunks) or b"null")
        if isinstance(body, dict):
            body = {key: [item for item in value if not (isinstance(item, dict) and item.get("uuid") in uuids)]
                    if isinstance(value, list) else value for key, value in body.items()}
        payload = json.dumps(body, separators=(",", ":")).encode()
        headers = [(name, value) for name, value in start[0].get("headers", []) if name.lower() != b"content-length"]
        await send({**start[0], "headers": [*headers, (b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.body", "body": payload})

    return send_without


async def _drop_connection(send: Send) -> None:
    """Close the client's connection with no response at all, after the request took effect.

    uvicorn gives the ASGI app no handle on the socket; its ``send`` is a bound method of the request cycle,
    which holds the transport. Aborting it resets the connection, which is what a client sees when a proxy
    or the network loses the response.
    """
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise RuntimeError("commit_then_drop needs uvicorn's HTTP protocol (no transport on the send channel)")
    transport.abort()
    if cycle is not None and hasattr(cycle, "disconnected"):
        cycle.disconnected = True  # keep uvicorn from writing its own 500 to the dead connection
    await asyncio.sleep(0)


def create_app(store: Store, controls: Controls, api_key: str | None = None, latency_ms: int = 0,
               account: Account | None = None) -> ASGIApp:
    return ApiGate(build_routes(store, controls, account), controls, api_key, latency_ms)
