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

from typing import Any


def preview_of_create(request: Any) -> Any:
    """A preview's create: the new inputs, as the engine would make up itself (no provider is called)."""
    from pulumi.runtime import proto

    return proto.CreateResponse(id="", properties=request.properties)


def preview_of_update(request: Any, stable: frozenset[str]) -> Any:
    """A preview's update: the new inputs plus the old outputs in ``stable`` (the field policy's), so what is
    declared from them shows no change."""
    from google.protobuf import struct_pb2
    from pulumi.runtime import proto

    properties = struct_pb2.Struct()
    properties.CopyFrom(request.news)
    for key in stable:
        if key in request.olds.fields and key not in properties.fields:
            properties.fields[key].CopyFrom(request.olds.fields[key])
    return proto.UpdateResponse(properties=properties)
