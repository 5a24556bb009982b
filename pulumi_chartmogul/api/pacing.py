"""One pace per ChartMogul account for every thread of a process: the account's rate limit and its bound on requests
in flight, kept on this side so that the API never has to refuse us.

ChartMogul allows 40 requests per second per account (then 429) and 20 requests in flight (then 503): its API
reference's rate-limit page (https://dev.chartmogul.com/docs/rate-limits) says so, and the emulator plays both
(docs/emulator.md, "Limits"). The provider host serves up to 20 calls at once, and each thread has its own
HTTP session, so without a shared pace the threads together would overrun the rate as soon as the API answers
faster than 20 / 40 s. :class:`AccountPace` gives each request, first attempts and retries alike, its own time slot:
evenly spaced at ``requests_per_second``, never a burst (the API counts a sliding second), and at most
:data:`~.settings.MAX_IN_FLIGHT` of them open at once.

A small scheduler of our own rather than a rate-limiting library: it is a lock, a counter of the next free slot and a
semaphore, and it has to reach into urllib3's retry loop (``RetryPolicy.sleep``), which no such library does.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator

from .settings import MAX_IN_FLIGHT


class AccountPace:
    """Slots for requests to one account: ``in_flight()`` around a request (first attempt paced), ``wait()`` before
    each retry inside it. Thread-safe; the clock and sleep are injectable for tests."""

    def __init__(self, requests_per_second: float, max_in_flight: int = MAX_IN_FLIGHT, *,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        self.requests_per_second = requests_per_second
        self.interval = 1.0 / requests_per_second
        self.max_in_flight = max_in_flight
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._next_slot = float("-inf")
        self._open = threading.BoundedSemaphore(max_in_flight)

    def wait(self) -> float:
        """Block until this caller's slot; returns the seconds waited. Slots are handed out in call order."""
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self.interval
        delay = slot - now
        if delay > 0:
            self._sleep(delay)
        return delay

    @contextlib.contextmanager
    def in_flight(self) -> Iterator[None]:
        """One request (with its retries) open against the account: waits for a free place, then for a slot."""
        with self._open:
            self.wait()
            yield


# One pace per account scope (endpoint and key digest) and rate, for the whole process: every client the host builds
# for that account shares it, whichever resource type or thread it serves.
_PACES_LOCK = threading.Lock()
_PACES: dict[tuple[object, float], AccountPace] = {}


def pace_for(scope: object, requests_per_second: float) -> AccountPace:
    with _PACES_LOCK:
        pace = _PACES.get((scope, requests_per_second))
        if pace is None:
            pace = _PACES[(scope, requests_per_second)] = AccountPace(requests_per_second)
        return pace


def forget_paces() -> None:
    """Every account's pace, gone (``process_caches.py``)."""
    with _PACES_LOCK:
        _PACES.clear()
