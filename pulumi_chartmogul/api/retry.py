"""The retry policy, the only place it lives: which failed requests are sent again, how soon, and for how long.

GET, PATCH and DELETE (idempotent) are retried on 429, 5xx, connection and read errors; POST only when the server
surely did nothing: 429, 503, or a connection that never opened (``errors.may_have_landed`` is the one answer to
"may this request have taken effect?", for this policy and for a create's recovery alike). Backoff is exponential
with jitter, ``Retry-After`` is honoured, and both the number of attempts (``maxRetries``) and the total time spent
retrying are capped. A POST that fails ambiguously is not retried here: the resource first looks its object up by
natural key (``resources/creating.py``). The numbers, and the worst-case time of one call and of one create that
follow from them, are in ``settings.py``.
"""

from __future__ import annotations

import random
import time
from typing import Any, Self

import requests
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from .errors import status_may_have_landed
from .pacing import AccountPace
from .settings import Settings

# Methods whose repetition changes nothing more than their first success did: retried whenever the policy allows.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PATCH", "DELETE"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
def never_sent(exc: requests.RequestException) -> bool:
    """True when the connection was never opened, so the server cannot have seen the request."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason: Any = exc.args[0] if exc.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, ConnectTimeoutError)  # NewConnectionError (refused, DNS) is one too


# A POST is retried only on answers that say nothing was done; every other failure may have created the object.
_POST_RETRY_STATUSES = frozenset(status for status in RETRY_STATUSES if not status_may_have_landed(status))


class RetryPolicy(Retry):
    """urllib3's ``Retry`` with the two rules it lacks: per-method status lists and a total time budget.

    The budget starts at the first failure of a request (``new()`` is only called by ``increment()``), so one
    adapter-level policy serves every request without per-request state.
    """

    def __init__(self, *args: Any, budget_seconds: float = 60.0, deadline: float | None = None,
                 pace: AccountPace | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget_seconds = budget_seconds
        self.deadline = deadline
        self.pace = pace

    @classmethod
    def for_settings(cls, settings: Settings, pace: AccountPace | None = None) -> RetryPolicy:
        return cls(
            total=settings.max_retries,
            redirect=0,
            allowed_methods=IDEMPOTENT_METHODS,  # read errors (the request was sent) are retried only for these
            status_forcelist=RETRY_STATUSES,
            backoff_factor=0.5,
            backoff_max=20.0,
            raise_on_status=False,  # the last error response reaches the caller with its body
            respect_retry_after_header=True,
            budget_seconds=settings.retry_budget_seconds,
            pace=pace,
        )

    def new(self, **kw: Any) -> Self:
        deadline = self.deadline if self.deadline is not None else time.monotonic() + self.budget_seconds
        kw.setdefault("budget_seconds", self.budget_seconds)
        kw.setdefault("deadline", deadline)
        kw.setdefault("pace", self.pace)
        return super().new(**kw)

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        """The backoff (or ``Retry-After``), then the retry's own slot in the account's pace: a retry is a request
        to the API's rate limit like any other."""
        super().sleep(response)
        if self.pace is not None:
            self.pace.wait()

    def remaining_seconds(self) -> float:
        if self.deadline is None:
            return self.budget_seconds
        return max(0.0, self.deadline - time.monotonic())

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        statuses = _POST_RETRY_STATUSES if method.upper() == "POST" else RETRY_STATUSES
        return status_code in statuses and bool(self.total) and self.remaining_seconds() > 0

    def is_exhausted(self) -> bool:
        return super().is_exhausted() or (self.deadline is not None and self.remaining_seconds() <= 0)

    def get_backoff_time(self) -> float:
        failures = len(self.history)
        if failures == 0:
            return 0.0
        ceiling = min(self.backoff_max, self.backoff_factor * (2 ** (failures - 1)))
        return min(self._jitter(ceiling), self.remaining_seconds())

    @staticmethod
    def _jitter(ceiling: float) -> float:
        """'Equal jitter': half the ceiling, plus up to another half at random, so retries spread out."""
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        value = super().get_retry_after(response)
        return None if value is None else min(value, self.remaining_seconds())
