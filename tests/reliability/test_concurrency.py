"""One provider object, many operations at once: 1,000 plan creates, reads, updates and deletes from 8 engine
threads into one host (one ``__provider``, so one configured provider instance serving the host's 4 worker
threads at a time).

Each thread owns its plans, so the expected final state is known exactly. Every answer is checked against the
request it answers (a session shared between threads could hand one thread another's response), and at the
end the emulator must hold exactly the live plans, with exactly the fields the state says.
"""

from __future__ import annotations

import random
import re
import threading
from collections import Counter
from typing import Any

from testkit.emulator import Emulator
from testkit.engine import Engine
from testkit.host import ProviderHost, ResourceState
from testkit.inputs import host_config, plan_inputs, source_inputs
from testkit.providers import DATA_SOURCE, DATA_SOURCE_PROVIDER, PLAN, PLAN_PROVIDER
from tests.reliability.report import REPORT
from tests.reliability.support import (
    API_KEY,
    account,
    all_plans,
    run_engine_threads,
)

TOTAL_OPS = 1000
THREADS = 8
WEIGHTS = {"create": 3, "read": 3, "update": 3, "delete": 2}
CLIENT_PORT = re.compile(r'127\.0\.0\.1:(\d+) - "[A-Z]+ /v1/plans')


def test_a_thousand_mixed_operations_on_one_provider_stay_consistent(emulator: Emulator) -> None:
    with ProviderHost(host_config(emulator, API_KEY, timeoutSeconds="10")) as host:
        engine = Engine(host)
        _, source = engine.up(DATA_SOURCE, "concurrency", source_inputs("concurrency"), provider=DATA_SOURCE_PROVIDER)
        log_start = len(emulator.stderr())
        done: Counter[str] = Counter()
        errors: list[str] = []
        live: dict[str, tuple[ResourceState, dict[str, Any]]] = {}  # name -> (state, declared inputs)
        lock = threading.Lock()
        quota = iter(range(TOTAL_OPS))

        def engine_thread(index: int) -> None:
            rng = random.Random(index)
            mine: dict[str, tuple[ResourceState, dict[str, Any]]] = {}
            created = 0
            while True:
                with lock:
                    if next(quota, None) is None:
                        break
                op = "create" if not mine else rng.choices(list(WEIGHTS), list(WEIGHTS.values()))[0]
                try:
                    if op == "create":
                        name = f"t{index}-p{created}"
                        created += 1
                        inputs = plan_inputs(source.id, name)
                        _, state = engine.up(PLAN, name, inputs, provider=PLAN_PROVIDER)
                        _expect(state.outputs["external_id"] == name and state.id.startswith("pl_"), op, state)
                        mine[name] = (state, inputs)
                    elif op == "read":
                        name = rng.choice(sorted(mine))
                        state, inputs = mine[name]
                        refreshed = engine.refresh(state)
                        _expect(refreshed is not None and refreshed.id == state.id
                                and refreshed.outputs["name"] == inputs["name"], op, refreshed)
                    elif op == "update":
                        name = rng.choice(sorted(mine))
                        state, inputs = mine[name]
                        inputs = {**inputs, "name": f"{name} v{rng.randrange(10**6)}",
                                  "interval_count": rng.randint(1, 12)}
                        step, state = engine.up(PLAN, name, inputs, provider=PLAN_PROVIDER, prior=state)
                        _expect(step == "update" and state.outputs["name"] == inputs["name"], op, state)
                        mine[name] = (state, inputs)
                    else:
                        name = rng.choice(sorted(mine))
                        engine.destroy(mine.pop(name)[0])
                except Exception as exc:  # any error is a finding; keep going to see how many there are
                    with lock:
                        errors.append(f"{op}: {str(exc)[-400:]}")
                with lock:
                    done[op] += 1
            with lock:
                live.update(mine)

        seconds = run_engine_threads(THREADS, engine_thread, timeout=300)
        host_stderr = host.stderr_text()

    plans = {p["uuid"]: p for p in all_plans(emulator)}
    accounting = account(emulator, [source, *(state for state, _ in live.values())])
    ports = set(CLIENT_PORT.findall(emulator.stderr()[log_start:]))
    REPORT.add_figure("concurrency", (
        f"{sum(done.values())} operations ({', '.join(f'{n} {op}' for op, n in sorted(done.items()))}) from "
        f"{THREADS} threads into one host and one provider object: {seconds:.1f} s, "
        f"{sum(done.values()) / seconds:.0f} ops/s, {len(ports)} client connections seen by the emulator; "
        f"errors {len(errors)}, final plans {len(plans)} (expected {len(live)}), {accounting}"))

    assert errors == [], f"{len(errors)} operations failed, e.g. {errors[:3]}"
    assert sum(done.values()) == TOTAL_OPS
    assert all(done[op] > 100 for op in WEIGHTS), done
    assert "Traceback" not in host_stderr
    # The host really ran operations side by side: one session (one connection) per worker thread.
    assert len(ports) >= 4, ports
    assert accounting.clean, accounting
    assert sorted(plans) == sorted(state.id for state, _ in live.values())
    for state, inputs in live.values():
        plan = plans[state.id]
        declared = {k: inputs[k] for k in ("name", "interval_count", "interval_unit", "external_id")}
        assert {k: plan[k] for k in declared} == declared
        assert {k: state.outputs[k] for k in declared} == declared


def _expect(condition: bool, op: str, state: ResourceState | None) -> None:
    if not condition:
        raise AssertionError(f"{op} answered with another object's data: {state}")
