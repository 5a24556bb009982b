"""The fault matrix: every fault x every operation x both resources, through the real provider host.

Faults: 429 with and without ``Retry-After``, 500, 502, 503, 504, ``commit_then_drop`` (the request takes effect,
the connection is reset before the answer) and a response slower than the read timeout (``delay`` 1.5 s against
``chartmogul:timeoutSeconds`` 1; the request still takes effect when the delay is over). Operations: create, read
(refresh), update, delete; DataSource has no update (any change replaces it), so it has create/read/delete only.
Resources: DataSource, Plan, PlanGroup. A plan group's create looks its name up before the POST as well; a POST of
one that got no answer is never re-sent (its name is not unique), only looked up until it shows.

Two budgets:

* ``transient`` -- the fault hits the operation's request once (``times: 1``), default ``maxRetries`` (6). The
  operation must succeed. A create whose answer may have been lost must look its object up by natural key and
  re-send only when it is not there (checked on the request counts, and on the emulator's log for the order).
* ``exhausted`` -- the fault hits every matching request (``times: null``), ``maxRetries`` 2. The operation must
  fail with the status and message in the error the user sees -- unless the provider can prove the outcome with
  a request the fault does not hit (a lost create is found by its lookup; a lost delete is confirmed by a GET).
  ``fault hits`` says which requests are hit: ``op`` only, or also the lookup/confirmation request, which is
  when the outcome cannot be known (see docs/reliability.md for what happens then, and how it is recovered).

After every cell the emulator is compared with the state the engine would keep: no duplicate, no orphan (an
object nobody tracks), nothing stale (tracked but gone). A control row runs a naive provider (the official SDK's
behaviour: re-send the POST, no natural key) to show the accounting does catch a duplicate.

The cells run in 4 lanes at once (each lane: its own emulator and provider hosts), so the ~120 cells, most of
which wait on backoffs and timeouts, take well under a minute of wall time. The table is printed at the end of
the run (tests/reliability/conftest.py).
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from pulumi.dynamic.dynamic import serialize_provider

from testkit.emulator import Emulator, running_emulator
from testkit.engine import Engine
from testkit.host import ProviderHost, ProviderHostError, ResourceState
from testkit.inputs import host_config, plan_inputs, source_inputs
from testkit.providers import DATA_SOURCE, DATA_SOURCE_PROVIDER, PLAN, PLAN_GROUP, PLAN_GROUP_PROVIDER, PLAN_PROVIDER
from tests.reliability.naive_provider import NaivePlanProvider
from tests.reliability.report import REPORT, MatrixRow
from tests.reliability.support import (
    API_KEY,
    Accounting,
    access_log,
    account,
    all_plan_groups,
    all_plans,
    log_size,
    route_delta,
)

LANES = 4
TIMEOUT_SECONDS = "1"
EXHAUSTED_MAX_RETRIES = 2
SLOW_MS = 1500
# A slow request still lands SLOW_MS after it was sent; the client gave up on it TIMEOUT_SECONDS after, so every
# such request has landed this long after the operation returns (with a margin for a busy machine).
SLOW_SETTLE_SECONDS = (SLOW_MS / 1000 - float(TIMEOUT_SECONDS)) + 0.4
ERRORS_MODULE = "pulumi_chartmogul.api.errors."
NAIVE_PROVIDER = serialize_provider(NaivePlanProvider())

FAULTS: dict[str, dict[str, Any]] = {
    "429 Retry-After 1": {"mode": "respond", "status": 429, "retry_after": 1},
    "429": {"mode": "respond", "status": 429},
    "500": {"mode": "respond", "status": 500},
    "502": {"mode": "respond", "status": 502},
    "503": {"mode": "respond", "status": 503},
    "504": {"mode": "respond", "status": 504},
    "commit_then_drop": {"mode": "commit_then_drop"},
    f"slow {SLOW_MS} ms": {"mode": "delay", "delay_ms": SLOW_MS},
}
SLOW = f"slow {SLOW_MS} ms"
LANDS = {"commit_then_drop", SLOW}  # the request takes effect although no answer arrives
# For a POST: the request may have reached the server and no answer says what happened.
AMBIGUOUS_FOR_POST = {"500", "502", "504", *LANDS}
# The last line of the error the user sees (the host sends the traceback; the engine shows it).
FAILURE_TEXT: dict[str, tuple[str, ...]] = {
    "429 Retry-After 1": ("ChartMogul API error 429: Your request rate has exceeded our rate limit.",),
    "429": ("ChartMogul API error 429: Your request rate has exceeded our rate limit.",),
    "500": ("ChartMogul API error 500: 500 Internal Server Error",),
    "502": ("ChartMogul API error 502: 502 Bad Gateway",),
    "503": ("ChartMogul API error 503: 503 Service Unavailable",),
    "504": ("ChartMogul API error 504: 504 Gateway Timeout",),
    "commit_then_drop": ("could not reach ChartMogul", "Remote end closed connection without response"),
    SLOW: ("could not reach ChartMogul", "timed out"),
}
OPS = {"DataSource": ("create", "read", "delete"), "Plan": ("create", "read", "update", "delete"),
       "PlanGroup": ("create", "read", "update", "delete")}
ROUTES = {
    ("DataSource", "create"): ("POST", "/v1/data_sources"),
    ("DataSource", "read"): ("GET", "/v1/data_sources/{uuid}"),
    ("DataSource", "delete"): ("DELETE", "/v1/data_sources/{uuid}"),
    ("Plan", "create"): ("POST", "/v1/plans"),
    ("Plan", "read"): ("GET", "/v1/plans/{uuid}"),
    ("Plan", "update"): ("PATCH", "/v1/plans/{uuid}"),
    ("Plan", "delete"): ("DELETE", "/v1/plans/{uuid}"),
    ("PlanGroup", "create"): ("POST", "/v1/plan_groups"),
    ("PlanGroup", "read"): ("GET", "/v1/plan_groups/{uuid}"),
    ("PlanGroup", "update"): ("PATCH", "/v1/plan_groups/{uuid}"),
    ("PlanGroup", "delete"): ("DELETE", "/v1/plan_groups/{uuid}"),
}
# list by natural key (name for a plan group)
LOOKUP = {"DataSource": ("GET", "/v1/data_sources"), "Plan": ("GET", "/v1/plans"),
          "PlanGroup": ("GET", "/v1/plan_groups")}
CONFIRM = {"DataSource": ("GET", "/v1/data_sources/{uuid}"), "Plan": ("GET", "/v1/plans/{uuid}"),
           "PlanGroup": ("GET", "/v1/plan_groups/{uuid}")}
# A plan group's create looks its name up once before the POST (names are not unique: an existing group is
# refused, or adopted), and a plan group is created with 200, not 201.
LOOKUPS_BEFORE_POST = {"DataSource": 0, "Plan": 0, "PlanGroup": 1}
CREATED = {"DataSource": 201, "Plan": 201, "PlanGroup": 200}


@dataclass(frozen=True)
class Cell:
    resource: str
    op: str
    fault: str
    budget: str  # "transient" | "exhausted"
    scope: str = "op"  # "op" | "op+lookup" (create) | "op+confirm" (delete)
    control: bool = False

    @property
    def id(self) -> str:
        parts = [self.resource, self.op, self.fault.replace(" ", "_"), self.budget]
        if self.scope != "op":
            parts.append(self.scope)
        if self.control:
            parts.append("naive-control")
        return "-".join(parts)

    @property
    def slug(self) -> str:
        return self.id.lower().replace("_", "-").replace("+", "-")

    @property
    def method(self) -> str:
        return ROUTES[self.resource, self.op][0]

    @property
    def route(self) -> str:
        method, path = ROUTES[self.resource, self.op]
        return f"{method} {path}"

    @property
    def lookup_route(self) -> str:
        method, path = LOOKUP[self.resource]
        return f"{method} {path}"

    def rules(self) -> list[dict[str, Any]]:
        times = 1 if self.budget == "transient" else None
        hit = [ROUTES[self.resource, self.op]]
        if self.scope == "op+lookup":
            hit.append(LOOKUP[self.resource])
        if self.scope == "op+confirm":
            hit.append(CONFIRM[self.resource])
        return [{"method": method, "path": path, **FAULTS[self.fault], "times": times} for method, path in hit]

    def expected(self) -> str:
        """What the user should get from the operation."""
        if self.control:
            return "duplicate seen"
        if self.budget == "transient":
            return "ok"
        if self.scope == "op" and self.fault in LANDS and self.op in ("create", "delete"):
            return "ok (proved by " + ("lookup)" if self.op == "create" else "GET)")
        return "clear error"

    def estimated_seconds(self) -> float:
        """For scheduling the longest cells first."""
        slow = self.fault == SLOW
        base = 4.5 if slow else (2.0 if "Retry-After" in self.fault else 1.2)
        return base * (2 if self.budget == "exhausted" else 1) + (3 if self.scope != "op" else 0)


def _cells() -> list[Cell]:
    cells = [Cell(resource, op, fault, budget)
             for budget in ("transient", "exhausted")
             for resource, ops in OPS.items()
             for op in ops
             for fault in FAULTS]
    for resource in OPS:
        for fault in sorted(LANDS):
            if resource != "PlanGroup":
                # A plan group's lookup is also the name check before its POST: with it failing, no POST is sent.
                cells.append(Cell(resource, "create", fault, "exhausted", scope="op+lookup"))
            cells.append(Cell(resource, "delete", fault, "exhausted", scope="op+confirm"))
    cells.append(Cell("Plan", "create", "commit_then_drop", "transient", control=True))
    return cells


CELLS = _cells()


# ------------------------------------------------------------------------------------------------- running


@dataclass
class Lane:
    """One emulator and its hosts; runs one cell at a time (fault rules are per emulator)."""

    emulator: Emulator
    transient: Engine  # timeoutSeconds 1, maxRetries default
    exhausted: Engine  # timeoutSeconds 1, maxRetries 2


@dataclass
class CellResult:
    cell: Cell
    problems: list[str]
    outcome: str
    accounting: Accounting
    routes: Counter[str]
    seconds: float
    note: str = ""
    error: str = ""


@dataclass
class _Run:
    """The state the engine would keep for the cell's resources, by logical name."""

    cell: Cell
    lane: Lane
    engine: Engine
    state: dict[str, ResourceState] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def expect(self, condition: bool, problem: str) -> None:
        if not condition:
            self.problems.append(problem)


