"""Program-side wiring of PlanGroup and of the static ``get``s under mocks: plan uuids (declared or read) flow into
the group's ``plans``; ``get`` registers a read of the given id, never a create."""

from __future__ import annotations

from collections.abc import Iterator

import pulumi
import pytest

from pulumi_chartmogul import DataSource, Plan, PlanGroup, PlanGroupArgs

from .mocking import DATA_SOURCE_TYPE, PLAN_GROUP_TYPE, PLAN_TYPE, Harness, Recorder, mocked

STRIPE_SOURCE = "ds_11111111-1111-4111-8111-111111111111"
STRIPE_PLAN = "pl_22222222-2222-4222-8222-222222222222"


@pytest.fixture
def harness() -> Iterator[Harness]:
    with mocked(Recorder()) as h:
        yield h


def test_a_group_takes_declared_and_read_plans(harness: Harness) -> None:
    def program() -> None:
        source = DataSource("billing", name="In-house billing")
        bronze = Plan("bronze", data_source_uuid=source.uuid, name="Bronze", interval_count=1,
                      interval_unit="month")
        stripe = Plan.get("stripe-gold", STRIPE_PLAN)
        DataSource.get("stripe", STRIPE_SOURCE)
        group = PlanGroup("self-serve", name="Self-serve", plans=[bronze.uuid, stripe.uuid])
        pulumi.export("group", group.uuid)

    exports = harness.run(program)
    registered = harness.mocks.named("self-serve")
    assert registered.typ == PLAN_GROUP_TYPE
    assert registered.inputs["plans"] == [harness.mocks.named("bronze").id, STRIPE_PLAN]
    assert (registered.inputs["name"], registered.inputs["adopt"]) == ("Self-serve", False)
    assert exports["group"] == registered.id
    # The gets are reads of the ids asked for, with the outputs as (dropped) None props: nothing to create.
    read_plan, read_source = harness.mocks.named("stripe-gold"), harness.mocks.named("stripe")
    assert (read_plan.typ, read_plan.id) == (PLAN_TYPE, STRIPE_PLAN)
    assert (read_source.typ, read_source.id) == (DATA_SOURCE_TYPE, STRIPE_SOURCE)
    assert set(read_plan.inputs) == {"__provider"}


def test_typed_args_and_defaults(harness: Harness) -> None:
    def program() -> None:
        PlanGroup("Annual plans", args=PlanGroupArgs(plans=[STRIPE_PLAN], adopt=True))
        PlanGroup("positional", PlanGroupArgs(name="Named", plans=[STRIPE_PLAN]))

    harness.run(program)
    assert (harness.mocks.named("Annual plans").inputs["name"], harness.mocks.named("Annual plans").inputs["adopt"]) \
        == ("Annual plans", True)
    assert harness.mocks.named("positional").inputs["name"] == "Named"


def test_plans_are_required(harness: Harness) -> None:
    with pytest.raises(TypeError, match="PlanGroup 'g' is missing required argument"):
        PlanGroup("g", name="G")
