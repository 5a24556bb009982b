"""What this host adds to the SDK's: the provider pickle for an import ``Read`` of one of our resource types."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..resources._base import PROVIDER_KEY  # where the SDK's host looks for the pickled provider

if TYPE_CHECKING:
    from ..resources._base import ChartMogulProvider


def our_providers() -> dict[str, type[ChartMogulProvider]]:
    """Resource type token -> the provider class of that type."""
    from ..resources.data_source import DataSource, DataSourceProvider
    from ..resources.plan import Plan, PlanProvider
    from ..resources.plan_group import PlanGroup, PlanGroupProvider

    pairs = ((DataSource, DataSourceProvider), (Plan, PlanProvider), (PlanGroup, PlanGroupProvider))
    return {f"pulumi-python:{resource._resource_type_name}": provider for resource, provider in pairs}


def provider_blobs() -> dict[str, str]:
    """Resource type token -> the pickled provider the program stores for that type."""
    from pulumi.dynamic import dynamic

    # serialize_provider is looked up at call time: the package's fix (resources/serialize_fix.py) is installed by then.
    return {token: dynamic.serialize_provider(provider()) for token, provider in our_providers().items()}


def with_inputs(response: Any, provider: ChartMogulProvider) -> Any:
    """SDKs before 3.216 answer a Read without inputs, and the engine refuses an import without them ("provider
    does not support importing resources"): add the ones our ``read`` gives later SDKs."""
    if response.HasField("inputs"):
        return response
    import asyncio

    from pulumi.runtime import rpc

    outputs = rpc.deserialize_properties(response.properties)
    inputs = {**provider.imported_inputs(outputs), PROVIDER_KEY: outputs[PROVIDER_KEY]}
    loop = asyncio.new_event_loop()
    try:
        response.inputs.CopyFrom(loop.run_until_complete(rpc.serialize_properties(inputs, {})))
    finally:
        loop.close()
    return response


def is_import_read(request: Any) -> bool:
    """An import's Read: the engine sends the id and nothing else, so no provider pickle anywhere."""
    return PROVIDER_KEY not in request.properties.fields and (
        not request.HasField("inputs") or PROVIDER_KEY not in request.inputs.fields)


def with_provider_blob(request: Any, blob: str) -> Any:
    """A copy of an import's ``Read`` request with the pickle of its type's provider, where the SDK's host looks."""
    from pulumi.runtime import proto

    supplied = proto.ReadRequest()
    supplied.CopyFrom(request)
    supplied.properties.update({PROVIDER_KEY: blob})
    return supplied
