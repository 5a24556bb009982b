"""The account's pace: evenly spaced slots for all threads together, and a bound on requests in flight."""

from __future__ import annotations

import itertools
import threading

import pytest

from pulumi_chartmogul.api.client import ChartMogulClient
from pulumi_chartmogul.api.errors import ConfigurationError
from pulumi_chartmogul.api.pacing import AccountPace, pace_for
from pulumi_chartmogul.api.retry import RetryPolicy
from pulumi_chartmogul.api.settings import (
    DEFAULT_REQUESTS_PER_SECOND,
    MAX_IN_FLIGHT,
    Settings,
    load_settings,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_slots_are_evenly_spaced_from_the_first_request_without_a_burst() -> None:
    clock = FakeClock()
    pace = AccountPace(40.0, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(5):
        pace.wait()
        starts.append(clock.now)
    assert [round(later - earlier, 6) for earlier, later in itertools.pairwise(starts)] == [0.025] * 4
    assert starts[0] == 100.0  # the first one does not wait


def test_a_caller_after_a_quiet_spell_does_not_wait_nor_bank_the_spell() -> None:
    clock = FakeClock()
    pace = AccountPace(10.0, clock=clock, sleep=clock.sleep)
    pace.wait()
    clock.now += 5.0
    assert pace.wait() == 0.0
    assert pace.wait() == pytest.approx(0.1)  # the quiet spell bought no burst


def test_threads_share_one_sequence_of_slots() -> None:
    lock = threading.Lock()
    pace = AccountPace(20.0, clock=lambda: 0.0, sleep=lambda _s: None)
    waits: list[float] = []

    def take() -> None:
        delay = pace.wait()
        with lock:
            waits.append(delay)

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(round(w, 6) for w in waits) == [round(i * 0.05, 6) for i in range(8)]


def test_no_more_than_max_in_flight_are_open_at_once() -> None:
    pace = AccountPace(1e6, max_in_flight=3)
    inside, peak, lock = 0, 0, threading.Lock()
    release = threading.Event()

    def request() -> None:
        nonlocal inside, peak
        with pace.in_flight():
            with lock:
                inside += 1
                peak = max(peak, inside)
            release.wait(5)
            with lock:
                inside -= 1

    threads = [threading.Thread(target=request) for _ in range(7)]
    for thread in threads:
        thread.start()
    threading.Event().wait(0.3)
    with lock:
        assert inside == 3
    release.set()
    for thread in threads:
        thread.join()
    assert peak == 3


def test_every_client_of_one_account_shares_its_pace_and_its_retries_take_slots() -> None:
    settings = Settings(api_key="k-pace", endpoint="http://127.0.0.1:9/v1")
    first, second = ChartMogulClient(settings), ChartMogulClient(settings)
    other = ChartMogulClient(Settings(api_key="another-key", endpoint="http://127.0.0.1:9/v1"))
    assert first._pace is second._pace is pace_for((settings.endpoint, first._account_scope[1]), 38.0)
    assert other._pace is not first._pace
    assert first._pace.max_in_flight == MAX_IN_FLIGHT == 20
    policy = RetryPolicy.for_settings(settings, first._pace)
    assert policy.new(total=1).pace is first._pace  # urllib3 copies the policy at every retry


def test_retry_sleep_waits_for_a_slot_after_its_backoff() -> None:
    clock = FakeClock()
    pace = AccountPace(4.0, clock=clock, sleep=clock.sleep)
    policy = RetryPolicy(total=3, pace=pace, backoff_factor=0)
    pace.wait()
    policy.sleep()
    assert clock.slept == [0.25]


def test_requests_per_second_setting() -> None:
    assert load_settings(lambda _k: None, {"CHARTMOGUL_API_KEY": "k"}).requests_per_second == \
        DEFAULT_REQUESTS_PER_SECOND == 38.0
    config = {"chartmogul:requestsPerSecond": "10"}
    assert load_settings(config.get, {"CHARTMOGUL_API_KEY": "k", "CHARTMOGUL_REQUESTS_PER_SECOND": "5"}
                         ).requests_per_second == 10.0
    assert load_settings(lambda _k: None, {"CHARTMOGUL_API_KEY": "k", "CHARTMOGUL_REQUESTS_PER_SECOND": "5"}
                         ).requests_per_second == 5.0
    for bad, reason in (("0", "must be at least 0.1"), ("fast", "must be a number"), ("inf", "must be a finite")):
        with pytest.raises(ConfigurationError, match=f"chartmogul:requestsPerSecond {reason}"):
            load_settings({"chartmogul:requestsPerSecond": bad}.get, {"CHARTMOGUL_API_KEY": "k"})
