"""Many resources at once through the host, as ``pulumi up`` and ``pulumi preview`` drive it, against the floor
of the same API calls with no Pulumi at all.

Requests are encoded before the clock starts, and a Create is sent the inputs its Check returned, untouched, as
the engine does.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime.proto import provider_pb2

from bench.rig import (
    HOST_WORKERS,
    PASSTHROUGH,
    PASSTHROUGH_PROVIDER,
    PROVIDER_KEY,
    RPC_TIMEOUT,
    Bench,
    bare_session,
    cpu_seconds,
    median_ms,
    requests_seen,
)
from pulumi_chartmogul.resources.plan import api_body
from testkit.inputs import plan_inputs
from testkit.providers import PLAN, PLAN_PROVIDER
from testkit.wire import encode_properties


@dataclass
class Provision:
    plans: int
    wall_seconds: float
    posts: int
    requests: int
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds used during the run, per process


def provision(bench: Bench, plans: int, *, passthrough: bool = False) -> Provision:
    """``pulumi up`` creating ``plans`` new plans: Check then Create per plan, ``bench.threads`` steps at once.

    With ``passthrough``, the plans are bench/passthrough_provider.py resources (the same POSTs from a provider
    with no validation and bare requests), to show what the host costs whatever the provider."""
    type_token, blob, prefix = (PASSTHROUGH, PASSTHROUGH_PROVIDER, "pt") if passthrough else (PLAN, PLAN_PROVIDER,
                                                                                            "plan")
    names = [f"{prefix}-{i:05d}" for i in range(plans)]
    checks = [provider_pb2.CheckRequest(
        urn=bench.urn(name, type_token), name=name, type=type_token, olds=encode_properties({}),
        news=encode_properties({**plan_inputs(bench.source_uuid, name), PROVIDER_KEY: blob}),
        randomSeed=os.urandom(32)) for name in names]
    results: list[tuple[Any, Any] | None] = [None] * plans

    def step(i: int) -> None:
        checked = bench.stub.Check(checks[i], timeout=RPC_TIMEOUT)
        if checked.failures:
            raise RuntimeError(f"check failed for {names[i]}: {checked.failures}")
        created = bench.stub.Create(provider_pb2.CreateRequest(
            urn=checks[i].urn, name=names[i], type=type_token, properties=checked.inputs, timeout=RPC_TIMEOUT,
            preview=False), timeout=RPC_TIMEOUT)
        results[i] = (checked.inputs, created)

    before = bench.emulator.stats()
    pids = {"host": bench.host.process.pid, "emulator": bench.emulator.process.pid}
    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    own_before = time.process_time()
    start = time.perf_counter()
    with ThreadPoolExecutor(bench.threads) as pool:
        list(pool.map(step, range(plans)))
    wall = time.perf_counter() - start
    cpu = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in pids.items()}
    cpu["engine stand-in"] = time.process_time() - own_before
    after = bench.emulator.stats()
    posts = after["by_route"].get("POST /v1/plans", 0) - before["by_route"].get("POST /v1/plans", 0)
    if not passthrough:
        bench.states = []
        for name, result in zip(names, results, strict=True):
            assert result is not None
            state = bench.state(name, *result)
            if not state.id.startswith("pl_"):
                raise RuntimeError(f"unexpected id {state.id!r} for {name}")
            bench.states.append(state)
    return Provision(plans, wall, posts, after["requests"] - before["requests"], cpu)


def provision_floor(bench: Bench, plans: int) -> float:
    """The same POSTs with bare ``requests``, from as many keep-alive sessions as the host has workers."""
    return posts_floor(bench.emulator.api_root, bench.source_uuid, plans)


def posts_floor(api_root: str, source_uuid: str, plans: int, prefix: str = "floor") -> float:
    """Wall time of ``plans`` plan POSTs into ``source_uuid`` with bare ``requests``, 4 keep-alive sessions
    (as many as the host has workers) sending at once: the floor of creating that many plans on this machine."""
    bodies = [api_body(plan_inputs(source_uuid, f"{prefix}-{i:05d}")) for i in range(plans)]
    local = threading.local()
    url = f"{api_root}/plans"

    def post(i: int) -> None:
        session = getattr(local, "session", None)
        if session is None:
            session = local.session = bare_session()
        response = session.post(url, json=bodies[i], timeout=RPC_TIMEOUT)
        response.raise_for_status()
        response.json()

    start = time.perf_counter()
    with ThreadPoolExecutor(HOST_WORKERS) as pool:
        list(pool.map(post, range(plans)))
    return time.perf_counter() - start


@dataclass
class Preview:
    resources: int
    wall_seconds: float
    sequential_ms: float
    requests: int


def preview(bench: Bench, sequential_sample: int = 200) -> Preview:
    """``pulumi preview`` of unchanged resources: Check(olds=old inputs) then Diff(old outputs) for each."""
    states = bench.states
    checks = [bench.check_request(s.name, {k: v for k, v in s.inputs.items() if k != PROVIDER_KEY}, s.inputs)
              for s in states]
    olds = [(encode_properties(s.outputs), encode_properties(s.inputs)) for s in states]

    def step(i: int) -> float:
        begin = time.perf_counter()
        checked = bench.stub.Check(checks[i], timeout=RPC_TIMEOUT)
        state = states[i]
        diff = bench.stub.Diff(provider_pb2.DiffRequest(
            id=state.id, urn=state.urn, name=state.name, type=PLAN, olds=olds[i][0], news=checked.inputs,
            old_inputs=olds[i][1]), timeout=RPC_TIMEOUT)
        if checked.failures or diff.changes != provider_pb2.DiffResponse.DIFF_NONE:
            raise RuntimeError(f"{state.name} is not unchanged: {checked.failures} {diff}")
        return time.perf_counter() - begin

    for i in range(min(20, len(states))):  # warm-up
        step(i)
    before = requests_seen(bench.emulator)
    start = time.perf_counter()
    with ThreadPoolExecutor(bench.threads) as pool:
        list(pool.map(step, range(len(states))))
    wall = time.perf_counter() - start
    sequential = [step(i) for i in range(min(sequential_sample, len(states)))]
    return Preview(len(states), wall, median_ms(sequential), requests_seen(bench.emulator) - before)
