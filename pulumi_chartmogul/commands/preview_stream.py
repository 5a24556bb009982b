"""The streaming JSON preview read as one preview: ``PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview
--json`` prints one engine event per line instead of one document, and only that form carries the policy packs'
findings (plain ``--json`` leaves policy events out). :func:`read` turns the events into the document ``review``
reads (``steps``, ``changeSummary``), the policy violations, and the errors the preview reported.

Only the standard library: the review runs in CI without Pulumi installed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

# The engine's own closing words on a failed command: not a reason.
_GENERIC_ERRORS = frozenset({"preview failed", "update failed", "analysis failed"})


@dataclass(frozen=True)
class PolicyViolation:
    """One ``policyEvent``: a policy of a pack found something, about a resource (``urn``) or the whole stack."""

    policy: str
    pack: str
    level: str  # mandatory, advisory (or remediate)
    urn: str
    message: str  # what the policy reported, without the policy's description the engine puts first

    @property
    def resource(self) -> str:
        """The resource's name (the end of its URN); empty for a finding about the stack."""
        return self.urn.rsplit("::", 1)[-1] if self.urn else ""

    @property
    def kind(self) -> str:
        """The type's last part (``Plan``), from the URN."""
        return self.urn.split("::")[-2].rsplit(":", 1)[-1] if self.urn.count("::") >= 2 else ""


@dataclass
class Preview:
    steps: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)
    violations: list[PolicyViolation] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    result: str = ""  # the summary's result: succeeded, failed

    def counts(self) -> dict[str, int]:
        return dict(self.summary)

    def document(self) -> dict[str, Any]:
        """The shape of ``pulumi preview --json``'s document, as far as ``review`` reads it."""
        return {"steps": self.steps, "changeSummary": self.summary}


def events(text: str) -> Iterator[Mapping[str, Any]]:
    """Every JSON object in ``text``, in order, skipping whatever else the CLI printed between them."""
    decoder = json.JSONDecoder()
    position = 0
    while True:
        start = text.find("{", position)
        if start < 0:
            return
        try:
            value, position = decoder.raw_decode(text, start)
        except ValueError:
            position = start + 1
            continue
        if isinstance(value, Mapping):
            yield value


def is_stream(text: str) -> bool:
    """Whether ``text`` is the event stream (its first object an engine event) rather than one document."""
    first = next(events(text), None)
    return first is not None and "sequence" in first


def _violation(event: Mapping[str, Any]) -> PolicyViolation:
    lines = [line for line in str(event.get("message") or "").splitlines() if line.strip()]
    message = " ".join(lines[1:]) if len(lines) > 1 else " ".join(lines)
    return PolicyViolation(policy=str(event.get("policyName") or ""), pack=str(event.get("policyPackName") or ""),
                           level=str(event.get("enforcementLevel") or ""), urn=str(event.get("resourceUrn") or ""),
                           message=message)


def _state(state: Any) -> Any:
    """A step's state as the document writes it: the stream leaves ``custom`` out when it is false (the stack, a
    component)."""
    return {**state, "custom": bool(state.get("custom"))} if isinstance(state, Mapping) else state


def read(text: str) -> Preview:
    """What the stream says. Steps come from each ``resourcePreEvent`` (its metadata holds what a step of the
    document holds), the counts from the ``summaryEvent``."""
    preview = Preview()
    for event in events(text):
        if "resourcePreEvent" in event:
            meta = event["resourcePreEvent"].get("metadata") or {}
            preview.steps.append({"op": meta.get("op"), "urn": meta.get("urn"), "oldState": _state(meta.get("old")),
                                  "newState": _state(meta.get("new")), "detailedDiff": meta.get("detailedDiff")})
        elif "policyEvent" in event:
            preview.violations.append(_violation(event["policyEvent"]))
        elif "diagnosticEvent" in event:
            diagnostic = event["diagnosticEvent"]
            message = str(diagnostic.get("message") or "").strip()
            if diagnostic.get("severity") == "error" and message and message not in _GENERIC_ERRORS:
                preview.errors.append(message)
        elif "summaryEvent" in event:
            summary = event["summaryEvent"]
            preview.summary = {str(k): int(v) for k, v in (summary.get("resourceChanges") or {}).items()
                               if isinstance(v, int)}
            preview.result = str(summary.get("result") or "")
    return preview
