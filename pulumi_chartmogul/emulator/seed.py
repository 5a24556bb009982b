"""``POST /_emulator/seed``: fill the emulator with an account as people really have them, in one admin call.

A real account holds objects the ``/v1`` API cannot make: data sources synced by an integration (``system``
``Stripe``, ``Recurly``…), and thousands of plans that would take minutes to POST one by one at a realistic
latency. The admin surface (outside ``/v1``: no latency, no rate limit, not counted in the stats) makes them::

    {"data_sources": [
        {"name": "Stripe", "system": "Stripe",          # system: optional, default "Custom"
         "plans": [{"name": "Gold", "interval_count": 1, "interval_unit": "month",
                    "external_id": "gold"}]}]}         # external_id: optional, generated as /v1 does

The same rules as ``/v1`` apply (unique data source names, external ids unique per data source, plan field
checks): a bad entry answers the API's error and leaves whatever was seeded before it. The answer lists what was
made: ``{"data_sources": [...], "plans": [...]}``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request

from .store import Store, gateway_error


def add_seed_route(app: FastAPI, store: Store) -> None:
    @app.post("/_emulator/seed")
    async def seed(request: Request) -> dict[str, list[dict[str, Any]]]:
        body = await request.json()
        entries = body.get("data_sources") if isinstance(body, dict) else None
        if not isinstance(entries, list):
            raise gateway_error(400, 'Parameter "data_sources" must be a list', "data_sources")
        made: dict[str, list[dict[str, Any]]] = {"data_sources": [], "plans": []}
        for entry in entries:
            if not isinstance(entry, dict):
                raise gateway_error(400, "each data source must be an object", "data_sources")
            system = entry.get("system", "Custom")
            if not isinstance(system, str) or not system:
                raise gateway_error(400, 'Parameter "system" must be a non-empty string', "system")
            source = store.create_data_source({"name": entry.get("name")} if "name" in entry else {},
                                              system=system)
            made["data_sources"].append(source)
            for plan in entry.get("plans") or []:
                fields = {**plan, "data_source_uuid": source["uuid"]} if isinstance(plan, dict) else {}
                made["plans"].append(store.create_plan(fields))
        return made
