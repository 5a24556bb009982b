"""Imports and refreshes of many plans through a real provider host: list pages instead of one GET each, and the
drift and deletions of a refresh exactly as one GET per plan would have found them.

Each host plays one Pulumi command (a fresh process, as the engine starts one per command), reading with 8 calls
at once, as the engine's steps do."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from testkit.emulator import Emulator
from testkit.host import IMPORTING_HOST, ProviderHost, ResourceState
from testkit.inputs import host_config
from testkit.providers import PLAN

from .conftest import API_KEY

SOURCES, PLANS_EACH, ENGINE_THREADS = 4, 100, 8


def routes(emulator: Emulator) -> Counter[str]:
    return Counter(emulator.stats()["by_route"])


def test_import_then_refresh_of_400_plans_costs_pages_and_stays_exact(emulator: Emulator) -> None:
    made = emulator.seed([
        {"name": f"Billing {s}", "plans": [{"name": f"Plan {i}", "interval_count": 1, "interval_unit": "month",
                                            "external_id": f"p{i:03d}"} for i in range(PLANS_EACH)]}
        for s in range(SOURCES)])
    plans = {p["uuid"]: p for p in made["plans"]}
    config = host_config(emulator, API_KEY, timeoutSeconds="10")

    before = routes(emulator)
    with ProviderHost(config, module=IMPORTING_HOST) as host, ThreadPoolExecutor(ENGINE_THREADS) as engine:
        imported = list(engine.map(lambda uuid: host.read_for_import(PLAN, f"plan-{uuid}", uuid), plans))
    spent = routes(emulator) - before
    assert all(state is not None for state in imported)
    states: list[ResourceState] = [state for state in imported if state is not None]
    assert {state.id: state.outputs["name"] for state in states} == {u: p["name"] for u, p in plans.items()}
    assert sum(spent.values()) <= len(plans) / 20, spent  # a GET per source, whose listing answers the rest
    assert set(spent) <= {"GET /v1/plans", "GET /v1/plans/{uuid}"}

    # Someone edits 3 plans and deletes 2 behind the stack's back; the refresh must see exactly that.
    edited, deleted = list(plans)[10:13], [list(plans)[150], list(plans)[399]]
    for uuid in edited:
        emulator.api("PATCH", f"/plans/{uuid}", key=API_KEY, json={"name": "Edited by hand"}).raise_for_status()
    for uuid in deleted:
        emulator.api("DELETE", f"/plans/{uuid}", key=API_KEY).raise_for_status()

    before = routes(emulator)
    with ProviderHost(config, module=IMPORTING_HOST) as host, ThreadPoolExecutor(ENGINE_THREADS) as engine:
        refreshed = dict(zip([s.id for s in states], engine.map(host.read, states), strict=True))
    spent = routes(emulator) - before
    assert {uuid for uuid, state in refreshed.items() if state is None} == set(deleted)
    names = {uuid: state.outputs["name"] for uuid, state in refreshed.items() if state is not None}
    assert {uuid for uuid, name in names.items() if name == "Edited by hand"} == set(edited)
    assert all(names[uuid] == plans[uuid]["name"] for uuid in names if uuid not in edited)
    assert sum(spent.values()) <= len(plans) / 20, spent  # each source's plans: 1 page, and a few GETs
    assert spent["GET /v1/plans"] >= SOURCES


def test_a_refresh_keeps_a_plan_its_listing_misses_and_drops_one_deleted_for_real(emulator: Emulator) -> None:
    made = emulator.seed([{"name": "Billing", "plans": [
        {"name": f"Plan {i}", "interval_count": 1, "interval_unit": "month", "external_id": f"p{i:03d}"}
        for i in range(40)]}])
    uuids = [p["uuid"] for p in made["plans"]]
    config = host_config(emulator, API_KEY, timeoutSeconds="10")
    with ProviderHost(config, module=IMPORTING_HOST) as host:
        states = [state for state in (host.read_for_import(PLAN, f"plan-{uuid}", uuid) for uuid in uuids)
                  if state is not None]
    assert len(states) == len(uuids)

    # The listings leave out one plan that exists (a page shifted under concurrent writes) and one that was deleted.
    missed, deleted = uuids[5], uuids[20]
    emulator.api("DELETE", f"/plans/{deleted}", key=API_KEY).raise_for_status()
    emulator.set_faults([{"method": "GET", "path": "/v1/plans", "mode": "omit", "omit": [missed], "times": None}])
    before = routes(emulator)
    with ProviderHost(config, module=IMPORTING_HOST) as host, ThreadPoolExecutor(ENGINE_THREADS) as engine:
        refreshed = dict(zip(uuids, engine.map(host.read, states), strict=True))
    spent = routes(emulator) - before

    assert {uuid for uuid, state in refreshed.items() if state is None} == {deleted}
    kept = refreshed[missed]
    assert kept is not None and kept.outputs["external_id"] == "p005"
    assert spent["GET /v1/plans"] >= 1  # the refresh was list-backed, so the listing's miss was met
    # Each plan the listing did not hold (the missed one, the deleted one) cost its own GET, within the promise.
    assert spent["GET /v1/plans/{uuid}"] >= 2
    assert sum(spent.values()) <= len(uuids) + 1, spent
