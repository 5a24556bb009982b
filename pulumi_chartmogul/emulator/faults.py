"""The emulator's control surface: request statistics, fault rules, and the API's rate and connection limits.

All of it is in-memory and thread-safe; ``app.py`` consults it for every ``/v1`` request before the request
reaches the store.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FaultMode = Literal["respond", "commit_then_drop", "delay"]


class FaultRule(BaseModel):
    """One rule of ``POST /_emulator/faults``; only ``method``, ``path`` and ``mode`` are required."""

    model_config = ConfigDict(extra="forbid")

    method: str = Field(description="HTTP method, or * for any")
    path: str = Field(description="a path template such as /v1/plans/{uuid}, or a path prefix")
    mode: FaultMode
    status: int = Field(default=503, ge=100, le=599)
    times: int | None = Field(default=1, ge=0, description="matching requests to affect; null = every one")
    probability: float = Field(default=1.0, ge=0.0, le=1.0)
    retry_after: int | None = Field(default=None, ge=0)
    delay_ms: int = Field(default=0, ge=0, le=600_000)

    def matches(self, method: str, template: str, path: str) -> bool:
        if self.method != "*" and self.method.upper() != method.upper():
            return False
        return self.path in (template, path) or path.startswith(self.path)


class FaultSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seed: int | None = None
    rules: list[FaultRule] = Field(default_factory=list)


@dataclass(frozen=True)
class Fault:
    """What to do to one request: the rule that fired."""

    mode: FaultMode
    status: int
    retry_after: int | None
    delay_ms: int


class Controls:
    """Stats, faults and limits shared by every request the emulator serves."""

    def __init__(self, rate_limit: int | None = None, max_connections: int | None = None) -> None:
        self.rate_limit = rate_limit
        self.max_connections = max_connections
        self._lock = threading.Lock()
        self._stats: Counter[str] = Counter()
        self._rules: list[FaultRule] = []
        self._remaining: list[int | None] = []
        self._seed: int | None = None
        self._random = random.Random()
        self._recent: deque[float] = deque()
        self._in_flight = 0

    # -- stats ------------------------------------------------------------------------------------

    def count(self, method: str, template: str) -> None:
        with self._lock:
            self._stats[f"{method} {template}"] += 1

    def stats(self) -> dict[str, object]:
        with self._lock:
            return {"requests": sum(self._stats.values()), "by_route": dict(sorted(self._stats.items()))}

    # -- faults -----------------------------------------------------------------------------------

    def set_faults(self, faults: FaultSet) -> None:
        with self._lock:
            self._rules = list(faults.rules)
            self._remaining = [rule.times for rule in faults.rules]
            self._seed = faults.seed
            self._random = random.Random(faults.seed)

    def faults(self) -> FaultSet:
        with self._lock:
            rules = [
                rule.model_copy(update={"times": left}) for rule, left in zip(self._rules, self._remaining, strict=True)
            ]
        return FaultSet(seed=self._seed, rules=rules)

    def fault_for(self, method: str, template: str, path: str) -> Fault | None:
        """The first rule that matches, still has uses left and wins its draw; uses are consumed here."""
        with self._lock:
            for index, rule in enumerate(self._rules):
                left = self._remaining[index]
                if (left is not None and left <= 0) or not rule.matches(method, template, path):
                    continue
                if rule.probability < 1.0 and self._random.random() >= rule.probability:
                    continue
                if left is not None:
                    self._remaining[index] = left - 1
                return Fault(rule.mode, rule.status, rule.retry_after, rule.delay_ms)
        return None

    # -- limits -----------------------------------------------------------------------------------

    def admit(self) -> bool:
        """Count a request against the per-second limit; False when it is over (the API's 429)."""
        if self.rate_limit is None:
            return True
        now = time.monotonic()
        with self._lock:
            while self._recent and now - self._recent[0] >= 1.0:
                self._recent.popleft()
            if len(self._recent) >= self.rate_limit:
                return False
            self._recent.append(now)
            return True

    def enter(self) -> bool:
        """Take a connection slot; False when the API would answer 503 for too many in flight."""
        with self._lock:
            if self.max_connections is not None and self._in_flight >= self.max_connections:
                return False
            self._in_flight += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def reset(self) -> None:
        with self._lock:
            self._stats.clear()
            self._rules, self._remaining, self._seed = [], [], None
            self._recent.clear()
