"""How many API requests each engine operation costs per resource: exact figures, unlike the timings, so the
one place a regression in the provider's request pattern shows without noise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench.rig import Bench, requests_seen
from testkit.engine import Engine
from testkit.inputs import plan_inputs
from testkit.providers import PLAN, PLAN_GROUP, PLAN_GROUP_PROVIDER, PLAN_PROVIDER


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
