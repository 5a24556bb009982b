"""The pace against an emulator that enforces a rate limit: many threads, one account, no 429.

The emulator counts a sliding second, as ChartMogul does: 40 requests per second per account, then 429 (its rate-limit
page, https://dev.chartmogul.com/docs/rate-limits; docs/emulator.md, "Limits"). With retries off, a single 429 would
surface as an error, so "no error" here means the API never had to refuse a request."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from pulumi_chartmogul.api.client import ChartMogulClient
from pulumi_chartmogul.api.errors import ChartMogulError, RateLimitError
from pulumi_chartmogul.api.settings import Settings
from testkit.emulator import Emulator, running_emulator

RATE_LIMIT = 10
REQUESTS = 30
THREADS = 12


@pytest.fixture
def limited() -> Iterator[Emulator]:
    with running_emulator("--rate-limit", str(RATE_LIMIT), "--latency-ms", "20") as emulator:
        yield emulator


def storm(emulator: Emulator, requests_per_second: float) -> list[ChartMogulError | None]:
    client = ChartMogulClient(Settings(api_key="test-key", endpoint=emulator.api_root, max_retries=0,
                                       requests_per_second=requests_per_second))

    def one(_index: int) -> ChartMogulError | None:
        try:
            client.list_data_sources()
        except ChartMogulError as exc:
            return exc
        return None

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(one, range(REQUESTS)))


def test_threads_paced_under_the_limit_are_never_refused(limited: Emulator) -> None:
    # 0.7 of the limit: the pace spaces the requests' sends, and the emulator counts their arrivals; on a loaded
    # machine (the suite runs on several workers) scheduling can bunch a few arrivals, which 3 spare slots absorb.
    assert storm(limited, RATE_LIMIT * 0.7) == [None] * REQUESTS
    assert limited.stats()["by_route"]["GET /v1/data_sources"] == REQUESTS


def test_the_same_storm_unpaced_is_refused(limited: Emulator) -> None:
    """The control: the emulator does refuse this storm when the pace is above its limit."""
    errors = [error for error in storm(limited, 1000.0) if error is not None]
    assert errors and all(isinstance(error, RateLimitError) for error in errors)
