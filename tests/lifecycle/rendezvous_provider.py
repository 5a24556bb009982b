"""A provider whose creates all wait for each other: it proves how many calls a host serves at once. Imported by the
provider host when it unpickles the provider (the host runs in the checkout, so ``tests`` is importable)."""

from __future__ import annotations

import threading
from typing import Any

from pulumi.dynamic import CreateResult, ResourceProvider

PROVIDER_KEY = "__provider"
_BARRIERS: dict[tuple[int, float], threading.Barrier] = {}
_LOCK = threading.Lock()


class RendezvousProvider(ResourceProvider):
    """``create`` returns only once ``parties`` creates are in the host together; raises after ``timeout`` s."""

    serialize_as_secret_always = False

    def create(self, props: dict[str, Any]) -> CreateResult:
        key = (int(props["parties"]), float(props["timeout"]))
        with _LOCK:
            barrier = _BARRIERS.setdefault(key, threading.Barrier(key[0], timeout=key[1]))
        barrier.wait()
        return CreateResult(str(props["name"]), {"name": props["name"]})
