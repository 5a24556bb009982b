"""One CRUD call at a time: what the host and gRPC add to an API request, and what pulumi-chartmogul adds on top.

Each call is timed three ways, interleaved: our provider through the host, a provider that forwards the request
with bare ``requests`` through the same host, and the request alone with bare ``requests``. Requests are encoded
before the clock starts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from google.protobuf import empty_pb2
from pulumi.runtime.proto import provider_pb2

from bench.rig import PASSTHROUGH, PASSTHROUGH_PROVIDER, PROVIDER_KEY, RPC_TIMEOUT, Bench, median_ms
from pulumi_chartmogul.resources.plan import api_body
from testkit.host import ResourceState
from testkit.inputs import plan_inputs
from testkit.wire import decode_properties, encode_properties


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
