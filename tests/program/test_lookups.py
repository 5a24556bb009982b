"""The Python lookups in a program under mocks, reading the emulator (set as the stack's endpoint, so nothing leaves
this machine): the examples of docs/resources/lookups.md as written, a plan group grouping a looked-up plan, a
lookup that finds nothing failing the program, and results that are not secret though the key is."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pulumi
import pytest
from pulumi.runtime.config import is_config_secret

from pulumi_chartmogul.api.settings import CONFIG_API_KEY, CONFIG_ENDPOINT
from testkit.emulator import Emulator

from .mocking import DATA_SOURCE_TYPE, PLAN_GROUP_TYPE, PLAN_TYPE, REPO, Harness, Recorder, mocked

DOC = REPO / "docs" / "resources" / "lookups.md"
KEY = "lookup-test-key"


def examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)


def plan(external_id: str, unit: str = "month", name: str = "Gold") -> dict[str, Any]:
    return {"name": name, "interval_count": 1, "interval_unit": unit, "external_id": external_id}


@contextmanager
def reading(emulator: Emulator, mocks: Recorder) -> Iterator[Harness]:
    """Mocks, with the stack config that points the lookups at the emulator (the key as a secret)."""
    with mocked(mocks, project="lookups") as harness:
        pulumi.runtime.set_all_config({CONFIG_API_KEY: KEY, CONFIG_ENDPOINT: emulator.api_root}, [CONFIG_API_KEY])
        yield harness


@pytest.fixture
def harness(emulator: Emulator) -> Iterator[Harness]:
    with reading(emulator, Recorder()) as harness:
        yield harness


@pytest.fixture
def stripe(emulator: Emulator) -> dict[str, Any]:
    """A Stripe source as its integration makes it, and a source whose plan has the same external id."""
    return emulator.seed([
        {"name": "Stripe", "system": "Stripe",
         "plans": [plan("gold_monthly"), plan("gold_yearly", "year"), plan("platinum_yearly", "year", "Platinum")]},
        {"name": "Chargebee", "system": "Chargebee", "plans": [plan("gold_monthly")]},
    ])


def group(harness: Harness, name: str) -> list[str]:
    return list(harness.mocks.named(name).inputs["plans"])


def test_the_docs_main_example(harness: Harness, emulator: Emulator, stripe: dict[str, Any]) -> None:
    stripe_gold, stripe_yearly, stripe_platinum, _ = (p["uuid"] for p in stripe["plans"])
    legacy = emulator.api("POST", "/plan_groups", key=KEY,
                          json={"name": "Legacy", "plans": [stripe_gold, stripe_platinum]}).json()
    before = dict(emulator.stats()["by_route"])

    exports = harness.run(lambda: exec(examples()[0], {}))

    own_gold = harness.mocks.named("gold-monthly")
    assert own_gold.typ == PLAN_TYPE and harness.mocks.named("billing").typ == DATA_SOURCE_TYPE
    assert group(harness, "gold-tier") == [own_gold.id, stripe_gold]  # the Stripe plan, not Chargebee's namesake
    assert group(harness, "stripe-annual") == [stripe_yearly, stripe_platinum]
    assert {r.name for r in harness.mocks.of_type(PLAN_GROUP_TYPE)} == {"gold-tier", "stripe-annual"}
    assert exports == {"legacy_members": [stripe_gold, stripe_platinum], "account": "Emulated account"}
    assert legacy["plans_count"] == 2
    after = emulator.stats()["by_route"]
    sent = {route: after[route] - before.get(route, 0) for route in after if after[route] != before.get(route)}
    # The source by name, its plan by external id, its plans (one page), the group by name and its members, the
    # account: nothing else reaches ChartMogul (the resources are mocked).
    assert sent == {"GET /v1/data_sources": 1, "GET /v1/plans": 2, "GET /v1/plan_groups": 1,
                    "GET /v1/plan_groups/{uuid}/plans": 1, "GET /v1/account": 1}


def test_the_docs_by_uuid_example(harness: Harness, emulator: Emulator, stripe: dict[str, Any]) -> None:
    basic = stripe["plans"][0]["uuid"]
    core = emulator.api("POST", "/plan_groups", key=KEY, json={"name": "Core", "plans": [basic]}).json()["uuid"]
    code = examples()[1]
    # The page's example uuids stand for the seeded objects'.
    assert code.count("pl_1b2c3d4e-0000-4000-8000-000000000001") == 1
    assert code.count("plg_1b2c3d4e-0000-4000-8000-000000000002") == 1
    code = code.replace("pl_1b2c3d4e-0000-4000-8000-000000000001", basic)
    code = code.replace("plg_1b2c3d4e-0000-4000-8000-000000000002", core)
    exports = harness.run(lambda: exec(code, {}))
    assert exports == {"basic": "Gold, every 1 month", "core_members": 1}
    assert harness.mocks.registrations == []


def test_the_docs_testing_config_is_what_the_lookups_read() -> None:
    with mocked(Recorder(), project="lookups"):
        exec(examples()[2], {})
        from pulumi_chartmogul.resources.lookup_functions import settings_from_config

        settings = settings_from_config("test-key")
        assert settings.endpoint == "http://127.0.0.1:8080/v1"
        assert settings.api_key == "test-key"
        assert is_config_secret("chartmogul:apiKey") and not is_config_secret("chartmogul:endpoint")


def test_a_lookup_that_finds_nothing_fails_the_program(harness: Harness, stripe: dict[str, Any]) -> None:
    from pulumi_chartmogul import PlanGroup, get_plan

    source = stripe["data_sources"][0]["uuid"]

    def program() -> None:
        missing = get_plan(data_source_uuid=source, external_id="diamond")
        PlanGroup("diamond", plans=[missing.uuid])

    with pytest.raises(Exception, match=f"no plan with external_id 'diamond' in data source {source}"):
        harness.run(program)
    assert harness.mocks.of_type(PLAN_GROUP_TYPE) == []


def test_results_are_not_secret_though_the_key_is(harness: Harness, stripe: dict[str, Any]) -> None:
    from pulumi_chartmogul import get_data_source

    seen: dict[str, Any] = {}

    def program() -> None:
        found = get_data_source(name="Stripe")
        secret: pulumi.Output[bool] = pulumi.Output.from_input(found.is_secret())
        secret.apply(lambda value: seen.update(secret=value))
        found.apply(lambda result: seen.update(result=result))
        pulumi.export("system", found.system)

    exports = harness.run(program)
    assert seen["secret"] is False
    assert seen["result"].uuid == stripe["data_sources"][0]["uuid"]
    assert exports == {"system": "Stripe"}


def test_arguments_that_are_outputs_of_resources_wait_for_them(emulator: Emulator, stripe: dict[str, Any]) -> None:
    """A lookup of a source the program declares (adopted here): its uuid is an Output, resolved before the lookup
    runs."""
    from pulumi_chartmogul import DataSource, PlanGroup, get_plans

    real = stripe["data_sources"][0]["uuid"]

    class AdoptsTheSeededSource(Recorder):
        def respond(self, args: Any) -> tuple[str, dict[str, Any]]:
            if args.typ == DATA_SOURCE_TYPE:
                return real, {**args.inputs, "uuid": real}
            return super().respond(args)

    def program() -> None:
        source = DataSource("stripe", name="Stripe", adopt=True)
        plans = get_plans(data_source_uuid=source.uuid)
        PlanGroup("all-stripe", plans=plans.apply(lambda found: [p.uuid for p in found.plans]))

    with reading(emulator, AdoptsTheSeededSource()) as harness:
        harness.run(program)
    assert group(harness, "all-stripe") == [p["uuid"] for p in stripe["plans"][:3]]
