"""The measurements, each driving the real provider host (``python -m pulumi.dynamic``) the way the engine does.

Timed gRPC calls go through a plain channel of our own to the host (``testkit.harness.ProviderHost`` records
every message, which costs the caller time); requests are encoded before the clock starts, and a Create is
sent the inputs its Check returned, untouched, as the engine does. Untimed set-up uses the harness's
:class:`~testkit.harness.Engine`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import grpc
import requests
from google.protobuf import empty_pb2
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from bench.echo_provider import EchoProvider
from bench.passthrough_provider import PassthroughProvider
from pulumi_chartmogul.resources.plan import api_body
from testkit.emulator import Emulator, running_emulator
from testkit.harness import Engine, ProviderHost, ResourceState, decode_properties, encode_properties
from testkit.inputs import host_config, plan_inputs
from testkit.providers import DATA_SOURCE, DATA_SOURCE_PROVIDER, PLAN, PLAN_GROUP, PLAN_GROUP_PROVIDER, PLAN_PROVIDER

API_KEY = "sk-bench-0f3a9c2e71"
ECHO = "pulumi-python:dynamic/bench:Echo"
PASSTHROUGH = "pulumi-python:dynamic/bench:Passthrough"
PROVIDER_KEY = "__provider"
ECHO_PROVIDER = serialize_provider(EchoProvider())
PASSTHROUGH_PROVIDER = serialize_provider(PassthroughProvider())
RPC_TIMEOUT = 300.0
HOST_WORKERS = 4  # grpc.server(ThreadPoolExecutor(max_workers=4)) in pulumi/dynamic/__main__.py


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def requests_seen(emulator: Emulator) -> int:
    return int(emulator.stats()["requests"])


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


# ---------------------------------------------------------------------------------------------- the bench


def bare_session() -> requests.Session:
    """A keep-alive session set up like the provider's (client.py ``_session``)."""
    session = requests.Session()
    session.auth = (API_KEY, "")
    session.headers["User-Agent"] = "pulumi-chartmogul-bench"
    session.headers["Accept"] = "application/json"
    session.trust_env = False
    return session


@dataclass
class Bench:
    """One emulator, one configured host, a plain channel to it, and the data source plans live in."""

    emulator: Emulator
    host: ProviderHost
    stub: Any
    source_uuid: str
    latency_ms: int
    threads: int
    states: list[ResourceState] = field(default_factory=list)

    def urn(self, name: str, type_token: str = PLAN) -> str:
        return self.host.urn(type_token, name)

    def check_request(self, name: str, inputs: Mapping[str, Any],
                      olds: Mapping[str, Any] | None = None) -> provider_pb2.CheckRequest:
        return provider_pb2.CheckRequest(
            urn=self.urn(name), name=name, type=PLAN, olds=encode_properties(olds or {}),
            news=encode_properties({**inputs, PROVIDER_KEY: PLAN_PROVIDER}), randomSeed=os.urandom(32),
        )

    def create_request(self, name: str, checked: Any) -> provider_pb2.CreateRequest:
        return provider_pb2.CreateRequest(urn=self.urn(name), name=name, type=PLAN, properties=checked,
                                          timeout=RPC_TIMEOUT, preview=False)

    def state(self, name: str, checked: Any, created: Any) -> ResourceState:
        return ResourceState(type_token=PLAN, name=name, urn=self.urn(name), id=created.id,
                             inputs=decode_properties(checked), outputs=decode_properties(created.properties))

    def session(self) -> requests.Session:
        return bare_session()


@contextmanager
def bench_setup(latency_ms: int, threads: int) -> Iterator[Bench]:
    with running_emulator("--latency-ms", str(latency_ms)) as emulator, \
            ProviderHost(host_config(emulator, API_KEY, timeoutSeconds="30"), timeout=RPC_TIMEOUT) as host:
        channel = grpc.insecure_channel(f"127.0.0.1:{host.port}", options=list(_GRPC_CHANNEL_OPTIONS))
        try:
            grpc.channel_ready_future(channel).result(timeout=30)
            _, source = Engine(host).up(DATA_SOURCE, "bench-source", {"name": "Bench billing", "adopt": False},
                                        provider=DATA_SOURCE_PROVIDER)
            yield Bench(emulator, host, provider_pb2_grpc.ResourceProviderStub(channel), source.id, latency_ms,
                        threads)
        finally:
            channel.close()


