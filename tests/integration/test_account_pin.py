"""``allowedAccountIds`` against two emulators playing two accounts: one account lookup per process, nothing else
sent to an account that is not allowed, and no lookup at all when nothing is pinned."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_chartmogul.api.client import ChartMogulClient
from pulumi_chartmogul.api.errors import AccountNotAllowedError
from pulumi_chartmogul.api.settings import Settings
from pulumi_chartmogul.resources.plan import PlanProvider
from testkit.emulator import Emulator, running_emulator

KEY = "pin-test-key"
PROD, OTHER = "acct_11111111-0000-4000-8000-000000000001", "acct_22222222-0000-4000-8000-000000000002"
ACCOUNT_ROUTE = "GET /v1/account"


@pytest.fixture(scope="module")
def prod() -> Iterator[Emulator]:
    with running_emulator("--account-id", PROD, "--account-name", "Acme production") as emulator:
        yield emulator


@pytest.fixture(scope="module")
def other() -> Iterator[Emulator]:
    with running_emulator("--account-id", OTHER, "--account-name", "Acme sandbox") as emulator:
        yield emulator


@pytest.fixture(scope="module")
def older_api() -> Iterator[Emulator]:
    with running_emulator("--account-id", "", "--account-name", "Acme 2019") as emulator:
        yield emulator


def client(emulator: Emulator, *allowed: str) -> ChartMogulClient:
    return ChartMogulClient(Settings(api_key=KEY, endpoint=emulator.api_root, max_retries=1,
                                     allowed_account_ids=allowed))


def routes(emulator: Emulator) -> dict[str, int]:
    return dict(emulator.stats()["by_route"])


def test_the_emulator_answers_the_account_it_plays(prod: Emulator, older_api: Emulator) -> None:
    assert prod.api("GET", "/account", key=KEY).json() == {
        "id": PROD, "name": "Acme production", "currency": "EUR", "time_zone": "Europe/Berlin",
        "week_start_on": "sunday"}
    assert "id" not in older_api.api("GET", "/account", key=KEY).json()
    assert prod.api("GET", "/account", key="").status_code == 401


def test_an_allowed_account_is_looked_up_once_per_process(prod: Emulator) -> None:
    prod.reset()
    first, second = client(prod, OTHER, PROD), client(prod, OTHER, PROD)
    with ThreadPoolExecutor(8) as pool:  # the host serves calls at once: still one lookup
        list(pool.map(lambda n: (first if n % 2 else second).create_data_source(f"Source {n}"), range(16)))
    assert routes(prod) == {ACCOUNT_ROUTE: 1, "POST /v1/data_sources": 16}


def test_another_account_is_refused_with_nothing_sent_but_the_lookup(other: Emulator) -> None:
    other.reset()
    pinned = client(other, PROD)
    for attempt in (lambda: pinned.create_data_source("Billing"), lambda: pinned.list_data_sources(),
                    lambda: pinned.delete_plan("pl_x")):
        with pytest.raises(AccountNotAllowedError) as refused:
            attempt()
    message = str(refused.value)
    assert OTHER in message and "'Acme sandbox'" in message and f"allows only {PROD}" in message
    assert "nothing was sent to it but the account lookup" in message
    assert routes(other) == {ACCOUNT_ROUTE: 1}  # one lookup, then every call refused without a request


def test_an_account_without_an_id_cannot_be_pinned(older_api: Emulator) -> None:
    older_api.reset()
    with pytest.raises(AccountNotAllowedError) as refused:
        client(older_api, PROD).list_data_sources()
    assert "answered GET /account without an id (an older API)" in str(refused.value)
    assert "'Acme 2019'" in str(refused.value)
    assert routes(older_api) == {ACCOUNT_ROUTE: 1}


def test_unpinned_no_account_request_is_ever_sent(other: Emulator) -> None:
    other.reset()
    client(other).list_data_sources()
    assert routes(other) == {"GET /v1/data_sources": 1}


def test_a_refused_read_is_an_error_not_a_deletion(other: Emulator) -> None:
    """A refresh against the wrong account must fail, never report the object gone (which drops it from state)."""
    other.reset()
    provider = PlanProvider()
    provider.configure(ConfigureRequest(Config({"chartmogul:apiKey": KEY, "chartmogul:endpoint": other.api_root,
                                                "chartmogul:allowedAccountIds": f'["{PROD}"]'}, "proj")))
    props: dict[str, Any] = {"data_source_uuid": "ds_x", "name": "Gold", "interval_count": 1,
                             "interval_unit": "month", "external_id": "gold", "adopt": False}
    with pytest.raises(AccountNotAllowedError):
        provider.read("pl_00000000-0000-4000-8000-000000000000", props)
    assert routes(other) == {ACCOUNT_ROUTE: 1}
