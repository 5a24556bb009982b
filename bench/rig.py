"""What every measurement through the provider host stands on: one emulator, one configured host, a plain gRPC
channel to it, and the data source plans live in.

The timed calls use that channel rather than ``testkit.host.ProviderHost``'s own methods, which record every
message and so cost the caller time; untimed set-up goes through :class:`~testkit.engine.Engine`. The key,
the bench's own providers and the small helpers live here too because the CLI and adoption rows share them.
"""

from __future__ import annotations

import os
import statistics
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import grpc
import requests
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from bench.echo_provider import EchoProvider
from bench.passthrough_provider import PassthroughProvider
from testkit.emulator import Emulator, running_emulator
from testkit.engine import Engine
from testkit.host import ProviderHost, ResourceState
from testkit.inputs import host_config
from testkit.providers import DATA_SOURCE, DATA_SOURCE_PROVIDER, PLAN, PLAN_PROVIDER
from testkit.wire import decode_properties, encode_properties

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


# The host-path rows measure the provider host against bare requests, on an emulator without limits: unpaced, or
# the account's pace (38 requests/s, api/pacing.py) would be what they measure. The limits rows (bench/limits.py)
# measure the pace.
UNPACED = "100000"


@contextmanager
def bench_setup(latency_ms: int, threads: int) -> Iterator[Bench]:
    with running_emulator("--latency-ms", str(latency_ms)) as emulator, \
            ProviderHost(host_config(emulator, API_KEY, timeoutSeconds="30", requestsPerSecond=UNPACED),
                         timeout=RPC_TIMEOUT) as host:
        channel = grpc.insecure_channel(f"127.0.0.1:{host.port}", options=list(_GRPC_CHANNEL_OPTIONS))
        try:
            grpc.channel_ready_future(channel).result(timeout=30)
            _, source = Engine(host).up(DATA_SOURCE, "bench-source", {"name": "Bench billing", "adopt": False},
                                        provider=DATA_SOURCE_PROVIDER)
            yield Bench(emulator, host, provider_pb2_grpc.ResourceProviderStub(channel), source.id, latency_ms,
                        threads)
        finally:
            channel.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
