"""The official PyPI client ``chartmogul`` (4.11) against the emulator: a client nobody here wrote.

Expectations are what the real API gives that client (docs/emulator.md), quirks included: ``modify`` and
``destroy`` return ``None`` because the client drops every 202/204 body; errors are ``chartmogul.APIError``
carrying the raw body bytes, with the ``requests.HTTPError`` as its cause.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import chartmogul
import pytest
import requests

from testkit.emulator import Emulator
from tests.emulator.expected import DS_UUID, PL_UUID


def _config(emulator: Emulator, key: str = "client-key") -> Any:
    config = chartmogul.Config(key, request_timeout=10, max_retries=0)
    config.uri = emulator.api_root  # the class default is "https://api.chartmogul.com/v1"; api_root ends in /v1
    return config


@pytest.fixture
def config(emulator: Emulator) -> Any:
    return _config(emulator)


def _api_error(call: Any) -> tuple[int, bytes]:
    """Run a client call that must fail; the HTTP status and raw body of the APIError."""
    with pytest.raises(chartmogul.APIError) as caught:
        call().get()
    cause = caught.value.__cause__
    assert isinstance(cause, requests.HTTPError)
    assert cause.response is not None
    body = caught.value.args[0]
    assert isinstance(body, bytes)
    return cause.response.status_code, body


def _monthly_plans(config: Any, data_source_uuid: str, prefix: str, count: int = 3) -> list[Any]:
    """``count`` monthly plans made with the client, external ids ``<prefix>_<i>``."""
    return [
        chartmogul.Plan.create(config, data={"data_source_uuid": data_source_uuid, "name": f"Plan {i}",
                                             "interval_count": 1, "interval_unit": "month",
                                             "external_id": f"{prefix}_{i}"}).get()
        for i in range(count)
    ]


def test_data_source_lifecycle(emulator: Emulator, config: Any) -> None:
    before = datetime.now(UTC)
    created = chartmogul.DataSource.create(config, data={"name": "Official client"}).get()
    assert isinstance(created, chartmogul.DataSource)
    assert DS_UUID.match(created.uuid)
    assert (created.name, created.system, created.status) == ("Official client", "Custom", "idle")
    assert isinstance(created.created_at, datetime)
    assert before - timedelta(seconds=1) <= created.created_at <= datetime.now(UTC)

    listed = chartmogul.DataSource.all(config).get()
    assert [source.uuid for source in listed.data_sources] == [created.uuid]
    by_name = chartmogul.DataSource.all(config, name="Official client", system="Custom").get()
    assert [source.uuid for source in by_name.data_sources] == [created.uuid]
    assert chartmogul.DataSource.all(config, name="someone else").get().data_sources == []

    retrieved = chartmogul.DataSource.retrieve(config, uuid=created.uuid).get()
    assert (retrieved.uuid, retrieved.name, retrieved.created_at) == (created.uuid, created.name, created.created_at)
    assert not hasattr(retrieved, "processing_status")

    assert chartmogul.DataSource.destroy(config, uuid=created.uuid).get() is None
    assert chartmogul.DataSource.all(config).get().data_sources == []
    status, body = _api_error(lambda: chartmogul.DataSource.retrieve(config, uuid=created.uuid))
    assert (status, json.loads(body)) == (404, {"error": "Data source not found"})


def test_data_source_with_flags(emulator: Emulator, config: Any) -> None:
    created = chartmogul.DataSource.create(config, data={"name": "Flags"}).get()
    # The client turns the booleans into "true"/"false" query parameters.
    retrieved = chartmogul.DataSource.retrieve(
        config, uuid=created.uuid, with_processing_status=True, with_auto_churn_subscription_setting=True,
        with_invoice_handling_setting=True,
    ).get()
    status = retrieved.processing_status
    assert (status.processed, status.pending, status.failed) == (0, 0, 0)
    assert retrieved.auto_churn_subscription_setting.enabled is False
    assert retrieved.invoice_handling_setting["manual"]["create_subscription_when_invoice_is"] == "open"
    plain = chartmogul.DataSource.all(config, with_processing_status=False).get().data_sources[0]
    assert not hasattr(plain, "processing_status")


def test_plan_lifecycle(emulator: Emulator, config: Any) -> None:
    source = chartmogul.DataSource.create(config, data={"name": "Plans"}).get()
    other = chartmogul.DataSource.create(config, data={"name": "Other"}).get()
    plans = _monthly_plans(config, source.uuid, "plan")
    generated = chartmogul.Plan.create(config, data={"data_source_uuid": other.uuid, "name": "No id",
                                                     "interval_count": 7, "interval_unit": "day"}).get()
    for plan in plans:
        assert isinstance(plan, chartmogul.Plan)
        assert PL_UUID.match(plan.uuid)
        assert plan.data_source_uuid == source.uuid
    assert generated.external_id == generated.uuid.removeprefix("pl_")

    # The filter, and a cursor walk the way the client exposes it (Plans(plans, has_more, cursor)).
    walked: list[str] = []
    page = chartmogul.Plan.all(config, data_source_uuid=source.uuid, per_page=2).get()
    walked += [plan.uuid for plan in page.plans]
    assert page.has_more is True
    while page.has_more:
        page = chartmogul.Plan.all(config, data_source_uuid=source.uuid, per_page=2, cursor=page.cursor).get()
        walked += [plan.uuid for plan in page.plans]
    assert sorted(walked) == sorted(plan.uuid for plan in plans)
    assert page.cursor, "a last page still carries a cursor, as in the real API"
    everything = chartmogul.Plan.all(config).get()
    assert {plan.uuid for plan in everything.plans} == {plan.uuid for plan in [*plans, generated]}

    target = plans[1]
    retrieved = chartmogul.Plan.retrieve(config, uuid=target.uuid).get()
    assert (retrieved.name, retrieved.interval_count, retrieved.interval_unit, retrieved.external_id) == (
        "Plan 1", 1, "month", "plan_1")

    # The real API answers 202 with the updated plan; this client returns None for any 202.
    modified = chartmogul.Plan.modify(config, uuid=target.uuid,
                                      data={"name": "Plan 1 yearly", "interval_unit": "year"}).get()
    assert modified is None
    after = chartmogul.Plan.retrieve(config, uuid=target.uuid).get()
    assert (after.name, after.interval_count, after.interval_unit, after.external_id) == (
        "Plan 1 yearly", 1, "year", "plan_1")

    assert chartmogul.Plan.destroy(config, uuid=target.uuid).get() is None
    status, body = _api_error(lambda: chartmogul.Plan.retrieve(config, uuid=target.uuid))
    assert (status, json.loads(body)) == (404, {"error": "Plan not found"})
    remaining = chartmogul.Plan.all(config, data_source_uuid=source.uuid).get().plans
    assert sorted(plan.uuid for plan in remaining) == sorted([plans[0].uuid, plans[2].uuid])


def test_duplicate_name_raises_api_error_with_the_readme_body(emulator: Emulator, config: Any) -> None:
    chartmogul.DataSource.create(config, data={"name": "Taken"}).get()
    status, body = _api_error(lambda: chartmogul.DataSource.create(config, data={"name": "Taken"}))
    # Byte for byte what the client's README shows for this error.
    assert (status, body) == (422, b'{"errors":{"name":"Has already been taken."}}')


def test_invalid_plan_raises_api_error(emulator: Emulator, config: Any) -> None:
    source = chartmogul.DataSource.create(config, data={"name": "Strict"}).get()
    status, body = _api_error(lambda: chartmogul.Plan.create(config, data={
        "data_source_uuid": source.uuid, "name": "Weekly", "interval_count": 1, "interval_unit": "week"}))
    assert status == 422
    assert json.loads(body) == {
        "errors": {"interval_unit": "Only 'day', 'month' or 'year' are valid values for interval_unit."}}
    status, body = _api_error(lambda: chartmogul.Plan.modify(config, uuid="pl_missing", data={"name": "x"}))
    assert (status, json.loads(body)) == (404, {"error": "Plan not found"})


def test_bad_key_raises_api_error(emulator: Emulator) -> None:
    status, body = _api_error(lambda: chartmogul.Ping.ping(_config(emulator, key="")))
    assert status == 401
    assert json.loads(body) == {"code": 401, "message": "No valid API key provided", "param": None}
    assert chartmogul.Ping.ping(_config(emulator)).get().data == "pong!"


def test_plan_group_lifecycle(emulator: Emulator, config: Any) -> None:
    source = chartmogul.DataSource.create(config, data={"name": "Grouped"}).get()
    plans = _monthly_plans(config, source.uuid, "grouped")
    created = chartmogul.PlanGroup.create(config, data={"name": "Self-serve",
                                                        "plans": [plans[0].uuid, plans[1].uuid]}).get()
    assert isinstance(created, chartmogul.PlanGroup)
    assert (created.name, created.plans_count) == ("Self-serve", 2)
    assert created.uuid.startswith("plg_")

    retrieved = chartmogul.PlanGroup.retrieve(config, uuid=created.uuid).get()
    assert (retrieved.uuid, retrieved.name, retrieved.plans_count) == (created.uuid, "Self-serve", 2)
    listed = chartmogul.PlanGroup.all(config).get()
    assert [group.uuid for group in listed.plan_groups] == [created.uuid]
    assert listed.has_more is False

    # all(uuid=...) is the group's plans, walked by cursor the way the client exposes it.
    page = chartmogul.PlanGroup.all(config, uuid=created.uuid, per_page=1).get()
    walked = [plan.uuid for plan in page.plans]
    while page.has_more:
        page = chartmogul.PlanGroup.all(config, uuid=created.uuid, per_page=1, cursor=page.cursor).get()
        walked += [plan.uuid for plan in page.plans]
    assert walked == [plans[0].uuid, plans[1].uuid]
    assert page.cursor, "recorded: the last page of a group's plans has a cursor and has_more false"

    # PATCH answers 200 with the group (unlike a plan's 202), so this client returns it; plans replaces.
    modified = chartmogul.PlanGroup.modify(config, uuid=created.uuid,
                                           data={"name": "Renamed", "plans": [plans[2].uuid]}).get()
    assert (modified.name, modified.plans_count) == ("Renamed", 1)
    members = chartmogul.PlanGroup.all(config, uuid=created.uuid).get().plans
    assert [(plan.uuid, plan.external_id) for plan in members] == [(plans[2].uuid, "grouped_2")]

    status, body = _api_error(lambda: chartmogul.PlanGroup.create(config, data={}))
    assert status == 422
    assert json.loads(body)["error_details"][1] == {"param": "plan_ids", "code": "blank",
                                                    "message": "Plan ids can't be blank"}

    assert chartmogul.PlanGroup.destroy(config, uuid=created.uuid).get() is None
    status, body = _api_error(lambda: chartmogul.PlanGroup.retrieve(config, uuid=created.uuid))
    assert (status, json.loads(body)) == (404, {"error": "Plan group not found"})
