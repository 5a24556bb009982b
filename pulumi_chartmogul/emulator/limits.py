"""The real API's limits, as the emulator enforces them when asked to: requests per second (429) and requests in
flight (503). In memory, thread-safe."""

from __future__ import annotations

import threading
import time
from collections import deque


class Limits:
    def __init__(self, rate_limit: int | None = None, max_connections: int | None = None) -> None:
        self.rate_limit = rate_limit
        self.max_connections = max_connections
        self._lock = threading.Lock()
        self._recent: deque[float] = deque()
        self._in_flight = 0

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
            self._recent.clear()
