"""The cold-start baseline: the smallest useful dynamic provider. It echoes its inputs and calls nothing.

Imported by the provider host when it unpickles the provider; it must import nothing beyond what the host
itself has already loaded (``pulumi.dynamic``), or the baseline would not be trivial.
"""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import CreateResult, ResourceProvider

PROVIDER_KEY = "__provider"


class EchoProvider(ResourceProvider):
    serialize_as_secret_always = False

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult("echo", {k: v for k, v in props.items() if k != PROVIDER_KEY})
