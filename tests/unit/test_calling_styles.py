"""Every calling style (keywords, typed Args, both, with opts in third place) registers the same inputs on every
resource, under mocks; anything else in the three positions is a TypeError that names the parameter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pytest

from pulumi_chartmogul import DataSource, DataSourceArgs, Plan, PlanArgs, PlanGroup, PlanGroupArgs
from tests.unit.recording_mocks import RecordingMocks, recording_mocks

SOURCE_UUID = "ds_1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b"
PLAN_UUID = "pl_1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b"


@pytest.fixture
def mocks() -> RecordingMocks:
    return recording_mocks()


@pulumi.runtime.test
def test_styles_register_identical_inputs(mocks: RecordingMocks) -> Any:
    keep = pulumi.ResourceOptions(protect=True)
    plan_fields: dict[str, Any] = {"data_source_uuid": SOURCE_UUID, "name": "Bronze", "interval_count": 1,
                                   "interval_unit": "month", "external_id": "bronze"}
    resources: dict[str, pulumi.CustomResource] = {
        "kw": DataSource("kw", name="Billing"),
        "args": DataSource("args", DataSourceArgs(name="Billing")),
        "args-opts": DataSource("args-opts", DataSourceArgs(name="Billing"), keep),
        "kw-args": DataSource("kw-args", args=DataSourceArgs(name="Other"), name="Billing", opts=keep),
        "default-name": DataSource("default-name"),
        "p-kw": Plan("p-kw", **plan_fields),
        "p-args": Plan("p-args", PlanArgs(**plan_fields)),
        "p-args-opts": Plan("p-args-opts", PlanArgs(**plan_fields), keep),
        "p-kw-args": Plan("p-kw-args", args=PlanArgs(**{**plan_fields, "name": "Old"}), name="Bronze", opts=keep),
        "p-default": Plan("p-default", **{**plan_fields, "external_id": None}),
        "g-kw": PlanGroup("g-kw", name="Self-serve", plans=[PLAN_UUID]),
        "g-args": PlanGroup("g-args", PlanGroupArgs(name="Self-serve", plans=[PLAN_UUID])),
        "g-args-opts": PlanGroup("g-args-opts", PlanGroupArgs(name="Self-serve", plans=[PLAN_UUID]), keep),
        "g-kw-args": PlanGroup("g-kw-args", args=PlanGroupArgs(plans=[PLAN_UUID]), name="Self-serve", opts=keep),
    }

    def verify(_: Any) -> None:
        for prefix, kind, expected in (
            ("", "DataSource", {"name": "Billing", "adopt": False}),
            ("p-", "Plan", {**plan_fields, "adopt": False}),
            ("g-", "PlanGroup", {"name": "Self-serve", "plans": [PLAN_UUID], "adopt": False}),
        ):
            for style in ("kw", "args", "args-opts", "kw-args"):
                typ, inputs = mocks.registered[prefix + style]
                assert typ == f"pulumi-python:dynamic/chartmogul:{kind}", style
                assert {k: inputs[k] for k in expected} == expected, (prefix + style, inputs)
                # opts in third place is the options (it once was adopt for DataSource and name for Plan)
                assert bool(resources[prefix + style]._protect) is (style in ("args-opts", "kw-args")), prefix + style
        assert mocks.registered["default-name"][1]["name"] == "default-name"
        assert mocks.registered["p-default"][1]["external_id"] == "p-default"

    return pulumi.Output.all(*[r.id for r in resources.values()]).apply(verify)


PLAN_KW: dict[str, Any] = {"data_source_uuid": SOURCE_UUID, "name": "Bronze", "interval_count": 1,
                           "interval_unit": "month"}
CONSTRUCTORS: dict[str, Callable[..., Any]] = {
    "DataSource": lambda *a, **kw: DataSource(*a, **kw),
    "Plan": lambda *a, **kw: Plan(*a, **{**PLAN_KW, **kw}),
    "PlanGroup": lambda *a, **kw: PlanGroup(*a, **{"plans": [PLAN_UUID], **kw}),
}


@pytest.mark.parametrize("kind", sorted(CONSTRUCTORS))
@pytest.mark.parametrize(("positional", "parameter", "got"), [
    (("x", "Billing"), "args", "str 'Billing'"),  # a property in second place, as 0.1 allowed
    (("x", pulumi.ResourceOptions(protect=True)), "args", "ResourceOptions"),
    (("x", None, True), "opts", "bool True"),  # DataSource's adopt was third in 0.1
    (("x", None, {"protect": True}), "opts", "dict"),
    (("x", None, DataSourceArgs()), "opts", "DataSourceArgs"),
    ((None,), "resource_name", "NoneType"),
    (("",), "resource_name", "str ''"),
])
def test_a_wrong_type_in_a_position_is_a_type_error_naming_it(mocks: RecordingMocks, kind: str,
                                                               positional: tuple[Any, ...], parameter: str,
                                                               got: str) -> None:
    with pytest.raises(TypeError) as raised:
        CONSTRUCTORS[kind](*positional)
    message = str(raised.value)
    assert message.startswith(f"{kind}() argument '{parameter}' must be"), message
    assert f"not {got}" in message, message
    if parameter == "args":
        assert "positional properties were removed in 0.2.0" in message


def test_another_resources_args_is_refused(mocks: RecordingMocks) -> None:
    with pytest.raises(TypeError, match=r"Plan\(\) argument 'args' must be PlanArgs or None, not DataSourceArgs"):
        Plan("x", DataSourceArgs(name="Billing"))  # type: ignore[arg-type]


def test_a_plan_without_its_required_arguments_fails_at_construction(mocks: RecordingMocks) -> None:
    with pytest.raises(TypeError, match="interval_count, interval_unit"):
        Plan("incomplete", data_source_uuid=SOURCE_UUID, name="Bronze")