# -------------------------------------------------------------------------------------------- provision


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


# ---------------------------------------------------------------------------------------------- preview


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


# --------------------------------------------------------------------------------------------- overhead


@dataclass
class Overhead:
    """Median times of one CRUD call: our provider through the host, the bare-requests provider through the
    same host, and the same request with bare ``requests``."""

    operation: str
    route: str
    host_ms: float
    passthrough_ms: float
    bare_ms: float

    @property
    def ratio(self) -> float:
        return self.host_ms / self.bare_ms

    @property
    def extra_ms(self) -> float:
        return self.host_ms - self.bare_ms

    @property
    def host_machinery_ms(self) -> float:
        """What the host and gRPC add to a request, whichever provider runs in it."""
        return self.passthrough_ms - self.bare_ms

    @property
    def provider_ms(self) -> float:
        """What pulumi-chartmogul adds on top of the bare-requests provider."""
        return self.host_ms - self.passthrough_ms


def _interleaved(count: int, warmup: int, calls: list[Callable[[int], Any]]) -> list[list[float]]:
    """Call each of ``calls`` once per round, in an order rotating every round (so drift and ordering effects hit
    all alike), timing each; warm-up rounds are dropped."""
    samples: list[list[float]] = [[] for _ in calls]
    for i in range(warmup + count):
        for k in range(len(calls)):
            j = (i + k) % len(calls)
            start = time.perf_counter()
            calls[j](i)
            elapsed = time.perf_counter() - start
            if i >= warmup:
                samples[j].append(elapsed)
    return samples


