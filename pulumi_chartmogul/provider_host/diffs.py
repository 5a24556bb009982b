"""What this host adds to the SDK's Diff: the changed fields, each an update or a replacement.

``pulumi.dynamic``'s ``DiffResult`` has no field-level detail, so the SDK's host answers Diff with ``replaces``
alone: ``pulumi preview --json`` then carries ``"detailedDiff": null`` and ``"diffReasons": []`` for every
dynamic resource, and tools that read it see that something changes, not what. For our types the host adds
``detailedDiff`` and ``diffs`` from the same rule the provider's diff used (``changed_fields``); the decision
(``changes``, ``replaces``) stays the provider's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..resources._base import ChartMogulProvider


def type_token(urn: str) -> str:
    """``urn:pulumi:stack::project::pulumi-python:dynamic/chartmogul:Plan::name`` → the type token (a DiffRequest
    of the oldest supported SDK has no ``type`` field)."""
    return urn.split("::")[-2].rsplit("$", 1)[-1] if urn.count("::") >= 3 else ""


def add_field_detail(response: Any, provider: ChartMogulProvider, olds: dict[str, Any], news: dict[str, Any]) -> Any:
    """``response`` with ``detailedDiff`` (each changed field: update, or update-replace when it is one of the
    provider's ``replaces``) and ``diffs``."""
    from pulumi.runtime import proto

    changed = provider.changed_fields(olds, news)
    for key in changed:
        kind = proto.PropertyDiff.UPDATE_REPLACE if key in response.replaces else proto.PropertyDiff.UPDATE
        response.detailedDiff[key].CopyFrom(proto.PropertyDiff(kind=kind, inputDiff=True))
    response.diffs.extend(key for key in changed if key not in response.diffs)
    response.hasDetailedDiff = True
    return response
