"""What the reliability tests share: host configuration, the serialized providers, and the accounting that
compares what the emulator holds with what the engine's state says exists.

The accounting is deliberately independent of the provider: it lists every object in the emulator through the
plain API (no retries, no provider code) and groups them by natural key *and* by name, so a duplicate would be
seen even if it escaped the server's uniqueness rule (e.g. a plan re-sent without its external_id).
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from testkit.emulator import Emulator
from testkit.host import ResourceState

API_KEY = "sk-reliability-7d2e91c4a5"


def run_engine_threads(count: int, step: Callable[[int], None], timeout: float) -> float:
    """Run ``step(i)`` in ``count`` threads, as the engine runs steps in parallel; return the wall seconds.

    Fails the test if a thread is still running after ``timeout`` seconds.
    """
    started = time.monotonic()
    threads = [threading.Thread(target=step, args=(i,), name=f"engine-step-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    seconds = time.monotonic() - started
    assert not any(thread.is_alive() for thread in threads), f"the engine threads did not finish in {timeout} s"
    return seconds


# ------------------------------------------------------------------------------------------ emulator contents


def _get(emulator: Emulator, path: str, **params: Any) -> dict[str, Any]:
    response = emulator.api("GET", path, key=API_KEY, params=params)
    response.raise_for_status()
    return dict(response.json())


def all_sources(emulator: Emulator) -> list[dict[str, Any]]:
    return list(_get(emulator, "/data_sources")["data_sources"])


def _every(emulator: Emulator, path: str, key: str) -> list[dict[str, Any]]:
    """Every item of a cursor-paginated listing (a last page has a cursor too: only has_more stops)."""
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"per_page": 200}
    while True:
        page = _get(emulator, path, **params)
        items.extend(page[key])
        if not page.get("has_more"):
            return items
        params["cursor"] = page["cursor"]


def all_plans(emulator: Emulator) -> list[dict[str, Any]]:
    return _every(emulator, "/plans", "plans")


def all_plan_groups(emulator: Emulator) -> list[dict[str, Any]]:
    return _every(emulator, "/plan_groups", "plan_groups")


@dataclass
class Accounting:
    """The emulator's objects against the state: what a user would find wrong after the operation."""

    objects: int
    duplicates: int  # objects beyond the first with the same natural key or the same name
    orphans: list[str]  # in ChartMogul, not in the state: nobody manages them any more
    stale: list[str]  # in the state, not in ChartMogul

    @property
    def clean(self) -> bool:
        return self.duplicates == 0 and not self.orphans and not self.stale

    def __str__(self) -> str:
        return (f"{self.objects} objects, {self.duplicates} duplicates, orphans {self.orphans}, "
                f"stale {self.stale}")


def _extra(counter: Counter[Any]) -> int:
    return sum(count - 1 for count in counter.values() if count > 1)


def account(emulator: Emulator, state: Iterable[ResourceState]) -> Accounting:
    sources, plans, groups = all_sources(emulator), all_plans(emulator), all_plan_groups(emulator)
    live = {s["uuid"] for s in sources} | {p["uuid"] for p in plans} | {g["uuid"] for g in groups}
    tracked = {s.id for s in state}
    # Every test here gives each declared object a unique name, so equal names mean one object made twice,
    # even where the server's uniqueness rule (name; data source + external_id) would not catch it.
    duplicates = _extra(Counter(s["name"] for s in sources)) + max(
        _extra(Counter((p["data_source_uuid"], p["name"]) for p in plans)),
        _extra(Counter((p["data_source_uuid"], p["external_id"]) for p in plans)),
    ) + _extra(Counter(g["name"] for g in groups))  # the API does not refuse a second group with a name
    return Accounting(objects=len(live), duplicates=duplicates, orphans=sorted(live - tracked),
                      stale=sorted(tracked - live))


# ----------------------------------------------------------------------------------------------- the log

_ACCESS = re.compile(r'"(?P<method>[A-Z]+) (?P<path>/v1/\S*) HTTP/[\d.]+" (?P<status>\d{3})')


def access_log(emulator: Emulator, since: int = 0) -> list[tuple[str, str, int]]:
    """(method, path with query, status) of every answered /v1 request in the emulator's log after byte
    ``since``; requests whose connection was dropped have no line."""
    return [(m["method"], m["path"], int(m["status"])) for m in _ACCESS.finditer(emulator.stderr()[since:])]


def log_size(emulator: Emulator) -> int:
    return len(emulator.stderr())


def route_delta(before: dict[str, Any], after: dict[str, Any]) -> Counter[str]:
    """Requests per route between two ``emulator.stats()`` snapshots."""
    delta = Counter(after["by_route"])
    delta.subtract(Counter(before["by_route"]))
    return +delta
