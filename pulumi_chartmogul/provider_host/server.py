"""The SDK's dynamic-provider server with what this host adds, wired in before it serves: the provider pickle for
an import's ``Read`` (``importing.py``), field-level detail in ``Diff`` (``diffs.py``), and previews of creates and
updates answered without a provider (``previews.py``)."""

from __future__ import annotations

import functools
from typing import Any

from .diffs import with_field_detail
from .importing import our_providers, provider_blobs, with_provider
from .previews import previewing_creates, previewing_updates, supporting_previews


def stable_outputs(providers: dict[str, Any], token: str) -> frozenset[str]:
    provider = providers.get(token)
    return provider.policy.stable if provider is not None else frozenset()


def install() -> None:
    """Hook the SDK server's registration so its servicer's ``Read`` and ``Diff`` are wrapped before it serves."""
    from pulumi.runtime.proto import provider_pb2_grpc

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
