"""The exception tree, and the one mapping from every ChartMogul error body to it.

::

    ChartMogulError                      status, message, param, errors
     ├── ConfigurationError              no key, bad endpoint (no request was sent)
     ├── TransportError                  no HTTP response: refused, reset, timed out (.never_sent)
     ├── OutcomeUnknownError             a create may have taken effect, and nothing could confirm it
     └── APIStatusError                  an HTTP error response
          ├── BadRequestError            400, 402
          ├── AuthenticationError        401
          ├── PermissionDeniedError      403
          ├── NotFoundError              404
          ├── UnprocessableEntityError   422  (.errors: field -> message)
          │    └── AlreadyExistsError    422 whose message says the name / external_id is taken
          ├── RateLimitError             429
          └── ServerError                5xx

The API answers errors in several shapes depending on endpoint and era (https://dev.chartmogul.com/docs/response-codes
lists the statuses; the shapes are in ``docs/emulator.md``); all of them are parsed here and nowhere else.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

# The API's own words for "this natural key is taken" (as the official clients expect them: docs/emulator.md).
ALREADY_EXISTS_MESSAGES = (
    "Has already been taken.",
    "A plan with this identifier already exists in our system.",
)
_MAX_TEXT = 500


class ChartMogulError(Exception):
    """Any failure talking to ChartMogul. ``status`` is None when no HTTP response was received."""

    status: int | None = None

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        param: str | None = None,
        errors: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.param = param
        self.errors: dict[str, str] = dict(errors or {})

    def __str__(self) -> str:
        prefix = f"ChartMogul API error {self.status}" if self.status is not None else "ChartMogul error"
        where = f" (field: {self.param})" if self.param else ""
        return f"{prefix}: {self.message}{where}"


class ConfigurationError(ChartMogulError):
    """The provider cannot talk to ChartMogul as configured; nothing was sent."""

    def __str__(self) -> str:
        return self.message


class AccountNotAllowedError(ConfigurationError):
    """The key and endpoint reach an account that ``chartmogul:allowedAccountIds`` does not allow (or one that
    cannot be told apart); nothing was sent to it but the account lookup."""


class TransportError(ChartMogulError):
    """No HTTP response. ``never_sent`` is True only when the connection was never opened."""

    def __init__(self, message: str, *, never_sent: bool) -> None:
        super().__init__(message)
        self.never_sent = never_sent

    def __str__(self) -> str:
        return f"could not reach ChartMogul: {self.message}"


# The server answers these before it does anything: the rate limit (429) and the bound on requests in flight (503).
NOTHING_DONE_STATUSES = frozenset({429, 503})


def status_may_have_landed(status: int) -> bool:
    """Whether a request answered with ``status`` may have taken effect although it failed: a 5xx other than the
    ones answered before anything is done. (A 4xx is a refusal: nothing was done.)"""
    return status >= 500 and status not in NOTHING_DONE_STATUSES


def may_have_landed(error: ChartMogulError) -> bool:
    """Whether the failed request behind ``error`` may have taken effect on the server: the one question both the
    retry policy (a POST is never re-sent when it may have landed) and a create's recovery (then the object is looked
    up first) ask."""
    if isinstance(error, TransportError):
        return not error.never_sent
    return error.status is not None and status_may_have_landed(error.status)


class OutcomeUnknownError(ChartMogulError):
    """A create may have taken effect, but no answer and no lookup could say: the object may exist untracked.

    ``status`` is that of the last failed attempt (None when no HTTP response came back).
    """

    def __str__(self) -> str:
        return self.message


class APIStatusError(ChartMogulError):
    """The API answered with an error status."""


class BadRequestError(APIStatusError):
    pass


class AuthenticationError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class UnprocessableEntityError(APIStatusError):
    pass


class AlreadyExistsError(UnprocessableEntityError):
    pass


class RateLimitError(APIStatusError):
    pass


class ServerError(APIStatusError):
    pass


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: BadRequestError,
    403: PermissionDeniedError,
    404: NotFoundError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _as_text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


def _parse_body(body: bytes) -> tuple[str, str | None, dict[str, str]]:
    """(message, param, field errors) from any of the API's error shapes."""
    text = body.decode("utf-8", errors="replace").strip()
    try:
        data = json.loads(text) if text else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return (text[:_MAX_TEXT] or "(empty response body)"), None, {}

    # {"errors": {field: "message" | ["message", ...]}}  (Rails, plans and data sources)
    if isinstance(data.get("errors"), dict):
        errors = {str(k): _as_text(v) for k, v in data["errors"].items()}
    # {"field": ["message"], ..., "error_details": [{"param", "code", "message"}]}  (newer Rails)
    elif isinstance(data.get("error_details"), list):
        errors = {
            str(d.get("param")): str(d.get("message"))
            for d in data["error_details"]
            if isinstance(d, dict) and d.get("param")
        }
    else:
        errors = {}
    if errors:
        message = "; ".join(f"{field}: {msg}" for field, msg in errors.items())
        param = next(iter(errors)) if len(errors) == 1 else None
        return message, param, errors
    # {"code": 400, "message": "...", "param": "name"}  (gateway)
    if "message" in data:
        param = data.get("param")
        return str(data["message"]), str(param) if param else None, {}
    # {"error": "Plan not found"}
    if "error" in data:
        return _as_text(data["error"]), None, {}
    return text[:_MAX_TEXT], None, {}


def error_from_response(status: int, body: bytes) -> APIStatusError:
    """The exception for an HTTP error response, whatever shape its body has."""
    message, param, errors = _parse_body(body)
    cls = _BY_STATUS.get(status, ServerError if status >= 500 else APIStatusError)
    if cls is UnprocessableEntityError and any(m in ALREADY_EXISTS_MESSAGES for m in errors.values()):
        cls = AlreadyExistsError
    return cls(message, status=status, param=param, errors=errors)
