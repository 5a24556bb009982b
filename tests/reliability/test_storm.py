"""429 storm: plan creates pushed through one provider host with the engine's parallelism, against an emulator
that enforces the real API's 40 requests/second and answers 429 to a further fraction of requests at random.

8 client threads call Create at once (``pulumi up`` issues many steps at once; the host serves 4 and queues the
rest in gRPC). Every create must succeed, exactly once: no failure, no duplicate, no orphan, and the run ends.
Sized for CI (200 creates, at 40 requests/second at least 5 s); ``PULUMI_CHARTMOGUL_STORM_N=1000`` runs the
opt-in size.
"""

from __future__ import annotations

import os
import threading
from collections import Counter

from testkit.emulator import running_emulator
from testkit.engine import Engine
from testkit.host import ProviderHost, ResourceState
from testkit.inputs import host_config, plan_inputs, source_inputs
from testkit.providers import DATA_SOURCE, DATA_SOURCE_PROVIDER, PLAN, PLAN_PROVIDER
from tests.reliability.report import REPORT
from tests.reliability.support import (
    API_KEY,
    access_log,
    account,
    all_plans,
    run_engine_threads,
)

STORM_N = int(os.environ.get("PULUMI_CHARTMOGUL_STORM_N", "200"))
THREADS = 8
RATE_LIMIT = 40
FAULT_PROBABILITY = 0.2
SEED = 20240611


def test_a_429_storm_ends_with_every_plan_created_exactly_once() -> None:
    with running_emulator("--rate-limit", str(RATE_LIMIT)) as emulator, \
            ProviderHost(host_config(emulator, API_KEY, timeoutSeconds="5")) as host:
        engine = Engine(host)
        _, source = engine.up(DATA_SOURCE, "storm", source_inputs("storm"), provider=DATA_SOURCE_PROVIDER)
        before = emulator.stats()
        emulator.set_faults([{"method": "*", "path": "/v1/", "mode": "respond", "status": 429, "times": None,
                              "probability": FAULT_PROBABILITY}], seed=SEED)

        states: dict[int, ResourceState] = {}
        failures: dict[int, str] = {}
        lock = threading.Lock()
        next_index = iter(range(STORM_N))

        def client() -> None:
            while True:
                with lock:
                    index = next(next_index, None)
                if index is None:
                    return
                name = f"storm-{index:04d}"
                try:
                    _, state = engine.up(PLAN, name, plan_inputs(source.id, name), provider=PLAN_PROVIDER)
                except Exception as exc:  # any failure is a finding: record it, keep the storm going
                    with lock:
                        failures[index] = str(exc)[-300:]
                else:
                    with lock:
                        states[index] = state

        seconds = run_engine_threads(THREADS, lambda _: client(), timeout=600)

        emulator.clear_faults()
        stats = emulator.stats()
        posts = stats["by_route"].get("POST /v1/plans", 0) - before["by_route"].get("POST /v1/plans", 0)
        lookups = stats["by_route"].get("GET /v1/plans", 0) - before["by_route"].get("GET /v1/plans", 0)
        statuses = Counter(status for method, path, status in access_log(emulator)
                           if (method, path) == ("POST", "/v1/plans"))
        accounting = account(emulator, [source, *states.values()])
        plans = [p for p in all_plans(emulator) if p["data_source_uuid"] == source.id]

    REPORT.add_figure("429 storm", (
        f"{STORM_N} plan creates, {THREADS} engine threads into one host (4 served at once), emulator at "
        f"{RATE_LIMIT} req/s plus 429 on {FAULT_PROBABILITY:.0%} of requests (seed {SEED}): "
        f"{seconds:.1f} s, {STORM_N / seconds:.1f} creates/s; {posts} POSTs = {posts - STORM_N} retries "
        f"({statuses[429]} answered 429, {statuses[201]} created), {lookups} lookups; "
        f"failures {len(failures)}, duplicates {accounting.duplicates}, orphans {len(accounting.orphans)}"))

    assert failures == {}, f"{len(failures)} creates failed, e.g. {next(iter(failures.values()))}"
    assert len(states) == STORM_N
    assert len(plans) == STORM_N
    assert accounting.clean, accounting
    assert statuses[201] == STORM_N  # each plan was created by exactly one POST
    assert statuses[429] == posts - STORM_N > 0  # the storm did happen, and every extra POST was a 429's retry
    assert lookups == 0  # a 429 never leaves a create ambiguous: nothing to look up
