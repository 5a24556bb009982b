"""The SDK's dynamic-provider server with what this host adds, wired in before it serves: the provider pickle for
an import's ``Read`` (``importing.py``), field-level detail in ``Diff`` (``diffs.py``), previews of creates and
updates answered without a provider (``previews.py``), and :data:`HOST_WORKERS` calls served at once instead of the
SDK's 4."""

from __future__ import annotations

import functools
from concurrent import futures
from typing import Any

from ..api.settings import MAX_IN_FLIGHT
from .diffs import with_field_detail
from .importing import our_providers, provider_blobs, with_provider
from .previews import previewing_creates, previewing_updates, supporting_previews

# The engine runs up to --parallel steps at once (4 x CPUs unless set) and the SDK's host serves 4 of them; ours
# serves as many as ChartMogul takes in flight, so the engine's own bound decides below that. The threads start only
# as calls arrive, and the account's pace (api/pacing.py) keeps them together under its rate.
HOST_WORKERS = MAX_IN_FLIGHT


def stable_outputs(providers: dict[str, Any], token: str) -> frozenset[str]:
    provider = providers.get(token)
    return provider.policy.stable if provider is not None else frozenset()


def serve_more_calls() -> None:
    """Make the SDK's ``grpc.server(ThreadPoolExecutor(max_workers=4), ...)`` a server of :data:`HOST_WORKERS`."""
    import grpc

    make_server = grpc.server
    if getattr(make_server, "_chartmogul_host", False):
        return

    @functools.wraps(make_server)
    def server_with_our_workers(thread_pool: Any = None, *args: Any, **kwargs: Any) -> Any:
        if isinstance(thread_pool, futures.ThreadPoolExecutor):
            thread_pool.shutdown(wait=False)  # never used: it has started no thread yet
            thread_pool = futures.ThreadPoolExecutor(max_workers=HOST_WORKERS, thread_name_prefix="chartmogul-host")
        return make_server(thread_pool, *args, **kwargs)

    server_with_our_workers._chartmogul_host = True  # type: ignore[attr-defined]
    grpc.server = server_with_our_workers


def install() -> None:
    """Hook the SDK server's registration so its servicer's ``Read`` and ``Diff`` are wrapped before it serves, and
    its thread pool so that it serves :data:`HOST_WORKERS` calls at once."""
    from pulumi.runtime.proto import provider_pb2_grpc

    serve_more_calls()

    register = provider_pb2_grpc.add_ResourceProviderServicer_to_server
    if getattr(register, "_chartmogul_host", False):
        return
    blobs, providers = functools.cache(provider_blobs), functools.cache(our_providers)

    @functools.wraps(register)
    def register_with_our_additions(servicer: Any, server: Any) -> Any:
        servicer.Read = with_provider(servicer.Read, blobs)
        servicer.Diff = with_field_detail(servicer.Diff, providers)
        servicer.Configure = supporting_previews(servicer.Configure)
        servicer.Create = previewing_creates(servicer.Create)
        servicer.Update = previewing_updates(servicer.Update, lambda token: stable_outputs(providers(), token))
        return register(servicer, server)

    register_with_our_additions._chartmogul_host = True  # type: ignore[attr-defined]
    provider_pb2_grpc.add_ResourceProviderServicer_to_server = register_with_our_additions
