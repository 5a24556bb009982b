"""The sentences under the table: for each target a figure missed, why, worked out from the figures themselves.

Kept apart from the measurements so ``__main__`` reads as their sequence, and beside ``report``, which renders
these notes below the table.
"""

from __future__ import annotations

import os
import statistics

from bench.cold_start import ColdStart
from bench.overhead import Overhead
from bench.report import ratio
from bench.rig import HOST_WORKERS
from bench.targets import COLD_START_TARGET, OVERHEAD_TARGET, PROVISION_TARGET
from bench.throughput import Provision


def provision_notes(prov: Provision, floor: float, host_floor: float, bound: float,
                    overheads: list[Overhead], n: int, latency: int) -> list[str]:
    """Why provision missed its target, if it did."""
    prov_ratio = prov.wall_seconds / bound if bound else None
    floor_ratio = floor / bound if bound else None
    host_floor_ratio = host_floor / bound if bound else None
    if not prov_ratio or prov_ratio <= PROVISION_TARGET:
        return []
    mean_bare = statistics.mean(o.bare_ms for o in overheads)  # sequential, so one call's own time
    cycle = prov.wall_seconds * HOST_WORKERS / n * 1000
    floor_cycle = floor * HOST_WORKERS / n * 1000
    return [
        f"provision ({ratio(prov_ratio)} > {PROVISION_TARGET:.2f}): the bound N x latency / 4 counts every API "
        f"call as exactly {latency} ms. A call with bare requests takes {mean_bare:.1f} ms here one at a time "
        f"(overhead rows), and with 4 at once on these {os.cpu_count()} cores {floor_cycle:.1f} ms: the floor, "
        f"the same POSTs without Pulumi, is already {ratio(floor_ratio or 0)} of the bound. Through the host "
        f"each of its 4 workers spends {cycle:.1f} ms per plan: the Create's API call, the host and gRPC "
        f"cost of two RPCs (Check and Create, see the overhead split), and CPU contention among the host, "
        f"the emulator and the engine stand-in (CPU row). A provider that only forwards the POST with bare "
        f"requests gets {ratio(host_floor_ratio or 0)} through the same host; pulumi-chartmogul's own share "
        f"is the difference, {ratio((prov_ratio or 0) - (host_floor_ratio or 0))} of the bound "
        f"({(prov.wall_seconds - host_floor) * HOST_WORKERS / n * 1000:+.2f} ms per plan per worker; "
        f"{statistics.mean(o.provider_ms for o in overheads):+.2f} ms per call one at a time, split row). "
        f"The gap to the target is the API's own time per call and the host's fixed cost per RPC; at higher "
        f"latency these weigh less (try --latency-ms 200)."]


def overhead_notes(overheads: list[Overhead], busy_rpc: float, idle_rpc: float) -> list[str]:
    """Why an operation's overhead missed its target, for each that did."""
    notes: list[str] = []
    for o in overheads:
        if o.ratio > OVERHEAD_TARGET:
            notes.append(
                f"overhead of {o.operation} ({ratio(o.ratio)} > {OVERHEAD_TARGET:.2f}): +{o.extra_ms:.2f} ms, of "
                f"which {o.host_machinery_ms:+.2f} ms is the host and gRPC (the same request from a bare-requests "
                f"provider in the same host) and {o.provider_ms:+.2f} ms pulumi-chartmogul. The host's share is "
                f"an RPC round trip that starts from idle after waiting on the API ({idle_rpc:.2f} ms for an "
                f"empty RPC after 50 ms idle vs {busy_rpc:.2f} ms back to back) plus decoding the request and "
                f"encoding the reply (pulumi/dynamic/__main__.py builds a new asyncio event loop per call): "
                f"fixed costs of Pulumi's host, which no provider code can remove.")

    return notes


def cold_start_notes(cold: ColdStart) -> list[str]:
    """Why the first Create costs more than the echo provider's, if it costs more than the target allows."""
    notes: list[str] = []
    if cold.ratio > COLD_START_TARGET:
        parts = cold.parts
        extra = (cold.chartmogul_seconds - cold.echo_seconds) * 1000
        first_call = parts["first_create_ms"] - parts["second_create_ms"]
        notes.append(
            f"cold start ({ratio(cold.ratio)} > {COLD_START_TARGET}): the first Create costs {extra:.0f} ms more "
            f"than the echo provider's. Unpickling and configuring the provider takes {parts['load_ms']:.0f} ms "
            f"and loads neither requests nor pydantic (imports are lazy); the first API call takes "
            f"{first_call:.0f} ms more than the next one: importing requests (with urllib3, charset_normalizer, "
            f"idna, http.cookiejar), building the session and opening the connection. The echo provider does no "
            f"HTTP at all; any provider that calls the API with requests pays this once per host. Meeting "
            f"{COLD_START_TARGET}x would mean dropping requests, which the design card fixes as the HTTP library "
            f"(urllib3, which requests is built on, imports in about half the time; most of the rest is "
            f"requests loading charset_normalizer, which the provider never uses). In the engine's order a Check comes "
            f"first and loads pydantic ({parts['first_check_ms']:.0f} ms, the validation models included): "
            f"{ratio(cold.ratio_with_check)} of the echo host.")
    return notes
