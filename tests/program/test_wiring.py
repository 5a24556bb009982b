"""Program-side wiring under mocks: outputs flow from source to plan, the serialized provider stays small and
plain, and thousands of resources can be declared (the serialize_provider recursion fix)."""

from __future__ import annotations

import pickle
from collections.abc import Iterator

import pulumi
import pulumi.dynamic.dynamic as dynamic
import pytest
from pulumi.runtime import rpc

from pulumi_chartmogul import DataSource, Plan
from pulumi_chartmogul.resources.plan import PlanProvider

from .mocking import DATA_SOURCE_TYPE, PLAN_TYPE, Harness, Recorder, mocked

MANY = 5_000


@pytest.fixture
def harness() -> Iterator[Harness]:
    with mocked(Recorder()) as h:
        yield h


def test_plan_data_source_uuid_resolves_to_the_data_source_uuid(harness: Harness) -> None:
    seen: dict[str, str] = {}

    def program() -> None:
        source = DataSource("billing", name="In-house billing")
        bronze = Plan("bronze", data_source_uuid=source.uuid, name="Bronze Plan", interval_count=1,
                      interval_unit="month", external_id="plan_0001")
        pulumi.export("source", source.uuid)
        pulumi.export("plan_source", bronze.data_source_uuid)
        source.uuid.apply(lambda v: seen.update(source=v))

    exports = harness.run(program)
    assert exports["plan_source"] == exports["source"] == seen["source"] == harness.mocks.named("billing").id
    # What the engine would have received for the plan: the resolved uuid, not a placeholder.
    registered = harness.mocks.named("bronze")
    assert registered.typ == PLAN_TYPE
    assert registered.inputs["data_source_uuid"] == exports["source"]
    assert {k: v for k, v in registered.inputs.items() if k != "__provider"} == {
        "data_source_uuid": exports["source"], "name": "Bronze Plan", "interval_count": 1,
        "interval_unit": "month", "external_id": "plan_0001", "adopt": False,
    }
    assert harness.mocks.named("billing").inputs["name"] == "In-house billing"


def test_defaults_name_and_external_id_come_from_the_resource_name(harness: Harness) -> None:
    def program() -> None:
        source = DataSource("billing")
        Plan("plan_0002", data_source_uuid=source.uuid, name="Silver", interval_count=1, interval_unit="year")

    harness.run(program)
    assert harness.mocks.named("billing").inputs["name"] == "billing"
    assert harness.mocks.named("billing").inputs["adopt"] is False
    assert harness.mocks.named("plan_0002").inputs["external_id"] == "plan_0002"


def test_the_serialized_provider_is_short_and_not_a_secret(harness: Harness) -> None:
    def program() -> None:
        source = DataSource("billing", name="In-house billing")
        Plan("bronze", data_source_uuid=source.uuid, name="Bronze", interval_count=1, interval_unit="month")

    harness.run(program)
    for typ in (DATA_SOURCE_TYPE, PLAN_TYPE):
        (registration,) = harness.mocks.of_type(typ)
        blob = registration.inputs["__provider"]
        # A secret would arrive as {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ...}.
        assert isinstance(blob, str), f"{typ}: __provider is wrapped ({type(blob).__name__}), i.e. a secret"
        assert not rpc.is_rpc_secret(blob)
        assert len(blob) < 200, f"{typ}: __provider is {len(blob)} characters: state must have been pickled"


def test_the_serialize_provider_fix_is_installed() -> None:
    assert getattr(dynamic.serialize_provider, "_chartmogul_fixed", False) is True
    assert hasattr(dynamic.serialize_provider, "__wrapped__")


def test_five_thousand_plans_construct_and_register(harness: Harness) -> None:
    def program() -> None:
        source = DataSource("billing", name="In-house billing")
        for i in range(MANY):
            Plan(f"plan-{i}", data_source_uuid=source.uuid, name=f"Plan {i}", interval_count=1 + i % 12,
                 interval_unit="month", external_id=f"plan_{i:05d}")

    harness.run(program)
    plans = harness.mocks.of_type(PLAN_TYPE)
    assert len(plans) == MANY
    (source,) = harness.mocks.of_type(DATA_SOURCE_TYPE)
    assert {p.inputs["data_source_uuid"] for p in plans} == {source.id}
    assert len({p.inputs["__provider"] for p in plans}) == 1


def test_without_the_fix_the_stock_sdk_fails_in_the_same_loop(harness: Harness) -> None:
    """Proves the 5,000-plan test can fail: with the SDK's own serialize_provider the same loop dies early."""
    fixed = dynamic.serialize_provider
    stock = fixed.__wrapped__
    saved = (pickle.Pickler, pickle._Pickler._batch_setitems, pickle._Pickler.save_dict)  # type: ignore[attr-defined]

    def restore_pickler() -> None:
        pickle.Pickler = saved[0]  # type: ignore[misc]
        pickle._Pickler._batch_setitems, pickle._Pickler.save_dict = saved[1:]  # type: ignore[attr-defined]

    declared = 0
    failure: BaseException | None = None

    def program() -> None:
        nonlocal declared, failure
        source = DataSource("billing", name="In-house billing")
        dynamic.serialize_provider = stock
        try:
            for i in range(MANY):
                Plan(f"plan-{i}", data_source_uuid=source.uuid, name=f"Plan {i}", interval_count=1,
                     interval_unit="month", external_id=f"plan_{i:05d}")
                declared += 1
        except RecursionError as exc:
            failure = exc
        finally:
            dynamic.serialize_provider = fixed
            restore_pickler()

    harness.run(program)
    assert dynamic.serialize_provider is fixed
    assert isinstance(failure, RecursionError), f"the stock SDK declared all {declared} plans"
    # It is the wrappers piling up (one per call), not a plan it cannot pickle: hundreds went through first
    # (932 with Python 3.11's default recursion limit of 1000 when this was written).
    assert 100 < declared < MANY, declared
    # The pickler is back as it was, and the stock function (one call) gives the blob the fix hands out.
    assert (pickle.Pickler, pickle._Pickler._batch_setitems, pickle._Pickler.save_dict) == saved  # type: ignore[attr-defined]
    try:
        assert stock(PlanProvider()) == fixed(PlanProvider())
    finally:
        restore_pickler()
