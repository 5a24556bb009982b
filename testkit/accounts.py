"""An account as people really have one, seeded into the emulator in one admin call (``POST /_emulator/seed``).

``messy_account(plans, data_sources)`` has ``data_sources`` sources in all: one synced from Stripe (with a few
plans, one of them in a plan group), one empty, the rest ``Custom`` with Unicode names and the other plans:
the same external ids in every source (``gold``, ``silver``…), every fifth plan with an external id ChartMogul
generated, Unicode and punctuation in plan names. Two plan groups: one of this account's plans only, one mixing
them with a Stripe plan (which the export keeps as a ``{uuid}`` member).
"""

from __future__ import annotations

from typing import Any

from .emulator import Emulator

STRIPE_PLANS = 3
UNITS = ("day", "month", "year")
SOURCE_NAMES = ("In-house billing", "Facturación España", "請求書 (日本)", "Ελληνικά", "Résellers & Co.",
                "Zürich GmbH", "Partner: EU/US", "Øresund", "Straße 7", "Ça va")


def messy_catalog(plans: int = 40, data_sources: int = 5) -> list[dict[str, Any]]:
    """What :func:`seed_messy_account` seeds: the ``POST /_emulator/seed`` body's ``data_sources``."""
    if data_sources < 3:
        raise ValueError("a messy account needs at least 3 data sources (Stripe, an empty one, one of ours)")
    ours = data_sources - 2
    names = [SOURCE_NAMES[i] if i < len(SOURCE_NAMES) else f"Source {i}" for i in range(ours)]
    own_plans: list[list[dict[str, Any]]] = [[] for _ in names]
    for i in range(plans - STRIPE_PLANS):
        plan: dict[str, Any] = {"name": f"Plan {i} — ünïcødé ✓ \"{i % 7}\"", "interval_count": 1 + i % 12,
                                "interval_unit": UNITS[i % 3]}
        if i % 5 != 4:  # every fifth: the server generates the external id
            # The j-th plan of every source has the same external id: unique per source, not across them.
            j = i // ours
            plan["external_id"] = ("gold", "silver", "bronze", "trial")[j % 4] + f"_{j // 4}"
        own_plans[i % ours].append(plan)
    stripe = [{"name": f"Stripe plan {i}", "interval_count": 1, "interval_unit": "month",
               "external_id": f"price_{i:04d}"} for i in range(STRIPE_PLANS)]
    return [
        {"name": "Stripe", "system": "Stripe", "plans": stripe},
        *({"name": name, "plans": plan_list} for name, plan_list in zip(names, own_plans, strict=True)),
        {"name": "Legacy (empty)"},
    ]


def seed_messy_account(emulator: Emulator, plans: int = 40, data_sources: int = 5,
                       key: str = "test-key") -> dict[str, Any]:
    """Seed the account and its two plan groups; returns what the seed route answered."""
    made = emulator.seed(messy_catalog(plans, data_sources))
    stripe_uuid = made["data_sources"][0]["uuid"]
    stripe = [p["uuid"] for p in made["plans"] if p["data_source_uuid"] == stripe_uuid]
    ours = [p["uuid"] for p in made["plans"] if p["data_source_uuid"] != stripe_uuid]
    for name, members in (("Self-serve ✓", ours[:3]), ("Everything monthly", [ours[3], ours[-1], stripe[0]])):
        response = emulator.api("POST", "/plan_groups", key=key, json={"name": name, "plans": members})
        response.raise_for_status()
    return made


def snapshot(emulator: Emulator, key: str = "test-key") -> dict[str, Any]:
    """Every object in the account, as the API lists it (plan pages followed), to compare before and after."""

    def listed(path: str, field: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        params: dict[str, Any] = {"per_page": 200}
        while True:
            page = emulator.api("GET", path, key=key, params=params).json()
            items += page[field]
            if not page.get("has_more"):
                return items
            params["cursor"] = page["cursor"]

    groups = listed("/plan_groups", "plan_groups")
    return {
        "data_sources": listed("/data_sources", "data_sources"),
        "plans": listed("/plans", "plans"),
        "plan_groups": [{**g, "members": sorted(p["uuid"] for p in listed(f"/plan_groups/{g['uuid']}/plans", "plans"))}
                        for g in groups],
    }
