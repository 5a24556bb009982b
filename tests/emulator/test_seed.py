"""``POST /_emulator/seed`` (admin): an account with integration data sources and many plans, in one call."""

from __future__ import annotations

import requests

from testkit.emulator import Emulator


def test_seed_makes_sources_of_any_system_and_their_plans(emulator: Emulator) -> None:
    made = emulator.seed([
        {"name": "Stripe", "system": "Stripe",
         "plans": [{"name": "Gold", "interval_count": 1, "interval_unit": "month", "external_id": "gold"}]},
        {"name": "Façturación", "plans": [
            {"name": "Gold", "interval_count": 1, "interval_unit": "month", "external_id": "gold"},
            {"name": "Generated", "interval_count": 2, "interval_unit": "year"}]},
        {"name": "Empty"},
    ])
    sources = emulator.api("GET", "/data_sources").json()["data_sources"]
    assert [(s["name"], s["system"]) for s in sources] == [("Stripe", "Stripe"), ("Façturación", "Custom"),
                                                           ("Empty", "Custom")]
    assert [s["uuid"] for s in made["data_sources"]] == [s["uuid"] for s in sources]
    plans = emulator.api("GET", "/plans").json()["plans"]
    assert [p["external_id"] for p in plans[:2]] == ["gold", "gold"]
    # No external id: generated as /v1 does (the uuid without "pl_").
    assert plans[2]["external_id"] == plans[2]["uuid"].removeprefix("pl_")
    # The admin surface is not counted as API traffic.
    assert emulator.stats()["requests"] == 2


def test_seed_keeps_the_api_rules(emulator: Emulator) -> None:
    emulator.seed([{"name": "A"}])
    response = requests.post(f"{emulator.base}/_emulator/seed", json={"data_sources": [{"name": "A"}]}, timeout=10)
    assert response.status_code == 422
    response = requests.post(f"{emulator.base}/_emulator/seed", json={"data_sources": [{"name": "B", "plans": [
        {"name": "P", "interval_count": 1, "interval_unit": "month", "external_id": "x"},
        {"name": "Q", "interval_count": 1, "interval_unit": "month", "external_id": "x"}]}]}, timeout=10)
    assert response.status_code == 422
    assert "already exists" in response.text
