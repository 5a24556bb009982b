"""Property values as they cross the gRPC channel between the engine and a provider host.

Values are decoded with ``pulumi.runtime.rpc.deserialize_properties``; numbers come back as floats, as they do in
the real engine. Unknowns (``rpc.UNKNOWN`` on the wire) are represented by :data:`UNKNOWN` in both directions.
Secret wrappers are stripped in both directions, as the engine does for a provider that answers
``acceptSecrets=False``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from google.protobuf import struct_pb2
from pulumi.output import Unknown
from pulumi.runtime import rpc


class _UnknownMarker:
    """The type of :data:`UNKNOWN`; a singleton that is never equal to anything but itself."""

    _instance: _UnknownMarker | None = None

    def __new__(cls) -> _UnknownMarker:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __copy__(self) -> _UnknownMarker:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> _UnknownMarker:
        return self


UNKNOWN: Any = _UnknownMarker()
"""Put this into inputs to send the engine's unknown sentinel (``rpc.UNKNOWN``); decoded unknowns come back as it."""


def contains_unknown(value: Any) -> bool:
    if value is UNKNOWN:
        return True
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_unknown(v) for v in value)
    return False


def _to_wire(value: Any) -> Any:
    if value is UNKNOWN:
        return rpc.UNKNOWN
    if rpc.is_rpc_secret(value):
        # acceptSecrets=False: the engine strips secrets before every resource call.
        return _to_wire(rpc.unwrap_rpc_secret(value))
    if isinstance(value, Mapping):
        return {k: _to_wire(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_wire(v) for v in value]
    return value


def _from_wire(value: Any) -> Any:
    if isinstance(value, Unknown):
        return UNKNOWN
    if rpc.is_rpc_secret(value):
        return _from_wire(rpc.unwrap_rpc_secret(value))
    if isinstance(value, dict):
        return {k: _from_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_wire(v) for v in value]
    return value


def encode_properties(props: Mapping[str, Any]) -> struct_pb2.Struct:
    """A property dict as the engine would put it into a request Struct (None values are dropped)."""
    loop = asyncio.new_event_loop()
    try:
        struct: struct_pb2.Struct = loop.run_until_complete(rpc.serialize_properties(_to_wire(props), {}))
        return struct
    finally:
        loop.close()


def decode_properties(struct: struct_pb2.Struct) -> dict[str, Any]:
    """A reply Struct as a plain dict: secrets unwrapped, unknowns as :data:`UNKNOWN`, numbers as floats."""
    decoded = rpc.deserialize_properties(struct, keep_unknowns=True)
    if not isinstance(decoded, dict):
        raise TypeError(f"expected a property map, got {type(decoded).__name__}")
    result: dict[str, Any] = _from_wire(decoded)
    return result


def secret(value: Any) -> dict[str, Any]:
    return {rpc._special_sig_key: rpc._special_secret_sig, "value": value}
