"""Every example, ``pulumi up`` and ``pulumi destroy`` through the real CLI, checked against the emulator."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from testkit.emulator import Emulator, running_emulator
from testkit.reads import assert_plans_read
from tests.e2e.conftest import KEY, REPO, api_plans, api_sources, listed, make_project, new_stack, yaml
from tests.e2e.yaml_host import plugin_on_path, require_host, yaml_project

EXAMPLES = REPO / "examples"


def test_quickstart(tmp_path: Path, emulator: Emulator) -> None:
    project = new_stack(make_project(tmp_path, EXAMPLES / "quickstart", stack="dev"), emulator)
    project.pulumi("up", "--yes", "--skip-preview")
    sources, plans = api_sources(emulator), api_plans(emulator)
    assert list(sources) == ["Quickstart billing"]
    assert sorted(external_id for _, external_id in plans) == ["enterprise_yearly", "starter_monthly",
                                                               "team_quarterly"]
    outputs = project.outputs()
    assert outputs["data_source_uuid"] == sources["Quickstart billing"]["uuid"]
    assert outputs["plans"] == {external_id: p["uuid"] for (_, external_id), p in plans.items()}
    [group] = emulator.api("GET", "/plan_groups", key=KEY).json()["plan_groups"]
    assert (outputs["plan_group_uuid"], group["name"], group["plans_count"]) == (
        group["uuid"], "Quickstart paid plans", 2)
    project.pulumi("preview", "--expect-no-changes")
    project.pulumi("destroy", "--yes", "--skip-preview")
    assert api_sources(emulator) == {} and api_plans(emulator) == {}
    assert emulator.api("GET", "/plan_groups", key=KEY).json()["plan_groups"] == []


def test_multi_environment_dev_and_prod(tmp_path: Path, emulator: Emulator) -> None:
    # Two accounts, as in real life: data source names are unique per account.
    prod_id = yaml.safe_load((EXAMPLES / "multi-environment" / "Pulumi.prod.yaml").read_text())["config"][
        "chartmogul:allowedAccountIds"][0]
    with running_emulator("--account-id", prod_id) as prod_account:
        # One program folder with both stack files, as committed; each stack's endpoint is set to its emulator.
        dev = make_project(tmp_path, EXAMPLES / "multi-environment", stack="dev",
                           files=("shared_catalog.py", "Pulumi.dev.yaml", "Pulumi.prod.yaml"))
        prod = dataclasses.replace(dev, stack="prod")
        for project, account in ((dev, emulator), (prod, prod_account)):
            new_stack(project, account)
            project.pulumi("up", "--yes", "--skip-preview")
        dev_plans, prod_plans = api_plans(emulator), api_plans(prod_account)
        assert set(dev_plans) == set(prod_plans) and len(dev_plans) >= 5  # one catalog, both accounts
        assert {p["uuid"] for p in dev_plans.values()}.isdisjoint(p["uuid"] for p in prod_plans.values())
        assert dev.outputs()["protected"] is False and prod.outputs()["protected"] is True

        # Each stack is pinned to its own account: dev's config pointed at prod's account is refused.
        dev.set_config("chartmogul:endpoint", prod_account.api_root)
        wrong = dev.pulumi("refresh", "--run-program", "--yes", "--skip-preview", check=False)
        refusal = f"refusing to work on the ChartMogul account {prod_id}"
        assert wrong.returncode != 0 and refusal in wrong.stdout + wrong.stderr
        dev.set_config("chartmogul:endpoint", emulator.api_root)
        # The refused refresh recorded the wrong endpoint as the provider's config (a plain destroy uses that):
        # an up with the right config records it again, and changes nothing.
        dev.pulumi("up", "--yes", "--skip-preview", "--expect-no-changes")

        # prod is protected: destroy is refused and deletes nothing.
        refused = prod.pulumi("destroy", "--yes", check=False)
        assert refused.returncode != 0 and "protect" in refused.stdout + refused.stderr
        assert len(listed(prod_account, "/plans", "plans")) == len(prod_plans)

        dev.pulumi("destroy", "--yes", "--skip-preview")
        assert api_sources(emulator) == {} and api_plans(emulator) == {}
        prod.set_config("chartmogul-multi-environment:protect", "false")
        prod.pulumi("up", "--yes", "--skip-preview")  # lifts the protection
        prod.pulumi("destroy", "--yes", "--skip-preview")
        assert api_sources(prod_account) == {} and api_plans(prod_account) == {}


def test_adopt_existing(tmp_path: Path, emulator: Emulator) -> None:
    by_hand = emulator.api("POST", "/data_sources", key=KEY, json={"name": "Legacy billing"}).json()
    made = {external_id: emulator.api("POST", "/plans", key=KEY, json={
        "data_source_uuid": by_hand["uuid"], "name": f"old {external_id}", "interval_count": 1,
        "interval_unit": "month", "external_id": external_id}).json()
        for external_id in ("legacy_basic", "legacy_plus", "legacy_annual")}
    project = new_stack(make_project(tmp_path, EXAMPLES / "adopt-existing", stack="dev"), emulator)
    project.pulumi("up", "--yes", "--skip-preview")
    plans = api_plans(emulator)
    assert next(iter(api_sources(emulator).values()))["uuid"] == by_hand["uuid"]  # adopted, nothing new
    assert {external_id: p["uuid"] for (_, external_id), p in plans.items()} == {
        external_id: p["uuid"] for external_id, p in made.items()}
    assert plans[("Legacy billing", "legacy_annual")]["interval_unit"] == "year"  # patched to the declaration
    project.pulumi("preview", "--expect-no-changes")
    project.pulumi("destroy", "--yes", "--skip-preview")
    # retain_on_delete: the state forgets them, ChartMogul keeps them.
    assert set(api_plans(emulator)) == set(plans)
    assert project.resources("Plan") == {}


def test_adopt_existing_the_quick_way(tmp_path: Path, emulator: Emulator) -> None:
    """The README's quick way, for a program of your own: `export --adopt --format python` → preview: only imports
    → `up --skip-preview`: no write → nothing to change."""
    by_hand = emulator.api("POST", "/data_sources", key=KEY, json={"name": "Legacy billing"}).json()
    for external_id in ("legacy_basic", "legacy_plus", "legacy_annual"):
        emulator.api("POST", "/plans", key=KEY, json={"data_source_uuid": by_hand["uuid"], "name": external_id,
                                                      "interval_count": 1, "interval_unit": "month",
                                                      "external_id": external_id})
    project = new_stack(make_project(tmp_path, EXAMPLES / "adopt-existing", stack="dev"), emulator)
    subprocess.run([sys.executable, "-m", "pulumi_chartmogul", "export", "--adopt", "--format", "python",
                    "--data-source", "Legacy billing", "--output", str(project.folder / "__main__.py")],
                   env={**os.environ, "CHARTMOGUL_API_KEY": KEY, "CHARTMOGUL_ENDPOINT": emulator.api_root},
                   check=True, capture_output=True, timeout=120)
    assert Counter(project.preview_steps().values()) == {"import": 4}
    before = Counter(emulator.stats()["by_route"])
    project.pulumi("up", "--yes", "--skip-preview")
    sent = Counter(emulator.stats()["by_route"]) - before
    assert_plans_read(sent, 3, {"GET /v1/data_sources/{uuid}": 1})
    assert project.outputs()["data_sources"] == {"Legacy billing": by_hand["uuid"]}
    project.pulumi("preview", "--expect-no-changes")


def test_yaml_catalog(tmp_path: Path, emulator: Emulator) -> None:
    """examples/yaml-catalog copied out of the repository, as its README says: the native plugin on PATH, the
    integration's source and plans seeded from its emulator-seed.json. The group holds three declared plans and the
    integration's, looked up; a no-change preview sends exactly the two lookups' requests and nothing else; destroy
    leaves the integration's objects as they were."""
    host_dir = require_host()
    folder = tmp_path / "yaml-catalog"
    shutil.copytree(EXAMPLES / "yaml-catalog", folder)
    seed = json.loads((folder / "emulator-seed.json").read_text(encoding="utf-8"))
    seeded = emulator.seed(seed["data_sources"])
    integration = {plan["external_id"]: plan for plan in seeded["plans"]}
    backend = tmp_path / "state"
    backend.mkdir()
    project = new_stack(yaml_project(folder, backend, host_dir, plugin_on_path(tmp_path / "bin")), emulator)

    before = Counter(emulator.stats()["by_route"])
    project.checked("up", "--yes", "--skip-preview")
    sent = Counter(emulator.stats()["by_route"]) - before
    assert {route: n for route, n in sent.items() if not route.startswith("GET")} == {
        "POST /v1/data_sources": 2, "POST /v1/plans": 4, "POST /v1/plan_groups": 1}
    sources, plans = api_sources(emulator), api_plans(emulator)
    assert set(sources) == {"Web shop", "Resellers", "Stripe"}
    outputs = json.loads(project.checked("stack", "output", "--json").stdout)
    assert outputs["dataSources"] == {name: sources[name]["uuid"] for name in ("Web shop", "Resellers")}
    ours = {external_id: p["uuid"] for (source, external_id), p in plans.items() if source != "Stripe"}
    assert outputs["plans"] == ours and set(ours) == {"basic_monthly", "pro_monthly", "pro_yearly",
                                                      "reseller_quarterly"}
    assert outputs["integrationPlan"] == integration["gold_monthly"]["uuid"]
    [group] = emulator.api("GET", "/plan_groups", key=KEY).json()["plan_groups"]
    assert (group["uuid"], group["name"], group["plans_count"]) == (outputs["premiumGroup"], "Premium", 4)
    grouped = {p["uuid"] for p in listed(emulator, f"/plan_groups/{group['uuid']}/plans", "plans")}
    assert grouped == {ours["pro_monthly"], ours["pro_yearly"], ours["reseller_quarterly"],
                       integration["gold_monthly"]["uuid"]}

    # A preview with nothing to change runs the program's two lookups, one request each (the source by name, the
    # plan by source and external id), and sends nothing else.
    before = Counter(emulator.stats()["by_route"])
    project.checked("preview", "--expect-no-changes")
    assert Counter(emulator.stats()["by_route"]) - before == Counter({"GET /v1/data_sources": 1,
                                                                      "GET /v1/plans": 1})

    project.checked("destroy", "--yes", "--skip-preview")
    assert set(api_sources(emulator)) == {"Stripe"}
    assert {external_id: p for (_, external_id), p in api_plans(emulator).items()} == integration
    assert emulator.api("GET", "/plan_groups", key=KEY).json()["plan_groups"] == []


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.iterdir() if (p / "Pulumi.yaml").exists()))
def test_every_example_has_a_test_here(example: str) -> None:
    tested = {"quickstart", "multi-environment", "adopt-existing", "yaml-catalog",
              "typescript-catalog"}  # the last in test_typescript_template_cli.py
    assert example in tested, f"examples/{example} has no up + destroy test in {Path(__file__).name}"
