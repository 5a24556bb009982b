"""The call every Pulumi SDK teaches, ``Resource(resource_name, args=None, opts=None, **properties)``, checked.

A resource's properties come from its ``*Args`` dataclass, from keywords, or both (a keyword given wins). The
second and third positions take nothing else: before 0.2.0 they took properties (``adopt`` for ``DataSource``,
``name`` for ``Plan``), so ``DataSource("x", DataSourceArgs(...), ResourceOptions(protect=True))`` silently turned
``adopt`` on and dropped ``protect``. A wrong type there is now a ``TypeError`` that names the parameter.
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pulumi


def call_properties(kind: str, resource_name: object, args: object, opts: object, args_type: type[Any],
                    **keywords: Any) -> dict[str, Any]:
    """The properties of ``kind(resource_name, args, opts, **keywords)``: the fields of ``args`` (an
    ``args_type``), each replaced by its keyword unless that is None. Raises TypeError for a wrong type in any of
    the three positions, before anything is registered."""
    if not isinstance(resource_name, str) or not resource_name:
        raise TypeError(f"{kind}() argument 'resource_name' must be a non-empty str, "
                        f"not {_described(resource_name)}")
    if args is not None and not isinstance(args, args_type):
        raise TypeError(f"{kind}() argument 'args' must be {args_type.__name__} or None, not {_described(args)}. "
                        f"Pass properties as keywords ({kind}({resource_name!r}, "
                        f"{dataclasses.fields(args_type)[0].name}=...)) or in a {args_type.__name__}; positional "
                        "properties were removed in 0.2.0 (CHANGELOG.md)")
    if opts is not None and not isinstance(opts, pulumi.ResourceOptions):
        raise TypeError(f"{kind}() argument 'opts' must be pulumi.ResourceOptions or None, not {_described(opts)}")
    # Not dataclasses.asdict: it deep-copies, and an Output must stay the very object the program made.
    properties = {f.name: getattr(args, f.name) for f in dataclasses.fields(args_type)} if args is not None else {}
    properties.update({key: value for key, value in keywords.items() if value is not None})
    return properties


def flag(value: pulumi.Input[bool] | None) -> pulumi.Input[bool]:
    """A switch (``adopt``, ``force_destroy``) as it is registered: a plain value as a bool, None (not given) as
    False, an Output or awaitable as it is, for the engine to resolve and the provider's check to validate (``bool()``
    of an Output would always be True)."""
    if isinstance(value, pulumi.Output) or inspect.isawaitable(value):
        return value
    return bool(value)


def _described(value: object) -> str:
    return f"{type(value).__name__} {value!r}" if isinstance(value, str | int | float | bool) else type(value).__name__
