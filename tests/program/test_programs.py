"""The bootstrap program and every example, run as the language host runs them (``__main__.py`` of the program
folder, stack config set), under mocks: they declare what they should and export what they promise."""

from __future__ import annotations

import runpy
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_chartmogul.catalog import CatalogError

from .mocking import DATA_SOURCE_TYPE, PLAN_GROUP_TYPE, PLAN_TYPE, REPO, Harness, Recorder, mocked

EXAMPLES = REPO / "examples"


def project_name(program_dir: Any) -> str:
    return str(yaml.safe_load((program_dir / "Pulumi.yaml").read_text())["name"])


def stack_config(program_dir: Any, stack: str) -> dict[str, Any]:
    return dict(yaml.safe_load((program_dir / f"Pulumi.{stack}.yaml").read_text())["config"])


@pytest.fixture
def bootstrap() -> Iterator[Harness]:
    with mocked(Recorder(), project=project_name(REPO), stack="demo") as harness:
        yield harness


def plans_by_external_id(harness: Harness) -> dict[str, Any]:
    return {r.inputs["external_id"]: r for r in harness.mocks.of_type(PLAN_TYPE)}


def test_bootstrap_program_declares_the_demo_catalog_and_exports_uuids(bootstrap: Harness) -> None:
    config = stack_config(REPO, "demo")
    exports = bootstrap.run_path(REPO, config)

    catalog = config["chartmogul-bootstrap:catalog"]
    sources = {r.inputs["name"]: r for r in bootstrap.mocks.of_type(DATA_SOURCE_TYPE)}
    plans = plans_by_external_id(bootstrap)
    assert set(sources) == {entry["name"] for entry in catalog}
    assert set(plans) == {p["external_id"] for entry in catalog for p in entry["plans"]}
    # Resource names (URNs) come from the natural keys only.
    assert {r.name for r in sources.values()} == {"in-house-billing", "partner-resellers"}
    assert plans["trial_14_days"].name == "partner-resellers-trial_14_days"
    # Each plan is wired to its own data source's uuid, with the declared fields.
    for entry in catalog:
        for declared in entry["plans"]:
            registered = plans[declared["external_id"]]
            assert registered.inputs["data_source_uuid"] == sources[entry["name"]].id
            assert {k: registered.inputs[k] for k in declared} == declared

    assert exports["data_sources"] == {name: r.id for name, r in sources.items()}
    names = {r.id: name for name, r in sources.items()}
    assert exports["plans"] == {names[uuid]: {external_id: r.id for external_id, r in plans.items()
                                              if r.inputs["data_source_uuid"] == uuid} for uuid in names}


def test_bootstrap_program_stops_on_an_invalid_catalog_before_declaring_anything(bootstrap: Harness) -> None:
    catalog = [{"name": "A", "plans": [{"name": "P", "interval_count": 1, "interval_unit": "week",
                                        "external_id": "p"}]},
               {"name": "B", "plans": [{"name": "Q", "interval_count": 1, "interval_unit": "day",
                                        "external_id": "p"},  # also in A: fine, unique per data source
                                       {"name": "R", "interval_count": 1, "interval_unit": "day",
                                        "external_id": "p"}]}]
    with pytest.raises(CatalogError) as caught:
        bootstrap.run_path(REPO, {"catalog": catalog})
    assert caught.value.problems == [
        "catalog[0].plans[0].interval_unit: Input should be 'day', 'month' or 'year' (got 'week')",
        "catalog[1].plans[1].external_id: 'p' is declared twice in this data source (also catalog[1].plans[0])",
    ]
    assert bootstrap.mocks.registrations == []


def test_bootstrap_program_requires_the_catalog(bootstrap: Harness) -> None:
    import pulumi

    with pytest.raises(pulumi.ConfigMissingError, match="chartmogul-bootstrap:catalog"):
        bootstrap.run_path(REPO, {})
    assert bootstrap.mocks.registrations == []


def test_quickstart_example() -> None:
    program = EXAMPLES / "quickstart"
    with mocked(Recorder(), project=project_name(program)) as harness:
        exports = harness.run_path(program)
    (source,) = harness.mocks.of_type(DATA_SOURCE_TYPE)
    plans = plans_by_external_id(harness)
    assert exports["data_source_uuid"] == source.id
    assert exports["plans"] == {external_id: r.id for external_id, r in plans.items()}
    assert sorted(plans) == ["enterprise_yearly", "starter_monthly", "team_quarterly"]
    assert {r.inputs["data_source_uuid"] for r in plans.values()} == {source.id}
    assert {(r.inputs["interval_count"], r.inputs["interval_unit"]) for r in plans.values()} == {
        (1, "month"), (3, "month"), (1, "year")}
    (group,) = harness.mocks.of_type(PLAN_GROUP_TYPE)
    assert exports["plan_group_uuid"] == group.id
    assert group.inputs["plans"] == [plans["team_quarterly"].id, plans["enterprise_yearly"].id]


