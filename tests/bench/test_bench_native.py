"""bench/native.py without a CLI: the YAML program declares the dynamic rows' catalog under the bootstrap program's
resource names, and the state's bytes per plan are counted whole and without the engine's provenance fields."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from bench import native
from bench.cli import catalog


def test_the_yaml_program_is_the_dynamic_rows_catalog() -> None:
    project = native.program(6, Path("/opt/plugins"))
    assert project["runtime"] == "yaml"
    assert project["plugins"] == {"providers": [{"name": "chartmogul", "path": "/opt/plugins"}]}
    resources = project["resources"]
    sources = {name: r for name, r in resources.items() if r["type"] == native.DATA_SOURCE_TYPE}
    plans = {name: r for name, r in resources.items() if r["type"] == native.PLAN_TYPE}
    assert sorted(sources) == [f"bench-source-{k}" for k in range(4)]
    assert len(plans) == 6 == sum(len(source["plans"]) for source in catalog(6))
    assert plans["bench-source-1-bench_00005"]["properties"] == {
        "dataSourceUuid": "${bench-source-1.uuid}", "name": "Bench plan 5", "intervalCount": 1,
        "intervalUnit": "month", "externalId": "bench_00005"}


def test_state_bytes_per_plan_whole_and_without_provenance() -> None:
    plan = {"urn": "urn:pulumi:bench::p::chartmogul:index:Plan::a", "type": "chartmogul:index:Plan",
            "outputs": {"uuid": "pl_1"}}
    provenance = {"sourcePosition": "project:///Pulumi.yaml#12,5", "stackTrace": {"frames": [{"pc": "x"}]}}
    export = {"deployment": {"resources": [
        {"urn": "urn:pulumi:bench::p::pulumi:pulumi:Stack::p-bench", "type": "pulumi:pulumi:Stack"},
        {**plan, **provenance},
        {**plan, "type": "pulumi-python:dynamic/chartmogul:Plan"},
        {"urn": "u", "type": "chartmogul:index:DataSource", "outputs": {"uuid": "ds_1"}},
    ]}}
    state = native.state_bytes(export)

    def size(resource: Mapping[str, object]) -> int:
        return len(json.dumps(resource, separators=(",", ":")))

    dynamic = {**plan, "type": "pulumi-python:dynamic/chartmogul:Plan"}
    assert state.plans == 2
    assert state.bare == (size(plan) + size(dynamic)) / 2
    assert state.whole == (size({**plan, **provenance}) + size(dynamic)) / 2
