"""What users do to a catalog with the ``pulumi`` command, each step checked against the emulator's own API.

up → ``preview --expect-no-changes`` → plan rename and interval change (in place) → external id change
(a new plan, the old one deleted) → a removed plan → a new data source → a data source rename (a new source and
new plans, the old ones deleted) → refresh after an out-of-band delete and after an out-of-band edit (drift
shown; ``up`` puts it back) → destroy leaves the emulator empty.
"""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

from testkit.emulator import Emulator
from testkit.reads import assert_plans_read
from tests.e2e.conftest import Project, api_plans, api_sources

from .conftest import CATALOG, KEY

PREFIX = "urn:pulumi:e2e::chartmogul-bootstrap::pulumi-python:dynamic/chartmogul:"


def source_urn(resource_name: str) -> str:
    return f"{PREFIX}DataSource::{resource_name}"


def plan_urn(resource_name: str) -> str:
    return f"{PREFIX}Plan::{resource_name}"


def declared(catalog: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(ds["name"], p["external_id"]): p for ds in catalog for p in ds["plans"]}


def assert_emulator_holds(emulator: Emulator, project: Project, catalog: list[dict[str, Any]]) -> None:
    """The emulator holds exactly the catalog, and the state and the stack's outputs hold its uuids."""
    sources, plans = api_sources(emulator), api_plans(emulator)
    assert set(sources) == {ds["name"] for ds in catalog}
    expected = declared(catalog)
    assert set(plans) == set(expected)
    for key, plan in expected.items():
        assert plans[key]["data_source_uuid"] == sources[key[0]]["uuid"]
        assert {field: plans[key][field] for field in plan} == plan
    state_plans = {r["id"] for r in project.resources("Plan").values()}
    state_sources = {r["id"] for r in project.resources("DataSource").values()}
    assert state_plans == {p["uuid"] for p in plans.values()}
    assert state_sources == {s["uuid"] for s in sources.values()}
    outputs = project.outputs()
    assert outputs["data_sources"] == {name: s["uuid"] for name, s in sources.items()}
    assert outputs["plans"] == {name: {external_id: p["uuid"] for (source, external_id), p in plans.items()
                                       if source == name} for name in sources}


