"""What this host adds to the SDK's: the provider pickle for an import ``Read`` of one of our resource types."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

PROVIDER_KEY = "__provider"  # where the SDK's host looks for the pickled provider


def provider_blobs() -> dict[str, str]:
    """Resource type token -> the pickled provider the program stores for that type."""
    from pulumi.dynamic import dynamic

    from ..resources.data_source import DataSource, DataSourceProvider
    from ..resources.plan import Plan, PlanProvider
    from ..resources.plan_group import PlanGroup, PlanGroupProvider

    pairs = ((DataSource, DataSourceProvider), (Plan, PlanProvider), (PlanGroup, PlanGroupProvider))
    # serialize_provider is looked up at call time: the package's fix (serialize_fix.py) is installed by then.
    return {f"pulumi-python:{resource._resource_type_name}": dynamic.serialize_provider(provider())
            for resource, provider in pairs}


def is_import_read(request: Any) -> bool:
    """An import's Read: the engine sends the id and nothing else, so no provider pickle anywhere."""
    return PROVIDER_KEY not in request.properties.fields and (
        not request.HasField("inputs") or PROVIDER_KEY not in request.inputs.fields)


def with_provider(read: Callable[[Any, Any], Any], blobs: Callable[[], dict[str, str]]) -> Callable[[Any, Any], Any]:
    """Wrap the SDK's ``Read`` so an import Read of one of ``blobs``' types arrives with its provider pickle."""

    @functools.wraps(read)
    def read_with_provider(request: Any, context: Any) -> Any:
        if is_import_read(request):
            blob = blobs().get(request.type)
            if blob is not None:
                from pulumi.runtime import proto

                supplied = proto.ReadRequest()
                supplied.CopyFrom(request)
                supplied.properties.update({PROVIDER_KEY: blob})
                request = supplied
        return read(request, context)

    return read_with_provider


def install() -> None:
    """Hook the SDK server's registration so its servicer's ``Read`` is wrapped before the server serves."""
    from pulumi.runtime.proto import provider_pb2_grpc

    register = provider_pb2_grpc.add_ResourceProviderServicer_to_server
    if getattr(register, "_chartmogul_import", False):
        return
    blobs = functools.cache(provider_blobs)

    @functools.wraps(register)
    def register_with_import(servicer: Any, server: Any) -> Any:
        servicer.Read = with_provider(servicer.Read, blobs)
        return register(servicer, server)

    register_with_import._chartmogul_import = True  # type: ignore[attr-defined]
    provider_pb2_grpc.add_ResourceProviderServicer_to_server = register_with_import
