"""Previews of a create or an update, answered by the host itself, so an updated object keeps its uuid in a preview.

A provider that does not say it supports previews gets none: the engine makes up a preview's outputs from the new
inputs alone, in which an object's ``uuid`` is missing, so it is unknown. Everything declared from it then looks
changed: turning a data source's ``force_destroy`` on previewed each plan in it as a replacement, and renaming a
plan previewed its plan groups as updates, though the ``up`` does neither. (The SDK's host also drops a
``DiffResult``'s ``stables``, which the engine would not read anyway.) This host says it supports previews and
answers them without calling any provider, so a preview never reaches ChartMogul: a create with its inputs (the
engine's own answer), an update with its inputs plus the outputs the resource's field policy calls ``stable``,
taken from the old state. Other dynamic types get the inputs alone, as before.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from .diffs import type_token

Wrapped = Callable[[Any, Any], Any]


def supporting_previews(configure: Wrapped) -> Wrapped:
    @functools.wraps(configure)
    def configure_with_previews(request: Any, context: Any) -> Any:
        response = configure(request, context)
        response.supportsPreview = True
        return response

    return configure_with_previews


def previewing_creates(create: Wrapped) -> Wrapped:
    @functools.wraps(create)
    def create_or_preview(request: Any, context: Any) -> Any:
        if not request.preview:
            return create(request, context)
        from pulumi.runtime import proto

        return proto.CreateResponse(id="", properties=request.properties)

    return create_or_preview


def previewing_updates(update: Wrapped, stable: Callable[[str], frozenset[str]]) -> Wrapped:
    """``stable(type token)``: the outputs an update of that type keeps."""

    @functools.wraps(update)
    def update_or_preview(request: Any, context: Any) -> Any:
        if not request.preview:
            return update(request, context)
        from google.protobuf import struct_pb2
        from pulumi.runtime import proto

        properties = struct_pb2.Struct()
        properties.CopyFrom(request.news)
        for key in stable(type_token(request.urn)):
            if key in request.olds.fields and key not in properties.fields:
                properties.fields[key].CopyFrom(request.olds.fields[key])
        return proto.UpdateResponse(properties=properties)

    return update_or_preview
