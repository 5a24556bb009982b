"""An ``up`` of 64 plans whose CLI is killed with SIGKILL part-way, and the documented recovery:

    pulumi cancel --yes                                   # if a lock was left (a killed up leaves one)
    pulumi refresh --yes --clear-pending-creates
    CHARTMOGUL_ADOPT_EXISTING=true pulumi up --yes

The provider host outlives the CLI for a moment and may finish creates that the state records only as pending;
the provider never takes such an object over silently, so the one-run switch adopts them. The end is exactly the
catalog in the emulator (no duplicate, no orphan) and in the state.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import pytest

from testkit.emulator import Emulator
from testkit.processes import MARK_VARIABLE, kill_group, marked, new_mark
from tests.e2e.conftest import Project, api_plans, api_sources, listed

# Enough that the creates in flight when the CLI is killed after 40 (up to 20: our host serves the engine's
# --parallel, 4 per CPU, up to ChartMogul's 20 in flight) cannot finish the catalog.
PLANS = 64
CATALOG: list[dict[str, Any]] = [
    {"name": f"Interrupted {n}", "plans": [
        {"name": f"Plan {n}-{i}", "interval_count": 1 + i % 12, "interval_unit": "month",
         "external_id": f"plan_{n}_{i}"} for i in range(PLANS // 2)]}
    for n in (1, 2)
]
# The three kills, one after another on one worker: each is an up of 64 plans at 20 at once, timed against a kill,
# and two of them at once on a small machine would starve each other's timing.
pytestmark = pytest.mark.xdist_group("killed-up")
SLOW_CREATES = [{"method": "POST", "path": "/v1/plans", "mode": "delay", "delay_ms": 150, "times": None},
                {"method": "POST", "path": "/v1/data_sources", "mode": "delay", "delay_ms": 300, "times": None}]


def wait_until(condition: Any, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the up never got that far"
        time.sleep(0.02)


@pytest.mark.parametrize("kill_after_plans", [0, 12, 40], ids=lambda n: f"after-{n}-plans")
def test_a_killed_up_recovers_to_exactly_the_catalog(bootstrap: Project, emulator: Emulator,
                                                     kill_after_plans: int) -> None:
    project = bootstrap
    project.set_catalog(CATALOG)
    emulator.set_faults(SLOW_CREATES)

    mark = new_mark()  # inherited by everything the up starts, so all of it can be found and killed
    up = project.start("up", "--yes", "--skip-preview", env={MARK_VARIABLE: mark})
    try:
        if kill_after_plans == 0:  # while the data sources are being created
            wait_until(lambda: emulator.stats()["requests"] > 0 or up.poll() is not None)
        else:
            wait_until(lambda: len(listed(emulator, "/plans", "plans")) >= kill_after_plans or up.poll() is not None)
        assert up.poll() is None, "the up finished before it could be interrupted"
        up.kill()  # the CLI alone, as a CI runner's SIGKILL would; its provider host keeps going for a moment
        up.wait()
        time.sleep(1.5)  # creates already sent may still land
    finally:
        kill_group(up, mark)
    left = marked(mark)
    assert not left, f"processes the killed up started (language host, program, provider host) outlived it: {left}"
    emulator.clear_faults()

    # A kill during a state write can leave the file backend's metadata sidecar empty (gocloud's fileblob writes
    # `<stack>.json.attrs` in place), and then every command says "failed to load checkpoint: EOF". The fix the
    # README gives: delete the empty sidecar; the state file itself is replaced atomically and is whole.
    for sidecar in project.backend.rglob("*.attrs"):
        if sidecar.stat().st_size == 0:
            sidecar.unlink()

    interrupted = api_plans(emulator)
    assert len(interrupted) < PLANS, "the kill came too late to test anything"

    tracked = {r["id"] for r in project.resources("Plan").values()} | {
        r["id"] for r in project.resources("DataSource").values()}
    untracked = [o for o in [*interrupted.values(), *api_sources(emulator).values()] if o["uuid"] not in tracked]
    assert untracked, "no create was left half-done: nothing for the recovery to do"

    # The recovery, exactly as the README says.
    cancel = project.pulumi("cancel", "--yes", check=False)  # a lock left behind, if any
    project.pulumi("refresh", "--yes", "--clear-pending-creates")
    # Without the switch the objects the state lost are refused, never taken over silently (nor duplicated).
    refused = project.pulumi("up", "--yes", check=False)
    assert refused.returncode != 0 and "CHARTMOGUL_ADOPT_EXISTING=true" in refused.stdout
    assert set(Counter((p["data_source_uuid"], p["external_id"])
                       for p in listed(emulator, "/plans", "plans")).values()) <= {1}
    project.pulumi("up", "--yes", env={"CHARTMOGUL_ADOPT_EXISTING": "true"})

    sources, plans = api_sources(emulator), api_plans(emulator)
    assert set(sources) == {ds["name"] for ds in CATALOG}
    raw = listed(emulator, "/plans", "plans")
    assert len(raw) == PLANS and max(Counter((p["data_source_uuid"], p["external_id"]) for p in raw).values()) == 1
    assert set(plans) == {(ds["name"], p["external_id"]) for ds in CATALOG for p in ds["plans"]}
    for (_, external_id), plan in plans.items():  # what was created before the kill kept its uuid
        if (key := next((k for k in interrupted if k[1] == external_id), None)) is not None:
            assert plan["uuid"] == interrupted[key]["uuid"]
    state_plans = {r["id"] for r in project.resources("Plan").values()}
    state_sources = {r["id"] for r in project.resources("DataSource").values()}
    assert state_plans == {p["uuid"] for p in plans.values()}
    assert state_sources == {s["uuid"] for s in sources.values()}
    project.pulumi("preview", "--expect-no-changes")  # and the next run (without the switch) is quiet
    assert cancel.returncode == 0 and "canceled" in cancel.stdout, cancel.stdout + cancel.stderr  # a lock was left
