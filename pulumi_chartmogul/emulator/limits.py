"""The real API's limits, as the emulator enforces them when asked to: requests per second (429) and requests in
flight (503). In memory, thread-safe. The rate window reads :class:`Clock`, which the admin surface can move
forward (``POST /_emulator/clock``), so a test sees a window pass without waiting for it."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable


class Clock:
    """Monotonic seconds, plus however far the admin surface has moved it forward (never back)."""

    def __init__(self, source: Callable[[], float] = time.monotonic) -> None:
        self._source = source
        self._lock = threading.Lock()
        self._offset = 0.0

    def now(self) -> float:
        with self._lock:
            return self._source() + self._offset

    def advance(self, seconds: float) -> float:
        """Move the clock ``seconds`` forward; returns how far it has been moved in all."""
        if seconds < 0:
            raise ValueError(f"the clock only moves forward, not by {seconds}")
        with self._lock:
            self._offset += seconds
            return self._offset


class Limits:
    def __init__(self, rate_limit: int | None = None, max_connections: int | None = None,
                 clock: Clock | None = None) -> None:
        self.rate_limit = rate_limit
        self.max_connections = max_connections
        self.clock = clock or Clock()
        self._lock = threading.Lock()
        self._recent: deque[float] = deque()
        self._in_flight = 0

    def admit(self) -> bool:
        """Count a request against the per-second limit; False when it is over (the API's 429)."""
        if self.rate_limit is None:
            return True
        now = self.clock.now()
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
            self._recent.clear()
