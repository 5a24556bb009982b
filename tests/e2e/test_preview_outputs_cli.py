"""An in-place update keeps an object's uuid, and a preview now knows it: our provider host answers the engine's
preview of an update with the outputs it keeps. Before, turning a data source's ``force_destroy`` on previewed every
plan in it as a replacement, and renaming a plan previewed its plan groups as updates; the ``up`` did neither. And
a preview still sends nothing to ChartMogul."""

from __future__ import annotations

import copy
import json
from collections import Counter

from testkit.emulator import Emulator
from tests.e2e.conftest import CATALOG, Project

GROUPS = "chartmogul-bootstrap:plan_groups"


def changes(project: Project, emulator: Emulator) -> dict[str, str]:
    """Resource name → operation, for our resources that the preview changes (asserting it sent nothing)."""
    before = Counter(emulator.stats()["by_route"])
    preview = json.loads(project.pulumi("preview", "--json").stdout)
    assert Counter(emulator.stats()["by_route"]) - before == Counter()
    return {step["urn"].rsplit("::", 1)[-1]: step["op"] for step in preview["steps"]
            if "dynamic/chartmogul:" in step["urn"] and step["op"] != "same"}


def test_a_preview_shows_only_what_the_up_changes(bootstrap: Project, emulator: Emulator) -> None:
    catalog = copy.deepcopy(CATALOG)
    bootstrap.set_catalog(catalog)
    bootstrap.set_stack_config(GROUPS, [{"name": "Basic plans", "plans": [
        {"data_source": "E2E billing", "external_id": "basic_monthly"},
        {"data_source": "E2E billing", "external_id": "basic_yearly"}]}])
    assert set(changes(bootstrap, emulator).values()) == {"create"}
    bootstrap.pulumi("up", "--yes", "--skip-preview")

    catalog[0]["force_destroy"] = True
    bootstrap.set_catalog(catalog)
    assert changes(bootstrap, emulator) == {"e2e-billing": "update"}  # not its three plans as replacements
    bootstrap.pulumi("up", "--yes", "--skip-preview")

    catalog[0]["plans"][0]["name"] = "Basic (renamed)"
    bootstrap.set_catalog(catalog)
    assert changes(bootstrap, emulator) == {"e2e-billing-basic_monthly": "update"}  # not the group it is in
    result = bootstrap.pulumi("up", "--yes")  # a plain up: its own preview, then the update
    assert "1 updated" in result.stdout
    bootstrap.pulumi("preview", "--expect-no-changes")
