"""What a fresh provider host pays before its first Create answers, against a provider that does no HTTP, and
where that time goes. Each figure needs hosts of its own, so none of this runs on the shared rig.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bench.rig import API_KEY, ECHO, ECHO_PROVIDER, PROVIDER_KEY, RPC_TIMEOUT, UNPACED, cpu_seconds
from testkit.emulator import Emulator, running_emulator
from testkit.host import ProviderHost
from testkit.inputs import host_config, plan_inputs
from testkit.providers import PLAN, PLAN_PROVIDER


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
        config = host_config(emulator, API_KEY, timeoutSeconds="30", requestsPerSecond=UNPACED)
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
