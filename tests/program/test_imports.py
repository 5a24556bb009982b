"""Imports by uuid (``ResourceOptions(import_=...)``), program side: catalog entries with a ``uuid`` register as
imports of exactly that object, and a project whose ``Pulumi.yaml`` does not run our provider host is stopped
before anything is registered, with the lines to add (Pulumi's own host fails every import: pulumi#16175)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pulumi
import pytest

from pulumi_chartmogul import Plan
from pulumi_chartmogul.catalog import declare, load_catalog
from pulumi_chartmogul.catalog.groups import declare_plan_groups
from pulumi_chartmogul.resources.import_support import (
    PLUGIN_DIRECTORY,
    import_problem,
    project_plugin_yaml,
    write_launcher,
)

from .mocking import DATA_SOURCE_TYPE, PLAN_GROUP_TYPE, PLAN_TYPE, REPO, Harness, Recorder, mocked

SOURCE = "ds_11111111-1111-4111-8111-111111111111"
GOLD = "pl_22222222-2222-4222-8222-222222222222"
GROUP = "plg_33333333-3333-4333-8333-333333333333"
CATALOG = [{"name": "Billing", "uuid": SOURCE, "plans": [
    {"name": "Gold", "interval_count": 1, "interval_unit": "month", "external_id": "gold", "uuid": GOLD},
    {"name": "New", "interval_count": 1, "interval_unit": "year", "external_id": "new"}]}]
GROUPS = [{"name": "Self-serve", "uuid": GROUP, "plans": [{"data_source": "Billing", "external_id": "gold"}]}]


@pytest.fixture
def harness() -> Iterator[Harness]:
    with mocked(Recorder()) as h:
        yield h


def declare_all() -> None:
    catalog = load_catalog(CATALOG, plan_groups=GROUPS)
    _, plans = declare(catalog)
    declare_plan_groups(catalog.plan_groups, plans)


def test_catalog_uuids_register_as_imports_of_those_objects(harness: Harness, monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    monkeypatch.chdir(REPO)  # the bootstrap project, whose Pulumi.yaml runs the host
    harness.run(declare_all)
    registered = {r.name: (r.typ, r.id) for r in harness.mocks.registrations}
    assert registered["billing"] == (DATA_SOURCE_TYPE, SOURCE)
    assert registered["billing-gold"] == (PLAN_TYPE, GOLD)
    assert registered["plan-group-self-serve"] == (PLAN_GROUP_TYPE, GROUP)
    # No uuid, no import: a plain registration, answered with a fresh id.
    assert registered["billing-new"][1] not in (SOURCE, GOLD, GROUP)
    assert harness.monitor.import_ids == {"billing": SOURCE, "billing-gold": GOLD, "plan-group-self-serve": GROUP}


def test_a_project_without_the_host_is_stopped_before_anything_is_registered(
        harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(Exception, match="needs pulumi_chartmogul's provider host") as raised:
        harness.run(lambda: Plan("gold", data_source_uuid=SOURCE, name="Gold", interval_count=1,
                                 interval_unit="month", opts=pulumi.ResourceOptions(import_=GOLD)))
    assert "Plan 'gold' imports 'pl_22222222-2222-4222-8222-222222222222'" in str(raised.value)
    assert project_plugin_yaml() in str(raised.value)
    assert harness.mocks.registrations == []


def test_which_project_files_name_the_host(tmp_path: Path) -> None:
    def project(text: str) -> Path:
        folder = tmp_path / str(len(list(tmp_path.iterdir())))
        (folder / "program").mkdir(parents=True)
        (folder / "Pulumi.yaml").write_text(text)
        return folder / "program"  # a program in a subfolder finds the project file above it

    named = project(f"name: p\n{project_plugin_yaml()}")
    missing = import_problem(named)  # the lines, but not the launcher they name
    assert missing is not None and "which is not pulumi_chartmogul's host" in missing
    write_launcher(named.parent)
    assert import_problem(named) is None  # a new version of the project is read again
    assert import_problem(project(f"name: p\n{project_plugin_yaml(PLUGIN_DIRECTORY)}")) is None  # the package's own
    copy = tmp_path / "copy"
    copy.mkdir()
    executable = "pulumi-resource-pulumi-python"
    (copy / executable).write_text((PLUGIN_DIRECTORY / executable).read_text())
    assert import_problem(project(f"name: p\n{project_plugin_yaml('../copy')}")) is None  # relative to Pulumi.yaml
    other = import_problem(project(f"name: p\n{project_plugin_yaml('/usr/bin')}"))
    assert other is not None and "runs the pulumi-python provider from /usr/bin" in other
    assert "does not name pulumi_chartmogul's provider host" in (import_problem(project("name: p\n")) or "")
    assert "could not be read" in (import_problem(project("name: [p\n")) or "")
    assert import_problem(Path("/")) == "no Pulumi.yaml in / or above it"
