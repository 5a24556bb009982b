"""Programs whose registrations run the *real* provider code in-process (unpickled from ``__provider``, configured,
checked, created) against the emulator: the wiring reaches the API, not only the mocks."""

from __future__ import annotations

from typing import Any

import yaml

from testkit.emulator import Emulator

from .mocking import DATA_SOURCE_TYPE, PLAN_TYPE, REPO, ProviderInProcess, mocked

KEY = "program-test-key"


def provider_config(emulator: Emulator) -> dict[str, str]:
    return {"chartmogul:apiKey": KEY, "chartmogul:endpoint": emulator.api_root}


def listed(emulator: Emulator, path: str, field: str) -> list[dict[str, Any]]:
    response = emulator.api("GET", path, key=KEY)
    assert response.status_code == 200, response.text
    return list(response.json()[field])


def test_bootstrap_program_creates_the_demo_catalog_in_the_emulator(emulator: Emulator) -> None:
    config = yaml.safe_load((REPO / "Pulumi.demo.yaml").read_text())["config"]
    catalog, groups = config["chartmogul-bootstrap:catalog"], config["chartmogul-bootstrap:plan_groups"]
    mocks = ProviderInProcess(config=provider_config(emulator), project="chartmogul-bootstrap")
    with mocked(mocks, project="chartmogul-bootstrap", stack="demo") as harness:
        exports = harness.run_path(REPO, {"chartmogul-bootstrap:catalog": catalog,
                                          "chartmogul-bootstrap:plan_groups": groups})

    sources = {s["name"]: s for s in listed(emulator, "/data_sources", "data_sources")}
    plans = {p["external_id"]: p for p in listed(emulator, "/plans?per_page=200", "plans")}
    assert set(sources) == {entry["name"] for entry in catalog}
    assert exports["data_sources"] == {name: s["uuid"] for name, s in sources.items()}
    assert exports["plans"] == {entry["name"]: {p["external_id"]: plans[p["external_id"]]["uuid"]
                                                for p in entry["plans"]} for entry in catalog}
    for entry in catalog:
        for declared in entry["plans"]:
            plan = plans[declared["external_id"]]
            assert plan["data_source_uuid"] == sources[entry["name"]]["uuid"]
            assert {k: plan[k] for k in declared} == declared
    # The outputs the engine would store echo the inputs and carry the server's uuid.
    for registration in harness.mocks.of_type(PLAN_TYPE):
        assert registration.outputs["uuid"] == registration.id == plans[registration.inputs["external_id"]]["uuid"]
    assert len(harness.mocks.of_type(DATA_SOURCE_TYPE)) == 2
    # Each group holds the plans it names, across data sources.
    live_groups = {g["name"]: g for g in listed(emulator, "/plan_groups", "plan_groups")}
    assert exports["plan_groups"] == {name: g["uuid"] for name, g in live_groups.items()}
    for group in groups:
        members = listed(emulator, f"/plan_groups/{live_groups[group['name']]['uuid']}/plans", "plans")
        assert sorted(p["uuid"] for p in members) == sorted(plans[ref["external_id"]]["uuid"] for ref in group["plans"])


def test_adopt_existing_example_takes_over_hand_made_objects(emulator: Emulator) -> None:
    made = emulator.api("POST", "/data_sources", key=KEY, json={"name": "Legacy billing"})
    assert made.status_code == 201, made.text
    source_uuid = made.json()["uuid"]
    hand_made = {}
    for external_id in ("legacy_basic", "legacy_plus", "legacy_annual"):
        response = emulator.api("POST", "/plans", key=KEY, json={
            "data_source_uuid": source_uuid, "name": f"old {external_id}", "interval_count": 2,
            "interval_unit": "day", "external_id": external_id})
        assert response.status_code == 201, response.text
        hand_made[external_id] = response.json()["uuid"]

    program = REPO / "examples" / "adopt-existing"
    mocks = ProviderInProcess(config=provider_config(emulator), project="chartmogul-adopt-existing")
    with mocked(mocks, project="chartmogul-adopt-existing") as harness:
        exports = harness.run_path(program)

    assert exports == {"data_source_uuid": source_uuid, "plans": hand_made}
    assert [s["uuid"] for s in listed(emulator, "/data_sources", "data_sources")] == [source_uuid]
    plans = {p["external_id"]: p for p in listed(emulator, "/plans", "plans")}
    assert {k: p["uuid"] for k, p in plans.items()} == hand_made
    # Adopted plans were patched to what the program declares.
    assert {k: (p["name"], p["interval_count"], p["interval_unit"]) for k, p in plans.items()} == {
        "legacy_basic": ("Basic", 1, "month"), "legacy_plus": ("Plus", 1, "month"),
        "legacy_annual": ("Annual", 1, "year")}
