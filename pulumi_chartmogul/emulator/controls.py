"""The emulator's control surface in one object: request statistics, fault rules (``faults.py``) and the API's
limits (``limits.py``). ``app.py`` consults it for every ``/v1`` request before the request reaches the store, and
tells it the status of every answer it sent."""

from __future__ import annotations

import threading
from collections import Counter

from .faults import Fault, FaultRules, FaultSet
from .limits import Clock, Limits

# ``by_status``'s key for a request that got no answer at all: a ``commit_then_drop`` fault reset its connection, or
# the client went away before the answer started.
NO_ANSWER = "none"


class Controls:
    def __init__(self, rate_limit: int | None = None, max_connections: int | None = None,
                 clock: Clock | None = None) -> None:
        self.clock = clock or Clock()
        self.limits = Limits(rate_limit, max_connections, self.clock)
        self.rules = FaultRules()
        self._lock = threading.Lock()
        self._stats: Counter[str] = Counter()
        self._statuses: Counter[str] = Counter()

    def count(self, method: str, template: str) -> None:
        with self._lock:
            self._stats[f"{method} {template}"] += 1

    def answered(self, status: int | None) -> None:
        """Count the status of the answer a ``/v1`` request got (None: no answer, :data:`NO_ANSWER`)."""
        with self._lock:
            self._statuses[NO_ANSWER if status is None else str(status)] += 1

    def stats(self) -> dict[str, object]:
        """``requests`` and ``by_route`` count requests as they arrive; ``by_status`` counts their answers by status
        code once sent, so a request still in flight is in the first two and not yet in the third."""
        with self._lock:
            return {"requests": sum(self._stats.values()), "by_route": dict(sorted(self._stats.items())),
                    "by_status": dict(sorted(self._statuses.items()))}

    def set_faults(self, faults: FaultSet) -> None:
        self.rules.set(faults)

    def faults(self) -> FaultSet:
        return self.rules.get()

    def fault_for(self, method: str, template: str, path: str) -> Fault | None:
        return self.rules.fault_for(method, template, path)

    def admit(self) -> bool:
        return self.limits.admit()

    def enter(self) -> bool:
        return self.limits.enter()

    def leave(self) -> None:
        self.limits.leave()

    def advance_clock(self, seconds: float) -> float:
        """Move the limits' clock forward (``POST /_emulator/clock``); how far it has been moved in all."""
        return self.clock.advance(seconds)

    def reset(self) -> None:
        """Counts, rules and the rate window start again (the limits themselves stay, and the clock never goes
        back)."""
        with self._lock:
            self._stats.clear()
            self._statuses.clear()
        self.rules.reset()
        self.limits.reset()