def overhead(bench: Bench, repeat: int, warmup: int = 5) -> list[Overhead]:
    """Each CRUD call, one at a time: through the host with our provider, through the host with the
    bare-requests provider, and with bare ``requests``. Medians of ``repeat`` samples each."""
    total = warmup + repeat
    api = bench.emulator.api_root
    session = bench.session()

    def bare(method: str, path: str, body: Mapping[str, Any] | None = None) -> Any:
        response = session.request(method, f"{api}{path}", json=body, timeout=RPC_TIMEOUT)
        response.raise_for_status()
        return response.json() if response.content else None

    def medians(operation: str, route: str, samples: list[list[float]]) -> Overhead:
        return Overhead(operation, route, *(median_ms(s) for s in samples))

    results: list[Overhead] = []

    # create: Create with the inputs its Check returned (the Check ran beforehand, untimed) vs POST /plans
    cm_names = [f"ovh-{i:03d}" for i in range(total)]
    pt_names = [f"ovp-{i:03d}" for i in range(total)]
    cm_creates = []
    for name in cm_names:
        checked = bench.stub.Check(bench.check_request(name, plan_inputs(bench.source_uuid, name)))
        cm_creates.append(bench.create_request(name, checked.inputs))
    pt_creates = [provider_pb2.CreateRequest(
        urn=bench.urn(name, PASSTHROUGH), name=name, type=PASSTHROUGH, timeout=RPC_TIMEOUT,
        properties=encode_properties({**plan_inputs(bench.source_uuid, name), PROVIDER_KEY: PASSTHROUGH_PROVIDER}))
        for name in pt_names]
    bare_bodies = [api_body(plan_inputs(bench.source_uuid, f"ovb-{i:03d}")) for i in range(total)]
    cm_created: list[Any] = []
    pt_created: list[Any] = []
    bare_uuids: list[str] = []
    samples = _interleaved(repeat, warmup, [
        lambda i: cm_created.append(bench.stub.Create(cm_creates[i], timeout=RPC_TIMEOUT)),
        lambda i: pt_created.append(bench.stub.Create(pt_creates[i], timeout=RPC_TIMEOUT)),
        lambda i: bare_uuids.append(bare("POST", "/plans", bare_bodies[i])["uuid"]),
    ])
    results.append(medians("create", "POST /v1/plans", samples))
    cm_states = [bench.state(name, request.properties, created)
                 for name, request, created in zip(cm_names, cm_creates, cm_created, strict=True)]
    pt_states = [ResourceState(PASSTHROUGH, name, request.urn, created.id, decode_properties(request.properties),
                               decode_properties(created.properties))
                 for name, request, created in zip(pt_names, pt_creates, pt_created, strict=True)]

    # read: Read(id, old outputs, old inputs), as refresh sends it, vs GET /plans/{uuid}
    def read_request(s: ResourceState) -> provider_pb2.ReadRequest:
        return provider_pb2.ReadRequest(id=s.id, urn=s.urn, name=s.name, type=s.type_token,
                                        properties=encode_properties(s.outputs), inputs=encode_properties(s.inputs),
                                        timeout=RPC_TIMEOUT)

    cm_reads = [read_request(s) for s in cm_states]
    pt_reads = [read_request(s) for s in pt_states]
    samples = _interleaved(repeat, warmup, [
        lambda i: bench.stub.Read(cm_reads[i], timeout=RPC_TIMEOUT),
        lambda i: bench.stub.Read(pt_reads[i], timeout=RPC_TIMEOUT),
        lambda i: bare("GET", f"/plans/{bare_uuids[i]}"),
    ])
    results.append(medians("read", "GET /v1/plans/{uuid}", samples))

    # update: a rename; both providers PATCH every updatable field
    def update_request(i: int, s: ResourceState) -> provider_pb2.UpdateRequest:
        return provider_pb2.UpdateRequest(
            id=s.id, urn=s.urn, name=s.name, type=s.type_token, olds=encode_properties(s.outputs),
            news=encode_properties({**s.inputs, "name": f"Renamed {i}"}), old_inputs=encode_properties(s.inputs),
            timeout=RPC_TIMEOUT, preview=False)

    cm_updates = [update_request(i, s) for i, s in enumerate(cm_states)]
    pt_updates = [update_request(i, s) for i, s in enumerate(pt_states)]
    samples = _interleaved(repeat, warmup, [
        lambda i: bench.stub.Update(cm_updates[i], timeout=RPC_TIMEOUT),
        lambda i: bench.stub.Update(pt_updates[i], timeout=RPC_TIMEOUT),
        lambda i: bare("PATCH", f"/plans/{bare_uuids[i]}",
                       {"interval_count": 1, "interval_unit": "month", "name": f"Renamed {i}"}),
    ])
    results.append(medians("update", "PATCH /v1/plans/{uuid}", samples))

    # delete: Delete(id, old outputs), as destroy sends it, vs DELETE /plans/{uuid}
    def delete_request(s: ResourceState) -> provider_pb2.DeleteRequest:
        return provider_pb2.DeleteRequest(id=s.id, urn=s.urn, name=s.name, type=s.type_token,
                                          properties=encode_properties(s.outputs),
                                          old_inputs=encode_properties(s.inputs), timeout=RPC_TIMEOUT)

    cm_deletes = [delete_request(s) for s in cm_states]
    pt_deletes = [delete_request(s) for s in pt_states]
    samples = _interleaved(repeat, warmup, [
        lambda i: bench.stub.Delete(cm_deletes[i], timeout=RPC_TIMEOUT),
        lambda i: bench.stub.Delete(pt_deletes[i], timeout=RPC_TIMEOUT),
        lambda i: bare("DELETE", f"/plans/{bare_uuids[i]}"),
    ])
    results.append(medians("delete", "DELETE /v1/plans/{uuid}", samples))
    session.close()
    return results


