"""Pulumi mocks that record what a program registers, for the tests of the constructors (calling styles, the typed
surface): each resource's type and inputs by name, the provider pickle left out."""

from __future__ import annotations

from typing import Any

import pulumi


class RecordingMocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.registered: dict[str, tuple[str, dict[str, Any]]] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        inputs = {k: v for k, v in args.inputs.items() if k != "__provider"}
        self.registered[args.name] = (args.typ, inputs)
        return f"id-{args.name}", inputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None

    def inputs(self, name: str) -> dict[str, Any]:
        return self.registered[name][1]


def recording_mocks() -> RecordingMocks:
    """New mocks, set for this process (the program under test registers into them)."""
    mocks = RecordingMocks()
    pulumi.runtime.set_mocks(mocks, preview=False)
    return mocks
