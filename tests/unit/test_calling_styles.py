"""Both calling styles (keywords, positional, typed Args) register the same inputs, under mocks."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from pulumi_chartmogul import DataSource, DataSourceArgs, Plan, PlanArgs

SOURCE_UUID = "ds_1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b"


class RecordingMocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.registered: dict[str, tuple[str, dict[str, Any]]] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        inputs = {k: v for k, v in args.inputs.items() if k != "__provider"}
        self.registered[args.name] = (args.typ, inputs)
        return f"id-{args.name}", inputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture
def mocks() -> RecordingMocks:
    recording = RecordingMocks()
    pulumi.runtime.set_mocks(recording, preview=False)
    return recording


@pulumi.runtime.test
def test_styles_register_identical_inputs(mocks: RecordingMocks) -> Any:
    resources: list[pulumi.CustomResource] = [
        DataSource("kw", name="Billing"),
        DataSource("pos", "Billing"),
        DataSource("args", DataSourceArgs(name="Billing")),
        DataSource("default-name"),
        Plan("p-kw", data_source_uuid=SOURCE_UUID, name="Bronze", interval_count=1, interval_unit="month",
             external_id="bronze"),
        Plan("p-pos", SOURCE_UUID, "Bronze", 1, "month", "bronze"),
        Plan("p-args", PlanArgs(data_source_uuid=SOURCE_UUID, name="Bronze", interval_count=1,
                                interval_unit="month", external_id="bronze")),
        Plan("p-default", SOURCE_UUID, "Bronze", 1, "month"),
    ]

    def verify(_: Any) -> None:
        sources = {name: mocks.registered[name] for name in ("kw", "pos", "args")}
        assert {typ for typ, _ in sources.values()} == {"pulumi-python:dynamic/chartmogul:DataSource"}
        assert all(inputs["name"] == "Billing" and inputs["adopt"] is False for _, inputs in sources.values())
        assert mocks.registered["default-name"][1]["name"] == "default-name"
        plans = [mocks.registered[name] for name in ("p-kw", "p-pos", "p-args")]
        assert {typ for typ, _ in plans} == {"pulumi-python:dynamic/chartmogul:Plan"}
        assert plans[0][1] == plans[1][1] == plans[2][1]
        assert plans[0][1]["external_id"] == "bronze"
        assert mocks.registered["p-default"][1]["external_id"] == "p-default"

    return pulumi.Output.all(*[r.id for r in resources]).apply(verify)


def test_a_plan_without_its_required_arguments_fails_at_construction(mocks: RecordingMocks) -> None:
    with pytest.raises(TypeError, match="interval_count, interval_unit"):
        Plan("incomplete", data_source_uuid=SOURCE_UUID, name="Bronze")
