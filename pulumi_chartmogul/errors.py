"""Moved to :mod:`pulumi_chartmogul.api.errors` (0.2); this path warns, and goes in 0.3."""

from typing import TYPE_CHECKING

from . import _moved

__all__ = [
    "ALREADY_EXISTS_MESSAGES",
    "APIStatusError",
    "AccountNotAllowedError",
    "AlreadyExistsError",
    "AuthenticationError",
    "BadRequestError",
    "ChartMogulError",
    "ConfigurationError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "TransportError",
    "UnprocessableEntityError",
    "error_from_response",
]

if TYPE_CHECKING:
    # For type checkers only: the same names, marked deprecated (at run time they are the new module's own).
    from typing_extensions import deprecated

    from .api import errors as _new
    from .api.errors import ALREADY_EXISTS_MESSAGES as ALREADY_EXISTS_MESSAGES

    @deprecated("moved to pulumi_chartmogul.api.errors in 0.2; the old path goes in 0.3")
    class ChartMogulError(_new.ChartMogulError): ...

    @deprecated("moved to pulumi_chartmogul.api.errors in 0.2; the old path goes in 0.3")
    class ConfigurationError(_new.ConfigurationError): ...

    @deprecated("moved to pulumi_chartmogul.api.errors in 0.2; the old path goes in 0.3")
    class AccountNotAllowedError(_new.AccountNotAllowedError): ...

    @deprecated("moved to pulumi_chartmogul.api.errors in 0.2; the old path goes in 0.3")
    class TransportError(_new.TransportError): ...

    @deprecated("moved to pulumi_chartmogul.api.errors in 0.2; the old path goes in 0.3")
    class OutcomeUnknownError(_new.OutcomeUnknownError): ...

    @deprecated("moved to pulumi_chartmogul.api.errors in 0.2; the old path goes in 0.3")
    class APIStatusError(_new.APIStatusError): ...

    @deprecated("moved to pulumi_chartmogul.api.errors in 0.2; the old path goes in 0.3")
    class BadRequestError(_new.BadRequestError): ...

    @deprecated("moved to pulumi_chartmogul.api.errors in 0.2; the old path goes in 0.3")
    class AuthenticationError(_new.AuthenticationError): ...

    @deprecated("moved to pulumi_chartmogul.api.errors in 0.2; the old path goes in 0.3")
    class PermissionDeniedError(_new.PermissionDeniedError): ...

    @deprecated("moved to pulumi_chartmogul.api.errors in 0.2; the old path goes in 0.3")
    class NotFoundError(_new.NotFoundError): ...

    @deprecated("moved to pulumi_chartmogul.api.errors in 0.2; the old path goes in 0.3")
    class UnprocessableEntityError(_new.UnprocessableEntityError): ...

    @deprecated("moved to pulumi_chartmogul.api.errors in 0.2; the old path goes in 0.3")
    class AlreadyExistsError(_new.AlreadyExistsError): ...

    @deprecated("moved to pulumi_chartmogul.api.errors in 0.2; the old path goes in 0.3")
    class RateLimitError(_new.RateLimitError): ...

    @deprecated("moved to pulumi_chartmogul.api.errors in 0.2; the old path goes in 0.3")
    class ServerError(_new.ServerError): ...

    @deprecated("moved to pulumi_chartmogul.api.errors in 0.2; the old path goes in 0.3")
    def error_from_response(status: int, body: bytes) -> _new.APIStatusError:
        return _new.error_from_response(status, body)
else:
    _moved.hand_on(__name__, "pulumi_chartmogul.api.errors", __all__, globals())