def test_the_template_program() -> None:
    program = REPO / "templates" / "chartmogul-python"
    with mocked(Recorder(), project="from-template") as harness:
        exports = harness.run_path(program)
    (source,) = harness.mocks.of_type(DATA_SOURCE_TYPE)
    plans = plans_by_external_id(harness)
    assert exports["plans"] == {external_id: r.id for external_id, r in plans.items()}
    assert sorted(plans) == ["starter_monthly", "team_monthly", "team_yearly"]
    assert {r.inputs["data_source_uuid"] for r in plans.values()} == {source.id}
    (group,) = harness.mocks.of_type(PLAN_GROUP_TYPE)
    assert group.inputs["plans"] == [plans["team_monthly"].id, plans["team_yearly"].id]


def test_the_readme_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's program, as written (its import_ needs a project that runs our host: the template's)."""
    readme = (REPO / "README.md").read_text()
    code = readme.split("## A program", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    shutil.copytree(REPO / "templates" / "chartmogul-python", tmp_path / "project")
    (tmp_path / "project" / "__main__.py").write_text(code)
    monkeypatch.chdir(tmp_path / "project")
    with mocked(Recorder(), project="readme") as harness:
        exports = harness.run_path(tmp_path / "project")
    plans = plans_by_external_id(harness)
    assert sorted(plans) == ["gold_monthly", "legacy_yearly"]
    assert harness.monitor.import_ids == {"legacy-yearly": "pl_..."}
    (group,) = harness.mocks.of_type(PLAN_GROUP_TYPE)
    assert group.inputs["plans"] == [plans["gold_monthly"].id, plans["legacy_yearly"].id]
    assert exports == {"gold": plans["gold_monthly"].id}


@pytest.mark.parametrize(("stack", "endpoint", "protect"), [
    ("dev", "http://127.0.0.1:8080/v1", False),
    ("prod", "https://api.chartmogul.com/v1", True),
])
def test_multi_environment_example(stack: str, endpoint: str, protect: bool) -> None:
    program = EXAMPLES / "multi-environment"
    config = stack_config(program, stack)
    assert config["chartmogul:endpoint"] == endpoint
    assert "chartmogul:apiKey" not in config  # set per stack with `pulumi config set --secret` (README)
    with mocked(Recorder(), project=project_name(program), stack=stack) as harness:
        exports = harness.run_path(program, config)
    catalog = runpy.run_path(str(program / "shared_catalog.py"))["CATALOG"]
    plans = plans_by_external_id(harness)
    assert set(plans) == {p["external_id"] for entry in catalog for p in entry["plans"]}
    assert (exports["stack"], exports["protected"]) == (stack, protect)
    assert exports["plans"] == {entry["name"]: {p["external_id"]: plans[p["external_id"]].id for p in entry["plans"]}
                                for entry in catalog}
    assert set(exports["data_sources"]) == {entry["name"] for entry in catalog}
    # prod protects every resource; dev protects none.
    declared = [r.name for r in harness.mocks.registrations]
    assert {harness.monitor.protected[name] for name in declared} == {protect}


def test_adopt_existing_example_declares_everything_with_adopt() -> None:
    program = EXAMPLES / "adopt-existing"
    with mocked(Recorder(), project=project_name(program)) as harness:
        exports = harness.run_path(program)
    (source,) = harness.mocks.of_type(DATA_SOURCE_TYPE)
    plans = plans_by_external_id(harness)
    assert source.inputs["adopt"] is True
    assert sorted(plans) == ["legacy_annual", "legacy_basic", "legacy_plus"]
    assert all(r.inputs["adopt"] is True for r in plans.values())
    assert exports == {"data_source_uuid": source.id, "plans": {k: r.id for k, r in plans.items()}}


def test_bootstrap_program_reads_a_catalog_file(bootstrap: Harness, tmp_path: Path) -> None:
    """``catalog_file``: the catalog in its own file, in the shape ``pulumi-chartmogul export`` writes (for
    catalogs too large for stack config)."""
    path = tmp_path / "catalog.yaml"
    path.write_text(
        "# Exported\nconfig:\n  chartmogul-bootstrap:catalog:\n  - name: A\n    plans:\n"
        "    - {name: Gold, interval_count: 1, interval_unit: month, external_id: gold, adopt: true}\n"
        "  - name: B\n    plans:\n"
        "    - {name: Gold, interval_count: 1, interval_unit: year, external_id: gold}\n"
        "  chartmogul-bootstrap:plan_groups:\n  - name: G\n    plans:\n"
        "    - {data_source: B, external_id: gold}\n", encoding="utf-8")
    exports = bootstrap.run_path(REPO, {"catalog_file": str(path)})
    assert set(exports["plans"]) == {"A", "B"} and set(exports["plans"]["A"]) == {"gold"}
    assert set(exports["plan_groups"]) == {"G"}
    (adopted,) = [r for r in bootstrap.mocks.of_type(PLAN_TYPE) if r.inputs["adopt"]]
    assert adopted.name == "a-gold"


def test_a_catalog_file_without_a_catalog_is_an_error(bootstrap: Harness, tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text("config: {}\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="no `config: chartmogul-bootstrap:catalog:` section"):
        bootstrap.run_path(REPO, {"catalog_file": str(path)})
    assert bootstrap.mocks.registrations == []
