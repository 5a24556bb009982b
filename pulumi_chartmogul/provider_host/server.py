"""Our provider host's server: the SDK's dynamic-provider servicer with every RPC we change overridden in one class,
served on :data:`HOST_WORKERS` threads instead of the SDK's 4.

:class:`ChartMogulHostServicer` lists what it overrides in :data:`OVERRIDDEN_RPCS` (a test holds the class to it);
every other RPC, and every call for a dynamic type that is not ours, is the SDK's code unchanged. What each override
adds lives beside it: the provider pickle of an import's ``Read`` (``importing.py``), field-level detail in ``Diff``
(``diffs.py``), and previews of creates and updates answered without a provider (``previews.py``).
"""

from __future__ import annotations

import functools
import sys
import threading
from concurrent import futures
from typing import TYPE_CHECKING, Any

from ..api.settings import MAX_IN_FLIGHT
from . import sdk_server
from .diffs import add_field_detail, type_token
from .importing import is_import_read, our_providers, provider_blobs, with_inputs, with_provider_blob
from .previews import preview_of_create, preview_of_update

if TYPE_CHECKING:
    from ..resources._base import ChartMogulProvider

# The engine runs up to --parallel steps at once (4 x CPUs unless set) and the SDK's host serves 4 of them; ours
# serves as many as ChartMogul takes in flight, so the engine's own bound decides below that. The threads start only
# as calls arrive, and the account's pace (api/pacing.py) keeps them together under its rate.
HOST_WORKERS = MAX_IN_FLIGHT

OVERRIDDEN_RPCS = ("Configure", "Create", "Diff", "Read", "Update")

SdkServicer: Any = sdk_server.module().DynamicResourceProviderServicer


class ChartMogulHostServicer(SdkServicer):  # type: ignore[misc]  # the SDK's class is untyped
    """The SDK's servicer, with our additions for our resource types (``pulumi-python:dynamic/chartmogul:*``)."""

    def __init__(self) -> None:
        super().__init__()
        self._blobs = functools.cache(provider_blobs)
        self._providers = functools.cache(our_providers)

    def _provider_for(self, token: str) -> type[ChartMogulProvider] | None:
        return self._providers().get(token)

    def Configure(self, request: Any, context: Any) -> Any:
        """The SDK's, saying that previews are supported, so the engine asks Create and Update for them."""
        response = super().Configure(request, context)
        response.supportsPreview = True
        return response

    def Create(self, request: Any, context: Any) -> Any:
        """A preview is answered here (no provider, no request); a create is the SDK's."""
        if request.preview:
            return preview_of_create(request)
        return super().Create(request, context)

    def Update(self, request: Any, context: Any) -> Any:
        """A preview is answered here, keeping our types' stable outputs known; an update is the SDK's."""
        if request.preview:
            provider = self._provider_for(type_token(request.urn))
            return preview_of_update(request, provider.policy.stable if provider is not None else frozenset())
        return super().Update(request, context)

    def Read(self, request: Any, context: Any) -> Any:
        """An import's Read of one of our types arrives with its provider pickle and leaves with inputs; any other
        Read is the SDK's."""
        blob = self._blobs().get(request.type) if is_import_read(request) else None
        if blob is None:
            return super().Read(request, context)
        response = super().Read(with_provider_blob(request, blob), context)
        if not response.id:
            return response  # the SDK's host aborted the call (our read raised): nothing to add to
        return with_inputs(response, self._providers()[request.type]())

    def Diff(self, request: Any, context: Any) -> Any:
        """The SDK's decision, with the changed fields of our types as a detailed diff."""
        response = super().Diff(request, context)
        provider = self._provider_for(type_token(request.urn))
        if provider is None or response is None or response.hasDetailedDiff:
            return response
        from pulumi.runtime import proto, rpc

        if response.changes != proto.DiffResponse.DIFF_SOME:
            return response
        return add_field_detail(response, provider(), rpc.deserialize_properties(request.olds),
                                rpc.deserialize_properties(request.news))


def serve() -> None:
    """What the SDK's ``main`` does (``sdk_server.SDK_ENTRY_POINT``), with our servicer on :data:`HOST_WORKERS`
    threads: serve on a free loopback port, tell the engine the port on stdout, and wait."""
    import grpc
    from pulumi.runtime.proto import provider_pb2_grpc

    pool = futures.ThreadPoolExecutor(max_workers=HOST_WORKERS, thread_name_prefix="chartmogul-host")
    server = grpc.server(pool, options=sdk_server.module()._GRPC_CHANNEL_OPTIONS)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(ChartMogulHostServicer(), server)
    port = server.add_insecure_port(address="127.0.0.1:0")
    server.start()
    sys.stdout.buffer.write(f"{port}\n".encode())
    sys.stdout.buffer.flush()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop(0)
