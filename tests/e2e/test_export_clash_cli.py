"""An account whose data source names make one resource name ("EU billing" and "eu-billing", each with plans
``plan_0073``…), adopted through the real CLI: ``export --adopt`` keys the newer source (and says so) instead of
refusing the account → ``pulumi preview`` imports only → ``pulumi up --skip-preview`` reads each object once,
writes nothing → a second ``up`` sends nothing → ``export`` again prints the same bytes (all checked by
:func:`adopt_exported`). The resources are under the names the export announced.

And what a key does to an edit: given with ``renamed_from`` (the source's own name), it moves the resources to
the key's names with no change; a keyed source renamed is replaced under the same names, no ``renamed_from``."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from pulumi_chartmogul.catalog.export import clash_key
from testkit.emulator import Emulator
from tests.integration.test_export import seed_clashing_account

from .conftest import CATALOG, Project, api_sources
from .test_adopt_export_cli import adopt_exported
from .test_catalog_cli import assert_emulator_holds, plan_urn, source_urn

PLANS_EACH = 20


def test_clashing_names_round_trip_through_the_cli(tmp_path: Path, emulator: Emulator) -> None:
    older, newer = seed_clashing_account(emulator, plans_each=PLANS_EACH)
    project, done = adopt_exported(tmp_path, emulator)

    key = clash_key(newer["name"])
    assert [line for line in done.stderr.splitlines() if line.startswith("keyed: ")] == [
        f"keyed: data source {newer['name']!r} ({newer['uuid']}) as {key!r}: its name makes the resource name "
        f"'eu-billing' of the older data source {older['name']!r} ({older['uuid']}), which keeps it"]
    sources = {r["id"]: r["urn"].rsplit("::", 1)[1] for r in project.resources("DataSource").values()}
    assert (sources[older["uuid"]], sources[newer["uuid"]]) == ("eu-billing", key)
    plans = {r["urn"].rsplit("::", 1)[1]: r["inputs"]["data_source_uuid"] for r in project.resources("Plan").values()}
    assert (plans["eu-billing-plan_0073"], plans[f"{key}-plan_0073"]) == (older["uuid"], newer["uuid"])
    assert len(plans) == 2 * PLANS_EACH + 1  # and the other source's one


def test_a_key_keeps_the_resource_names_through_a_rename(bootstrap: Project, emulator: Emulator) -> None:
    project = bootstrap
    catalog: list[dict[str, Any]] = copy.deepcopy(CATALOG)
    project.set_catalog(catalog)
    project.pulumi("up", "--yes", "--skip-preview")
    uuid = api_sources(emulator)["E2E resellers"]["uuid"]

    # The edit that gives an existing source a key: renamed_from (its own name) carries it over. Nothing changes
    # in ChartMogul or in the preview; the state holds it under the key's names.
    catalog[1].update(key="resellers", renamed_from="E2E resellers")
    project.set_catalog(catalog)
    assert project.preview_steps() == {}
    project.pulumi("up", "--yes", "--skip-preview", "--expect-no-changes")
    assert project.resources("DataSource")[source_urn("resellers")]["id"] == uuid
    assert plan_urn("resellers-reseller_quarterly") in project.resources("Plan")

    # A keyed source renamed: a new ChartMogul object (the API cannot rename), under the same resource names.
    del catalog[1]["renamed_from"]
    catalog[1]["name"] = "E2E partners"
    project.set_catalog(catalog)
    steps = project.preview_steps()
    assert set(steps) == {source_urn("resellers"), plan_urn("resellers-reseller_quarterly")}, steps
    assert set(steps.values()) <= {"create-replacement", "replace", "delete-replaced"}, steps
    project.pulumi("up", "--yes", "--skip-preview")
    assert_emulator_holds(emulator, project, catalog)
    assert project.resources("DataSource")[source_urn("resellers")]["id"] != uuid
