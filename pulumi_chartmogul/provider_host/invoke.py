"""The native face's ``Invoke``: a lookup (``chartmogul:index:getPlan`` ...) by its token, its camelCase arguments
and result converted at this boundary, and a lookup that cannot answer reported as failures naming the arguments at
fault (a bad argument, or the key that found nothing or several)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .names import MODULE, PACKAGE, camel, to_snake

if TYPE_CHECKING:
    from ..resources._base import ChartMogulProvider


def _camel_deep(value: Any) -> Any:
    """A lookup's result with every object's keys camelCase (``getPlans``' plans are objects too)."""
    if isinstance(value, dict):
        return {camel(key): _camel_deep(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_camel_deep(item) for item in value]
    return value


def invoke(request: Any, provider: ChartMogulProvider) -> Any:
    """Answer ``request`` (an ``InvokeRequest``) with ``provider``'s client: the result, or failures."""
    import asyncio

    from pulumi.runtime import proto, rpc

    from ..api.errors import ChartMogulError
    from ..resources.lookups import LookupArgumentError, lookup_named
    from ..resources.lookups import invoke as run

    prefix = f"{PACKAGE}:{MODULE}:"
    try:
        lookup = lookup_named(request.tok.removeprefix(prefix)) if request.tok.startswith(prefix) else None
    except KeyError:
        lookup = None
    if lookup is None:
        return proto.InvokeResponse(failures=[proto.CheckFailure(reason=f"unknown function {request.tok}")])
    arguments = to_snake(rpc.deserialize_properties(request.args) or {})
    try:
        result = run(lookup, provider.client, arguments, spell=camel)
    except LookupArgumentError as exc:
        return proto.InvokeResponse(failures=[proto.CheckFailure(property=camel(argument), reason=reason)
                                              for argument, reason in exc.failures])
    except ChartMogulError as exc:
        key = getattr(exc, "key", None)  # nothing found, or several: the failure names the arguments of the key
        if not key:
            raise  # anything else (a refused account, an API error) fails the call with its message
        return proto.InvokeResponse(failures=[proto.CheckFailure(property=", ".join(map(camel, key)),
                                                                 reason=str(exc))])
    loop = asyncio.new_event_loop()
    try:
        returned = loop.run_until_complete(rpc.serialize_properties(_camel_deep(result), {}))
    finally:
        loop.close()
    return proto.InvokeResponse(**{"return": returned})