def test_catalog_changes_through_the_pulumi_command(bootstrap: Project, emulator: Emulator) -> None:
    project = bootstrap
    project.set_catalog(CATALOG)

    # 1. up creates everything; a preview right after expects no change at all.
    assert project.preview_steps() == dict.fromkeys(
        [source_urn("e2e-billing"), source_urn("e2e-resellers"), plan_urn("e2e-billing-basic_monthly"),
         plan_urn("e2e-billing-basic_yearly"), plan_urn("e2e-billing-trial_14"),
         plan_urn("e2e-resellers-reseller_quarterly")], "create")
    project.pulumi("up", "--yes", "--skip-preview")
    assert_emulator_holds(emulator, project, CATALOG)
    first = api_plans(emulator)
    project.pulumi("preview", "--expect-no-changes")

    # 2. A rename and an interval change: both in place, the uuids stay.
    catalog = copy.deepcopy(CATALOG)
    catalog[0]["plans"][0]["name"] = "Basic (renamed)"
    catalog[1]["plans"][0].update(interval_count=6)
    project.set_catalog(catalog)
    assert project.preview_steps() == {plan_urn("e2e-billing-basic_monthly"): "update",
                                       plan_urn("e2e-resellers-reseller_quarterly"): "update"}
    project.pulumi("up", "--yes", "--skip-preview")
    assert_emulator_holds(emulator, project, catalog)
    now = api_plans(emulator)
    assert {k: p["uuid"] for k, p in now.items()} == {k: p["uuid"] for k, p in first.items()}

    # 3. A new external id is a new plan (a new resource name): created first, the old one deleted.
    catalog[0]["plans"][1]["external_id"] = "basic_annual"
    project.set_catalog(catalog)
    assert project.preview_steps() == {plan_urn("e2e-billing-basic_annual"): "create",
                                       plan_urn("e2e-billing-basic_yearly"): "delete"}
    project.pulumi("up", "--yes", "--skip-preview")
    assert_emulator_holds(emulator, project, catalog)

    # 4. A plan removed from the catalog is deleted.
    removed = catalog[0]["plans"].pop(2)
    assert removed["external_id"] == "trial_14"
    project.set_catalog(catalog)
    assert project.preview_steps() == {plan_urn("e2e-billing-trial_14"): "delete"}
    project.pulumi("up", "--yes", "--skip-preview")
    assert_emulator_holds(emulator, project, catalog)

    # 5. A new data source with a plan.
    catalog.append({"name": "E2E marketplace", "plans": [
        {"name": "Marketplace", "interval_count": 1, "interval_unit": "month", "external_id": "market_monthly"}]})
    project.set_catalog(catalog)
    assert project.preview_steps() == {source_urn("e2e-marketplace"): "create",
                                       plan_urn("e2e-marketplace-market_monthly"): "create"}
    project.pulumi("up", "--yes", "--skip-preview")
    assert_emulator_holds(emulator, project, catalog)

    # 6. Renaming a data source: the API cannot rename one, so a new source with new plans, the old ones deleted.
    before = api_sources(emulator)["E2E resellers"]["uuid"]
    catalog[1]["name"] = "E2E partners"
    project.set_catalog(catalog)
    assert project.preview_steps() == {
        source_urn("e2e-partners"): "create", plan_urn("e2e-partners-reseller_quarterly"): "create",
        source_urn("e2e-resellers"): "delete", plan_urn("e2e-resellers-reseller_quarterly"): "delete"}
    project.pulumi("up", "--yes", "--skip-preview")
    assert_emulator_holds(emulator, project, catalog)
    assert api_sources(emulator)["E2E partners"]["uuid"] != before

    # 7. Out of band: one plan deleted, another renamed. refresh shows both; up puts both back.
    plans = api_plans(emulator)
    gone = plans[("E2E billing", "basic_annual")]
    edited = plans[("E2E billing", "basic_monthly")]
    assert emulator.api("DELETE", f"/plans/{gone['uuid']}", key=KEY).status_code == 204
    assert emulator.api("PATCH", f"/plans/{edited['uuid']}", key=KEY, json={"name": "Edited by hand"}).ok
    drift = project.preview_steps("--refresh")
    assert drift == {plan_urn("e2e-billing-basic_annual"): "create",
                     plan_urn("e2e-billing-basic_monthly"): "update"}
    refreshed = project.pulumi("refresh", "--yes", "--diff")
    assert "Edited by hand" in refreshed.stdout  # the drift is shown, field and value
    state = project.resources("Plan")
    assert plan_urn("e2e-billing-basic_annual") not in state  # the deleted plan left the state
    assert state[plan_urn("e2e-billing-basic_monthly")]["outputs"]["name"] == "Edited by hand"
    project.pulumi("up", "--yes", "--skip-preview")
    assert_emulator_holds(emulator, project, catalog)
    assert api_plans(emulator)[("E2E billing", "basic_monthly")]["uuid"] == edited["uuid"]  # patched, not replaced
    project.pulumi("preview", "--expect-no-changes")

    # 8. destroy deletes everything it made.
    project.pulumi("destroy", "--yes", "--skip-preview")
    assert api_sources(emulator) == {}
    assert api_plans(emulator) == {}
    assert project.resources("Plan") == {} and project.resources("DataSource") == {}


def requests_during(emulator: Emulator, project: Project, *args: str) -> dict[str, int]:
    """Route → requests the emulator received while ``pulumi ARGS`` ran (its stats only ever grow)."""
    before = Counter(emulator.stats()["by_route"])
    project.pulumi(*args)
    return dict(Counter(emulator.stats()["by_route"]) - before)


def test_requests_per_operation_through_the_engine(bootstrap: Project, emulator: Emulator) -> None:
    """The real engine calls Check and Diff twice per ``up`` (a preview pass, then the update, each in its own
    provider host); they send nothing, so a create costs one POST and a no-change run costs nothing. A refresh
    calls Read in both of its passes, unless ``--skip-preview``."""
    project = bootstrap
    project.set_catalog(CATALOG)
    assert requests_during(emulator, project, "up", "--yes") == {"POST /v1/data_sources": 2, "POST /v1/plans": 4}
    for no_change in (("up", "--yes"), ("preview",), ("preview", "--diff")):
        assert requests_during(emulator, project, *no_change) == {}, no_change
    # Plans are read by GET or from their data source's listing: at most one request per plan read.
    assert_plans_read(requests_during(emulator, project, "refresh", "--yes"), 8,
                      {"GET /v1/data_sources/{uuid}": 4})
    assert_plans_read(requests_during(emulator, project, "refresh", "--yes", "--skip-preview"), 4,
                      {"GET /v1/data_sources/{uuid}": 2})
