"""Pulumi resources for ChartMogul: ``DataSource`` and ``Plan``.

Cheap to import: the resources (and with them Pulumi, and the fix for the SDK's ``serialize_provider``
recursion bug that lets programs declare thousands of resources) are loaded when first used, so the emulator,
which lives in this package, never imports Pulumi.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import (
    AlreadyExistsError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ChartMogulError,
    ConfigurationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TransportError,
    UnprocessableEntityError,
)

if TYPE_CHECKING:
    from .resources.data_source import DataSource, DataSourceArgs
    from .resources.plan import Plan, PlanArgs

_RESOURCES = {
    "DataSource": ".resources.data_source",
    "DataSourceArgs": ".resources.data_source",
    "Plan": ".resources.plan",
    "PlanArgs": ".resources.plan",
}


def __getattr__(name: str) -> Any:
    if name in _RESOURCES:
        value = getattr(importlib.import_module(_RESOURCES[name], __name__), name)
        globals()[name] = value  # from now on a plain attribute
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "APIStatusError",
    "AlreadyExistsError",
    "AuthenticationError",
    "BadRequestError",
    "ChartMogulError",
    "ConfigurationError",
    "DataSource",
    "DataSourceArgs",
    "NotFoundError",
    "PermissionDeniedError",
    "Plan",
    "PlanArgs",
    "RateLimitError",
    "ServerError",
    "TransportError",
    "UnprocessableEntityError",
    "__version__",
]
