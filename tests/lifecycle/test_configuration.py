"""Configuration reaches the provider only through configure(): key, endpoint, refusals, check without a key."""

from __future__ import annotations

import pytest

from testkit.emulator import Emulator
from testkit.engine import CheckFailed, Engine
from testkit.host import ProviderHost, ProviderHostError
from testkit.inputs import host_config
from testkit.providers import DATA_SOURCE, DATA_SOURCE_PROVIDER, PLAN, PLAN_GROUP, PLAN_GROUP_PROVIDER, PLAN_PROVIDER
from tests.bad_inputs import BAD_INPUTS, GOOD_PLAN
from tests.lifecycle.conftest import API_KEY


def test_every_bad_input_is_refused_by_check_through_the_host_with_no_request(
        engine: Engine, emulator: Emulator) -> None:
    for bad in BAD_INPUTS:
        provider = {DATA_SOURCE: DATA_SOURCE_PROVIDER, PLAN: PLAN_PROVIDER, PLAN_GROUP: PLAN_GROUP_PROVIDER}[
            bad.type_token]
        with pytest.raises(CheckFailed) as caught:
            engine.up(bad.type_token, "bad", bad.inputs(), provider=provider)
        failures = dict(caught.value.failures)
        assert list(failures) == [bad.field], (bad.label, failures)
        assert bad.reason_contains in failures[bad.field], (bad.label, failures)
    assert emulator.stats()["requests"] == 0


def test_a_missing_key_is_a_clear_error_naming_both_ways_to_set_it(emulator: Emulator) -> None:
    with ProviderHost({"chartmogul:endpoint": emulator.api_root}, env={"CHARTMOGUL_API_KEY": ""}) as host:
        engine = Engine(host)
        # check needs no key: a preview of bad input still reports the field
        with pytest.raises(CheckFailed) as refused:
            engine.preview(PLAN, "p", {**GOOD_PLAN, "interval_unit": "week"}, provider=PLAN_PROVIDER)
        assert [field for field, _ in refused.value.failures] == ["interval_unit"]
        op, _, check = engine.preview(PLAN, "p", GOOD_PLAN, provider=PLAN_PROVIDER)
        assert (op, check.failures) == ("create", [])
        with pytest.raises(ProviderHostError) as caught:
            engine.up(DATA_SOURCE, "s", {"name": "s", "adopt": False}, provider=DATA_SOURCE_PROVIDER)
    assert "chartmogul:apiKey" in caught.value.details
    assert "CHARTMOGUL_API_KEY" in caught.value.details
    assert emulator.stats()["requests"] == 0


def test_the_environment_is_the_fallback_for_key_and_endpoint(emulator: Emulator) -> None:
    with ProviderHost({}, env={"CHARTMOGUL_API_KEY": API_KEY, "CHARTMOGUL_ENDPOINT": emulator.api_root}) as host:
        op, source = Engine(host).up(DATA_SOURCE, "s", {"name": "from env", "adopt": False},
                                     provider=DATA_SOURCE_PROVIDER)
    assert op == "create"
    assert emulator.api("GET", f"/data_sources/{source.id}").json()["name"] == "from env"


def test_plain_http_to_a_remote_host_is_refused_before_any_request(emulator: Emulator) -> None:
    config = {"chartmogul:apiKey": API_KEY, "chartmogul:endpoint": "http://api.chartmogul.com/v1"}
    with ProviderHost(config) as host, pytest.raises(ProviderHostError) as caught:
        Engine(host).up(DATA_SOURCE, "s", {"name": "s", "adopt": False}, provider=DATA_SOURCE_PROVIDER)
    assert "plain http" in caught.value.details
    assert API_KEY not in caught.value.details


@pytest.mark.parametrize("switch", [{"env": {"CHARTMOGUL_ADOPT_EXISTING": "true"}},
                                    {"config": {"adoptExisting": "true"}}], ids=["env", "config"])
def test_the_adopt_existing_switch_makes_every_create_adopt(emulator: Emulator, switch: dict[str, dict[str, str]]
                                                            ) -> None:
    source = emulator.api("POST", "/data_sources", key=API_KEY, json={"name": "Already there"}).json()
    plan = emulator.api("POST", "/plans", key=API_KEY, json={
        "data_source_uuid": source["uuid"], "name": "Old name", "interval_count": 1, "interval_unit": "month",
        "external_id": "already"}).json()
    declared = {**GOOD_PLAN, "data_source_uuid": source["uuid"], "external_id": "already", "adopt": False}
    with ProviderHost(host_config(emulator, API_KEY, **switch.get("config", {})), env=switch.get("env")) as host:
        engine = Engine(host)
        op, adopted_source = engine.up(DATA_SOURCE, "s", {"name": "Already there", "adopt": False},
                                       provider=DATA_SOURCE_PROVIDER)
        assert (op, adopted_source.id) == ("create", source["uuid"])
        op, adopted_plan = engine.up(PLAN, "p", declared, provider=PLAN_PROVIDER)
        assert (op, adopted_plan.id) == ("create", plan["uuid"])
    assert emulator.api("GET", f"/plans/{plan['uuid']}", key=API_KEY).json()["name"] == GOOD_PLAN["name"]
    assert len(emulator.api("GET", "/plans", key=API_KEY).json()["plans"]) == 1
    assert len(emulator.api("GET", "/data_sources", key=API_KEY).json()["data_sources"]) == 1
    # Without the switch the same creates are refused (the default stays: never take over silently).
    with ProviderHost(host_config(emulator, API_KEY)) as host, pytest.raises(ProviderHostError) as caught:
        Engine(host).up(DATA_SOURCE, "s2", {"name": "Already there", "adopt": False}, provider=DATA_SOURCE_PROVIDER)
    assert "CHARTMOGUL_ADOPT_EXISTING=true" in caught.value.details
