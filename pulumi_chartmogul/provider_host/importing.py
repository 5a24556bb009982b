"""What this host adds to the SDK's: the provider pickle for an import ``Read`` of one of our resource types."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..resources._base import PROVIDER_KEY  # where the SDK's host looks for the pickled provider

if TYPE_CHECKING:
    from ..resources._base import ChartMogulProvider


def provider_classes() -> dict[str, type[ChartMogulProvider]]:
    """Resource name (``Plan``) -> the provider class of that resource, for both faces."""
    from ..resources.data_source import DataSourceProvider
    from ..resources.plan import PlanProvider
    from ..resources.plan_group import PlanGroupProvider

    return {"DataSource": DataSourceProvider, "Plan": PlanProvider, "PlanGroup": PlanGroupProvider}


def our_providers() -> dict[str, type[ChartMogulProvider]]:
    """Dynamic resource type token (``pulumi-python:dynamic/chartmogul:Plan``) -> the provider class of that type."""
    from ..resources.data_source import DataSource
    from ..resources.plan import Plan
    from ..resources.plan_group import PlanGroup

    classes = provider_classes()
    return {f"pulumi-python:{resource._resource_type_name}": classes[resource.__name__]
            for resource in (DataSource, Plan, PlanGroup)}


def provider_blobs() -> dict[str, str]:
    """Resource type token -> the pickled provider the program stores for that type."""
    from pulumi.dynamic import dynamic

    # serialize_provider is looked up at call time: the package's fix (resources/serialize_fix.py) is installed by then.
    return {token: dynamic.serialize_provider(provider()) for token, provider in our_providers().items()}


def is_import_read(request: Any) -> bool:
    """An import's Read: the engine sends the id and nothing else, so no provider pickle anywhere."""
    return PROVIDER_KEY not in request.properties.fields and (
        not request.HasField("inputs") or PROVIDER_KEY not in request.inputs.fields)
