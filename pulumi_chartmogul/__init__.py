"""Pulumi resources for ChartMogul: ``DataSource`` and ``Plan``.

Importing the package also installs the fix for the SDK's serialize_provider recursion bug, so programs with
thousands of resources work.
"""

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
from .resources._base import install_serialize_provider_fix
from .resources.data_source import DataSource, DataSourceArgs
from .resources.plan import Plan, PlanArgs

install_serialize_provider_fix()

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