def empty_rpc(bench: Bench, samples: int = 100, idle_seconds: float = 0.05) -> tuple[float, float]:
    """Median round trip of an RPC the host answers without work (GetPluginInfo): back to back, and after
    ``idle_seconds`` of idleness (as when a call waits on the API's latency). Both in ms."""
    def once() -> float:
        start = time.perf_counter()
        bench.stub.GetPluginInfo(empty_pb2.Empty(), timeout=RPC_TIMEOUT)
        return time.perf_counter() - start

    for _ in range(10):
        once()
    busy = [once() for _ in range(samples)]
    idle = []
    for _ in range(samples):
        time.sleep(idle_seconds)
        idle.append(once())
    return median_ms(busy), median_ms(idle)


# ------------------------------------------------------------------------------------ requests per operation


def requests_per_operation(bench: Bench, resources: int = 10, kind: str = "plan") -> dict[str, float]:
    """API requests per resource for each engine operation, from the emulator's counter: for plans, or (``kind``
    "group") for plan groups whose members are plans made for the purpose."""
    engine = Engine(bench.host)
    counts: dict[str, float] = {}

    def counted(label: str, action: Callable[[int], Any]) -> list[Any]:
        before = requests_seen(bench.emulator)
        out = [action(i) for i in range(resources)]
        counts[label] = (requests_seen(bench.emulator) - before) / resources
        return out

    names = [f"rpo-{kind}-{i:02d}" for i in range(resources)]
    if kind == "group":
        members = [engine.up(PLAN, f"{name}-member", plan_inputs(bench.source_uuid, f"{name}-member"),
                             provider=PLAN_PROVIDER)[1] for name in names]
        token, provider = PLAN_GROUP, PLAN_GROUP_PROVIDER
        inputs = [{"name": f"Group {name}", "plans": [members[i].id], "adopt": False} for i, name in enumerate(names)]
    else:
        token, provider = PLAN, PLAN_PROVIDER
        inputs = [plan_inputs(bench.source_uuid, name) for name in names]
    counted("preview of a create (check)", lambda i: engine.preview(token, names[i], inputs[i], provider=provider))
    states = [s for _, s in counted("create (check, create)",
                                    lambda i: engine.up(token, names[i], inputs[i], provider=provider))]
    counted("no-change up (check, diff)",
            lambda i: engine.up(token, names[i], inputs[i], provider=provider, prior=states[i]))
    renamed = [{**inputs[i], "name": f"Renamed {i}"} for i in range(resources)]
    counted("preview of an update (check, diff)",
            lambda i: engine.preview(token, names[i], renamed[i], provider=provider, prior=states[i]))
    steps = counted("update (check, diff, update)",
                    lambda i: engine.up(token, names[i], renamed[i], provider=provider, prior=states[i]))
    if any(step != "update" for step, _ in steps):
        raise RuntimeError(f"expected updates, got {[step for step, _ in steps]}")
    states = [s for _, s in steps]
    refreshed = counted("refresh (read, diff)", lambda i: engine.refresh(states[i]))
    if any(r is None for r in refreshed):
        raise RuntimeError(f"a refreshed {kind} was reported gone")
    counted("delete", lambda i: engine.destroy(states[i]))
    return counts


# -------------------------------------------------------------------------------------------- state size


@dataclass
class StateSize:
    provider_bytes: int
    outputs_bytes: int
    inputs_bytes: int


def state_size(state: ResourceState) -> StateSize:
    def size(props: Mapping[str, Any]) -> int:
        return len(json.dumps(props, separators=(",", ":")).encode())

    return StateSize(len(str(state.outputs[PROVIDER_KEY]).encode()), size(state.outputs), size(state.inputs))


# -------------------------------------------------------------------------------------------- cold start


@dataclass
class ColdStart:
    echo_seconds: float
    chartmogul_seconds: float
    echo_with_check_seconds: float
    chartmogul_with_check_seconds: float
    trials: int
    echo_cpu_seconds: float = 0.0
    chartmogul_cpu_seconds: float = 0.0
    parts: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.chartmogul_seconds / self.echo_seconds

    @property
    def ratio_with_check(self) -> float:
        return self.chartmogul_with_check_seconds / self.echo_with_check_seconds


