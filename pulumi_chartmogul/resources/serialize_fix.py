"""The fix for the Pulumi SDK's ``serialize_provider`` recursion bug, installed when the resources are imported.

Kept apart from the providers and out of the package root, so that whatever does not declare resources (the
emulator, the client, the settings) never imports Pulumi.
"""

from __future__ import annotations

import functools
import pickle
import threading

from pulumi.dynamic import ResourceProvider

_SERIALIZE_LOCK = threading.Lock()


def install_serialize_provider_fix() -> None:
    """Make ``pulumi.dynamic``'s ``serialize_provider`` safe for thousands of resources.

    The SDK (from 3.33.2, pulumi/pulumi#9656, up to at least 3.272) replaces
    ``pickle._Pickler._batch_setitems``/``save_dict`` with wrappers of the previous value on every call and never
    restores them, so each dynamic resource adds a stack frame per pickled dict until a RecursionError near
    resource 300 (the "maximum recursion depth exceeded" of pulumi/pulumi#17803; ``tests/program/test_wiring.py``
    reproduces it). We restore them after each call. Our providers carry no state, so their blob depends only on
    the class: it is computed once per class.
    """
    from pulumi.dynamic import dynamic

    from ._base import ChartMogulProvider

    original = dynamic.serialize_provider
    if getattr(original, "_chartmogul_fixed", False):
        return
    blobs: dict[type, str] = {}

    @functools.wraps(original)
    def serialize_provider(provider: ResourceProvider) -> str:
        stateless = isinstance(provider, ChartMogulProvider)
        if stateless and type(provider) in blobs:
            return blobs[type(provider)]
        with _SERIALIZE_LOCK:
            saved = (pickle._Pickler._batch_setitems, pickle._Pickler.save_dict)  # type: ignore[attr-defined]
            try:
                blob: str = original(provider)
            finally:
                pickle._Pickler._batch_setitems, pickle._Pickler.save_dict = saved  # type: ignore[attr-defined]
        if stateless:
            blobs[type(provider)] = blob
        return blob

    serialize_provider._chartmogul_fixed = True  # type: ignore[attr-defined]
    dynamic.serialize_provider = serialize_provider