def _last_line(details: str) -> str:
    lines = [line for line in details.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _type_and_provider(cell: Cell) -> tuple[str, str]:
    if cell.resource == "DataSource":
        return DATA_SOURCE, DATA_SOURCE_PROVIDER
    if cell.resource == "PlanGroup":
        return PLAN_GROUP, PLAN_GROUP_PROVIDER
    return PLAN, NAIVE_PROVIDER if cell.control else PLAN_PROVIDER


def run_cell(cell: Cell, lane: Lane) -> CellResult:
    emulator = lane.emulator
    emulator.reset()
    run = _Run(cell, lane, lane.exhausted if cell.budget == "exhausted" else lane.transient)
    engine = run.engine
    type_token, provider = _type_and_provider(cell)
    name = f"obj-{cell.slug}"

    # -- set up, no faults: the parent data source (and a member plan), and the object unless the cell creates it
    if cell.resource in ("Plan", "PlanGroup"):
        _, run.state["source"] = engine.up(DATA_SOURCE, f"src-{cell.slug}", source_inputs(f"src-{cell.slug}"),
                                           provider=DATA_SOURCE_PROVIDER)
        inputs = plan_inputs(run.state["source"].id, name)
    else:
        inputs = source_inputs(name)
    renamed = {**inputs, "name": f"Renamed {cell.slug}", "interval_count": 3}
    if cell.resource == "PlanGroup":
        _, run.state["member"] = engine.up(PLAN, f"member-{cell.slug}", inputs, provider=PLAN_PROVIDER)
        inputs = {"name": name, "plans": [run.state["member"].id], "adopt": False}
        renamed = {**inputs, "name": f"Renamed {cell.slug}"}
    if cell.op != "create":
        _, run.state["object"] = engine.up(type_token, name, inputs, provider=provider)

    # -- the operation under the fault
    emulator.set_faults(cell.rules())
    before, mark, started = emulator.stats(), log_size(emulator), time.monotonic()
    error: ProviderHostError | None = None
    try:
        if cell.op == "create":
            _, run.state["object"] = engine.up(type_token, name, inputs, provider=provider)
        elif cell.op == "read":
            refreshed = engine.refresh(run.state["object"])
            run.expect(refreshed is not None, "refresh dropped an object that exists")
            if refreshed is not None:
                run.state["object"] = refreshed
        elif cell.op == "update":
            step, run.state["object"] = engine.up(type_token, name, renamed, provider=provider,
                                                  prior=run.state["object"])
            run.expect(step == "update", f"step was {step}, not update")
        else:
            engine.destroy(run.state["object"])
            del run.state["object"]
    except ProviderHostError as exc:
        error = exc
    seconds = time.monotonic() - started
    if cell.budget == "transient":
        # A cell passes only if its fault really hit the operation: the rule's one use is spent.
        left = [rule["times"] for rule in emulator.faults()["rules"]]
        run.expect(left == [0], f"the fault never hit {cell.route} (uses left: {left})")
    emulator.clear_faults()
    if cell.fault == SLOW:
        time.sleep(SLOW_SETTLE_SECONDS)  # let every request the client gave up on land before counting
    routes = route_delta(before, emulator.stats())
    log = access_log(emulator, mark)
    deadline = time.monotonic() + 2
    while len(log) < sum(routes.values()) - _dropped(cell, routes) and time.monotonic() < deadline:
        time.sleep(0.05)  # the access log is written as each answer goes out: let the last lines arrive
        log = access_log(emulator, mark)
    accounting = account(emulator, run.state.values())
    outcome = "ok" if error is None else f"failed: {_last_line(error.details).removeprefix(ERRORS_MODULE)}"

    _check_outcome(run, error, renamed, inputs)
    _check_requests(run, routes, log)
    note = _check_accounting(run, accounting, error, type_token, name, inputs, provider)
    return CellResult(cell, run.problems, outcome, accounting, routes, seconds, note,
                      error.details if error is not None else "")


def _dropped(cell: Cell, routes: Counter[str]) -> int:
    """Requests that get no log line: those whose connection the fault dropped (the log is only a cross-check)."""
    return sum(routes.values()) if cell.fault in LANDS else 0


def _check_outcome(run: _Run, error: ProviderHostError | None, renamed: dict[str, Any],
                   inputs: dict[str, Any]) -> None:
    cell = run.cell
    expected = cell.expected()
    if expected.startswith("ok") or cell.control:
        run.expect(error is None, f"expected success, got: {error.details if error else ''}")
    else:
        run.expect(error is not None, "expected the operation to fail")
        if error is not None:
            last = _last_line(error.details)
            texts = FAILURE_TEXT[cell.fault]
            if cell.op == "create" and cell.fault in AMBIGUOUS_FOR_POST:
                texts += ("may have been created", "without being tracked", "adopt=True")
            for text in texts:
                run.expect(text in last, f"error does not say {text!r}: {last!r}")
    if cell.op == "update":
        listed = all_plan_groups(run.lane.emulator) if cell.resource == "PlanGroup" else all_plans(run.lane.emulator)
        [live] = [p for p in listed if p["uuid"] == run.state["object"].id]
        if error is None:
            run.expect(live["name"] == renamed["name"] == run.state["object"].outputs["name"],
                       f"update did not reach ChartMogul and the state: {live}")
        elif cell.fault not in LANDS:
            run.expect(live["name"] == inputs["name"], f"a refused update changed the plan: {live}")


def _check_requests(run: _Run, routes: Counter[str], log: list[tuple[str, str, int]]) -> None:
    """The request counts a correct retry policy makes, and for creates: look up before re-sending."""
    cell = run.cell
    sent = routes[cell.route]
    lookups = routes[cell.lookup_route]
    if cell.control:
        return
    if cell.op != "create":
        if cell.budget == "transient":
            run.expect(sent == 2, f"{cell.route} sent {sent} times, expected the faulty one and one retry")
        else:
            run.expect(sent <= 1 + EXHAUSTED_MAX_RETRIES, f"{cell.route} sent {sent} times with maxRetries 2")
        return
    before_post = LOOKUPS_BEFORE_POST[cell.resource]
    if cell.fault not in AMBIGUOUS_FOR_POST:
        # the server surely did nothing: plain retry, no lookup
        expected_sent = 2 if cell.budget == "transient" else 1 + EXHAUSTED_MAX_RETRIES
        run.expect(sent == expected_sent, f"POST sent {sent} times, expected {expected_sent}")
        run.expect(lookups == before_post, f"{lookups - before_post} lookups for a fault that cannot have created "
                                           "anything")
        return
    run.expect(lookups >= 1 + before_post, "an ambiguous create was not looked up")
    if cell.resource == "PlanGroup" and cell.fault in LANDS:
        # Unanswered: waited for by lookups, never re-sent (nothing would refuse a second group with the name).
        run.expect(sent == 1, f"an unanswered plan-group POST was sent {sent} times")
    elif cell.fault == "commit_then_drop" and cell.scope == "op":
        run.expect(sent == 1, f"the POST landed, yet was sent {sent} times")
    elif cell.budget == "transient" and cell.fault == SLOW:
        # Re-sent when the lookup ran before the slow POST landed (the late one is then refused as a duplicate by
        # the server), or not re-sent at all when a busy machine made the lookup find it.
        run.expect(sent in (1, 2), f"POST sent {sent} times, expected 1 or 2")
    elif cell.budget == "transient":
        run.expect(sent == 2, f"POST sent {sent} times, expected 2 (the lost one, then one after the lookup)")
    else:
        run.expect(sent <= 1 + EXHAUSTED_MAX_RETRIES, f"POST sent {sent} times with maxRetries 2")
    if cell.fault not in LANDS and cell.budget == "transient":
        # Answered faults are logged in order: the failed POST, the lookup, then the one re-sent POST.
        method, path = ROUTES[cell.resource, cell.op]
        seen = [(m, p.split("?")[0], s) for m, p, s in log if p.split("?")[0] == path]
        expected_log = [*[("GET", path, 200)] * before_post, (method, path, int(cell.fault)), ("GET", path, 200),
                        (method, path, CREATED[cell.resource])]
        run.expect(seen == expected_log, f"requests in the log: {seen}, expected {expected_log}")


def _check_accounting(run: _Run, accounting: Accounting, error: ProviderHostError | None, type_token: str,
                      name: str, inputs: dict[str, Any], provider: str) -> str:
    """Clean, except in the documented cells, where the documented recovery must make it clean."""
    cell = run.cell
    if cell.control:
        run.expect(accounting.duplicates >= 1 and len(accounting.orphans) >= 1,
                   f"the naive provider's duplicate was not detected: {accounting}")
        return "negative control: naive POST re-send"
    if cell.scope == "op+lookup" and error is not None:
        # The POST landed and no lookup could find it: one untracked object, by design impossible to avoid.
        run.expect(len(accounting.orphans) == 1 and accounting.duplicates == 0 and not accounting.stale,
                   f"expected exactly the one unconfirmed object: {accounting}")
        try:
            run.engine.up(type_token, name, inputs, provider=provider)
        except ProviderHostError as refused:
            run.expect("adopt=True" in _last_line(refused.details),
                       f"the re-run does not point at adopt=True: {_last_line(refused.details)}")
        else:
            run.problems.append("re-running the create without adopt took over an object silently")
        _, run.state["object"] = run.engine.up(type_token, name, {**inputs, "adopt": True}, provider=provider)
        after = account(run.lane.emulator, run.state.values())
        run.expect(after.clean, f"adopt=True did not recover it: {after}")
        return f"orphan until the next up with adopt=True: then {after.objects} objects, clean"
    if cell.scope == "op+confirm" and error is not None:
        # The DELETE landed and nothing could confirm it: the state still lists a deleted object.
        run.expect(accounting.stale == [run.state["object"].id] and not accounting.orphans,
                   f"expected exactly the one unconfirmed delete: {accounting}")
        refreshed = run.engine.refresh(run.state["object"])
        run.expect(refreshed is None, "refresh kept a deleted object")
        del run.state["object"]
        after = account(run.lane.emulator, run.state.values())
        run.expect(after.clean, f"refresh did not recover it: {after}")
        return "stale until the next refresh (or destroy: 404 = done), then clean"
    run.expect(accounting.clean, f"emulator and state disagree: {accounting}")
    if cell.op == "update" and error is not None and cell.fault in LANDS:
        return "PATCH landed, state keeps old fields: next up re-applies (drift, no orphan)"
    return ""


def _routes_text(cell: Cell, routes: Counter[str]) -> str:
    short = {cell.route: cell.method, cell.lookup_route: "lookup"}
    return " ".join(f"{short.get(route, route)}x{count}" for route, count in sorted(routes.items())
                    if route in short or cell.op == "create")


# ---------------------------------------------------------------------------------------------- the fixture


def _selected(request: pytest.FixtureRequest) -> list[Cell]:
    """The cells of this run (all of them, or those picked with -k), longest first."""
    params = [getattr(getattr(item, "callspec", None), "params", {}) for item in request.session.items]
    cells = {p["cell"] for p in params if "cell" in p}
    return sorted(cells, key=lambda c: (-c.estimated_seconds(), c.id))


@contextlib.contextmanager
def _lanes(count: int) -> Iterator[list[Lane]]:
    with contextlib.ExitStack() as stack:
        lanes = []
        for _ in range(count):
            emulator = stack.enter_context(running_emulator())
            transient = stack.enter_context(ProviderHost(
                host_config(emulator, API_KEY, timeoutSeconds=TIMEOUT_SECONDS)))
            exhausted = stack.enter_context(ProviderHost(host_config(
                emulator, API_KEY, timeoutSeconds=TIMEOUT_SECONDS, maxRetries=str(EXHAUSTED_MAX_RETRIES))))
            lanes.append(Lane(emulator, Engine(transient), Engine(exhausted)))
        yield lanes


@pytest.fixture(scope="module")
def matrix(request: pytest.FixtureRequest) -> dict[Cell, CellResult]:
    cells = _selected(request)
    work: queue.Queue[Cell] = queue.Queue()
    for cell in cells:
        work.put(cell)
    results: dict[Cell, CellResult] = {}
    lock = threading.Lock()

    def worker(lane: Lane) -> None:
        while True:
            try:
                cell = work.get_nowait()
            except queue.Empty:
                return
            try:
                result = run_cell(cell, lane)
            except Exception:  # the harness itself failed: report it on the cell
                result = CellResult(cell, [traceback.format_exc()], "harness error", Accounting(0, 0, [], []),
                                    Counter(), 0.0)
            with lock:
                results[cell] = result
            a = result.accounting
            REPORT.add_row(MatrixRow(
                resource=cell.resource, op=cell.op, fault=cell.fault, budget=cell.budget, scope=cell.scope,
                expected=cell.expected(), outcome=result.outcome[:60], passed=not result.problems,
                duplicates=a.duplicates, orphans=len(a.orphans), stale=len(a.stale),
                requests=_routes_text(cell, result.routes), seconds=result.seconds, note=result.note,
                kind="control" if cell.control else ("documented" if cell.scope != "op" else "cell")))

    started = time.monotonic()
    with _lanes(min(LANES, max(1, len(cells)))) as lanes:
        threads = [threading.Thread(target=worker, args=(lane,), name=f"lane-{i}") for i, lane in enumerate(lanes)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    REPORT.add_figure("fault matrix timing", (
        f"{len(results)} cells in {len(lanes)} lanes (an emulator and two provider hosts each): "
        f"{time.monotonic() - started:.1f} s wall, {sum(r.seconds for r in results.values()):.1f} s inside the "
        "operations under fault"))
    return results


@pytest.mark.parametrize("cell", CELLS, ids=[cell.id for cell in CELLS])
def test_cell(cell: Cell, matrix: dict[Cell, CellResult]) -> None:
    result = matrix[cell]
    assert not result.problems, "\n".join(
        [f"{cell.id}: {result.outcome}", *result.problems, f"accounting: {result.accounting}",
         f"requests: {dict(result.routes)}"])