def _first_create(config: dict[str, str], type_token: str, provider: str, props: Mapping[str, Any],
                  with_check: bool) -> tuple[float, float]:
    """Start a host and time it until its first Create has answered (after a Check, if ``with_check``).

    Returns the wall time and the CPU time the host process used by then (less sensitive to other load)."""
    news = {**props, PROVIDER_KEY: provider}
    start = time.perf_counter()
    with ProviderHost(config, timeout=RPC_TIMEOUT) as host:
        if with_check:
            checked = host.check(type_token, "first", {}, news)
            if checked.failures:
                raise RuntimeError(f"check failed: {checked.failures}")
            news = checked.inputs
        host.create(type_token, "first", news)
        wall = time.perf_counter() - start
        return wall, cpu_seconds(host.process.pid)


def cold_start(trials: int) -> ColdStart:
    """Host start to first Create with this package vs with ``bench.echo_provider`` (API at 0 ms latency)."""
    with running_emulator("--latency-ms", "0") as emulator:
        config = host_config(emulator, API_KEY, timeoutSeconds="30")
        source = emulator.api("POST", "/data_sources", key=API_KEY, json={"name": "Cold start"}).json()["uuid"]
        samples: dict[tuple[str, bool], list[float]] = {}
        cpu: dict[str, list[float]] = {}
        for trial in range(trials + 1):  # the first round only warms caches (bytecode, page cache)
            for with_check in (False, True):
                for kind, type_token, provider in (("echo", ECHO, ECHO_PROVIDER), ("cm", PLAN, PLAN_PROVIDER)):
                    props = plan_inputs(source, f"cold-{trial}-{with_check:d}")
                    wall, cpu_used = _first_create(config, type_token, provider, props, with_check)
                    if trial:
                        samples.setdefault((kind, with_check), []).append(wall)
                        if not with_check:
                            cpu.setdefault(kind, []).append(cpu_used)
        parts = first_calls(emulator, source, trials)
    return ColdStart(
        echo_seconds=statistics.median(samples[("echo", False)]),
        chartmogul_seconds=statistics.median(samples[("cm", False)]),
        echo_with_check_seconds=statistics.median(samples[("echo", True)]),
        chartmogul_with_check_seconds=statistics.median(samples[("cm", True)]),
        trials=trials,
        echo_cpu_seconds=statistics.median(cpu["echo"]),
        chartmogul_cpu_seconds=statistics.median(cpu["cm"]),
        parts=parts,
    )


def first_calls(emulator: Emulator, source: str, trials: int) -> dict[str, Any]:
    """``bench.first_calls`` in fresh processes: medians of each step, and what each step loaded."""
    runs: list[dict[str, Any]] = []
    for _ in range(trials):
        command = [sys.executable, "-m", "bench.first_calls", PLAN_PROVIDER, emulator.api_root, source]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
        runs.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    parts: dict[str, Any] = {key: value for key, value in runs[-1].items() if not key.endswith("_ms")}
    for key in runs[0]:
        if key.endswith("_ms"):
            parts[key] = statistics.median(run[key] for run in runs)
    return parts


# --------------------------------------------------------------------------------------------- program


def program_scale(plans: int, *, stock: bool = False) -> dict[str, Any]:
    """``bench.program`` in its own process: N plans declared under ``pulumi.runtime.set_mocks``."""
    command = [sys.executable, "-m", "bench.program", "--plans", str(plans), *(["--stock"] if stock else [])]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    lines = completed.stdout.strip().splitlines()
    if completed.returncode != 0 or not lines:
        return {"completed": False, "error": f"exit {completed.returncode}: {completed.stderr[-2000:]}",
                "failed_at": None}
    result: dict[str, Any] = json.loads(lines[-1])
    return result
