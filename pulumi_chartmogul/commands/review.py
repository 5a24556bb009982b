"""A pull-request summary of a preview: ``pulumi-chartmogul review PREVIEW_JSON``.

Reads what ``pulumi preview --json`` (or ``pulumi refresh --preview-only --json``) prints and writes Markdown for a
PR comment, or plain text for a terminal:

- the policy packs' violations first, when the preview ran with ``--policy-pack``: only the streaming JSON preview
  (``PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true``) carries them, and ``review`` reads that form too
  (``preview_stream.py``), also from a preview the violations failed;
- counts per operation first, then the data-destroying changes (a data source deleted or replaced takes its
  customers, invoices, subscriptions and plans with it), then one row per resource with its fields old → new;
- field changes come from each step's old and new inputs, limited to the fields of its ``detailedDiff`` when the
  step has one (this package's provider host answers it; Pulumi's own host for dynamic resources does not, and the
  JSON then has ``null``: every input that differs is shown). ``__provider`` (the pickled provider) and secret
  values never appear;
- the first line is a fixed marker, so a CI job can find its comment and edit it in place;
- the result never exceeds GitHub's 65,536 characters per comment: when the detail does not fit, the summary and
  the destructive rows are kept and the cut says how many rows were left out.

Only the standard library: the review runs in CI without Pulumi installed.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from . import preview_stream
from .preview_stream import PolicyViolation

MARKER = "<!-- pulumi-chartmogul review -->"
COMMENT_LIMIT = 65_536  # GitHub's limit on a comment body, in characters
EXIT_DESTRUCTIVE = 3
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # how the engine writes a value not known until apply
_SECRET_SIG = "4dabf18193072939515e22adb298388d"  # the key marking a secret value in Pulumi's JSON
_HIDDEN = frozenset({"__provider"})
_REPLACE_OPS = frozenset({"replace", "create-replacement", "delete-replaced", "discard-replaced"})
_ORDER = ("delete", "replace", "create", "update", "import", "read", "same")
_VALUE_WIDTH = 120
DATA_LOSS = "customers, invoices, subscriptions, custom attributes, tags and manual edits"


@dataclass
class Change:
    """One resource's change: what the engine will do and the input fields that differ."""

    urn: str
    op: str
    kind: str  # the type's last part: DataSource, Plan, or the full type for anything else
    name: str  # the resource name (end of the URN)
    id: str
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)
    label: str = ""  # the object's own name (a data source's or plan's name)
    old: dict[str, Any] = field(default_factory=dict)  # the inputs in the state (none for a create)
    plans_taken: int = 0
    drift: bool = False  # from a refresh preview: ChartMogul changed, not the program
    replaces: str = ""  # a delete and a create paired into one replacement: the deleted resource's name

    @property
    def destructive(self) -> bool:
        """A data source this run deletes or replaces: ChartMogul deletes everything in it. (A refresh that finds
        one already gone in ChartMogul destroys nothing.)"""
        return self.kind == "DataSource" and self.op in ("delete", "replace") and not self.drift


@dataclass
class Review:
    """What a preview says, ready to render."""

    changes: list[Change]
    counts: dict[str, int]
    refresh: bool = False
    unidentified_updates: int = 0  # refresh previews count drift their JSON does not show
    violations: list[PolicyViolation] = field(default_factory=list)  # from a streaming preview with policy packs
    errors: list[str] = field(default_factory=list)  # the errors a streaming preview reported
    failed: bool = False  # a streaming preview that says it failed (a violation, an error): its steps so far

    @property
    def mandatory(self) -> list[PolicyViolation]:
        return [v for v in self.violations if v.level == "mandatory"]

    @property
    def destructive(self) -> list[Change]:
        return [c for c in self.changes if c.destructive]


def _shown(value: Any) -> Any:
    """``value`` with secrets masked (and the unknown marker named)."""
    if isinstance(value, Mapping):
        if _SECRET_SIG in value:
            return "[secret]"
        return {k: _shown(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shown(v) for v in value]
    if value == UNKNOWN:
        return "[unknown]"
    return value


def _inputs(state: Mapping[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in ((state or {}).get("inputs") or {}).items() if k not in _HIDDEN}


def _field_changes(old: Mapping[str, Any], new: Mapping[str, Any],
                   detail: Mapping[str, Any] | None = None) -> list[tuple[str, Any, Any]]:
    """Each field that differs (of those ``detail``, a step's ``detailedDiff``, names, when it has one)."""
    missing = object()
    rows = []
    named = {str(path).split("[", 1)[0].split(".", 1)[0] for path in detail} if detail else set(old) | set(new)
    for key in sorted(named - _HIDDEN):
        before, after = old.get(key, missing), new.get(key, missing)
        if before != after:
            rows.append((key, None if before is missing else before, None if after is missing else after))
    return rows


def _kind(type_: str) -> str:
    if type_.startswith(("pulumi-python:dynamic/chartmogul:", "chartmogul:index:")):
        return type_.rsplit(":", 1)[1]
    return type_


def _op(ops: set[str], refresh: bool, old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    if ops & _REPLACE_OPS:
        return "replace"
    for op in ("delete", "create", "update", "import", "read"):
        if op in ops:
            return op
    if refresh and "refresh" in ops and old != new:
        return "update"
    return "same"


def parse(preview: Mapping[str, Any]) -> Review:
    """The changes in a ``pulumi preview --json`` (or ``refresh --preview-only --json``) document."""
    steps = [s for s in preview.get("steps") or [] if isinstance(s, Mapping) and s.get("urn")]
    # A refresh preview has refresh steps (and a delete for what vanished). `preview --refresh` has them too, but
    # then every resource also gets its step of the up that follows (at least "same"), whose old state is what the
    # refresh read: those are the changes to show.
    ops = {str(s.get("op")) for s in steps}
    # A refresh preview (``refresh --preview-only``): no "same" step, which the up after a refresh always has (its
    # stack at least). With a provider's detailedDiff the engine shows a drifted object as an "update" step.
    refresh = "refresh" in ops and "same" not in ops
    by_urn: dict[str, list[Mapping[str, Any]]] = {}
    for step in steps:
        by_urn.setdefault(str(step["urn"]), []).append(step)
    changes = []
    for urn, all_steps in by_urn.items():
        group = [s for s in all_steps if s.get("op") != "refresh"] or all_steps
        old_state = next((s["oldState"] for s in group if s.get("oldState")), None)
        new_state = next((s["newState"] for s in reversed(group) if s.get("newState")), None)
        state = new_state or old_state or {}
        if not state.get("custom", True):
            continue  # the stack itself, components: not objects in ChartMogul
        old, new = _inputs(old_state), _inputs(new_state)
        detail = next((s["detailedDiff"] for s in group if s.get("detailedDiff")), None)
        op = _op({str(s.get("op")) for s in group}, refresh, old, new)
        shown = old if op == "delete" else new
        changes.append(Change(
            urn=urn, op=op, kind=_kind(str(state.get("type") or urn.split("::")[-2])), name=urn.split("::")[-1],
            id=str((old_state or {}).get("id") or ""), label=str(shown.get("name") or ""),
            fields=_field_changes(old, new, detail) if op in ("update", "replace") else [],
            old=new if op == "create" else old,
            drift=refresh,
        ))
    changes = _pair_replacements(changes)
    _count_plans_taken(changes)
    counts = _counts(preview, changes)
    unidentified = 0
    if refresh:
        unidentified = max(0, counts.get("update", 0) - sum(c.op == "update" for c in changes))
    return Review(changes=sorted(changes, key=_rank), counts=counts, refresh=refresh,
                  unidentified_updates=unidentified)


def _pair_replacements(changes: list[Change]) -> list[Change]:
    """A new key gives a new resource name, so the engine shows a delete and a create (a renamed data source, a
    plan with a new external id, or in a renamed source). Pair them into one replacement with its fields:

    - data sources: when exactly one is deleted and one created (their only input is the name);
    - plans: a deleted plan with the first created plan of the same display name in the same data source (or in
      a data source not created yet, whose uuid is unknown).
    """
    def merge(deleted: Change, created: Change) -> Change:
        new = {k: v for k, v in created.old.items()}
        return Change(urn=created.urn, op="replace", kind=created.kind, name=created.name, id=deleted.id,
                      label=created.label, fields=_field_changes(deleted.old, new), old=deleted.old,
                      replaces=deleted.name)

    deletes = [c for c in changes if c.op == "delete" and not c.drift]
    creates = [c for c in changes if c.op == "create"]
    pairs: list[tuple[Change, Change]] = []
    source_deletes = [c for c in deletes if c.kind == "DataSource"]
    source_creates = [c for c in creates if c.kind == "DataSource"]
    if len(source_deletes) == 1 and len(source_creates) == 1:
        pairs.append((source_deletes[0], source_creates[0]))
    taken: set[int] = set()
    for deleted in (c for c in deletes if c.kind == "Plan"):
        for created in (c for c in creates if c.kind == "Plan" and id(c) not in taken):
            if created.old.get("name") == deleted.old.get("name") and \
                    created.old.get("data_source_uuid") in (deleted.old.get("data_source_uuid"), UNKNOWN):
                taken.add(id(created))
                pairs.append((deleted, created))
                break
    paired = {id(c) for pair in pairs for c in pair}
    return [c for c in changes if id(c) not in paired] + [merge(d, c) for d, c in pairs]


def _count_plans_taken(changes: list[Change]) -> None:
    """For each data source going away, the plans in it (by the old state's data_source_uuid) that go too."""
    gone = {c.id: c for c in changes if c.destructive and c.id}
    for change in changes:
        if change.kind == "Plan" and change.op in ("delete", "replace"):
            source = gone.get(str(change.old.get("data_source_uuid")))
            if source is not None:
                source.plans_taken += 1


def _counts(preview: Mapping[str, Any], changes: Sequence[Change]) -> dict[str, int]:
    summary = preview.get("changeSummary")
    if isinstance(summary, Mapping) and summary:
        merged: dict[str, int] = {}
        for key, value in summary.items():
            if isinstance(value, int):
                op = "replace" if key in _REPLACE_OPS else str(key)
                merged[op] = merged.get(op, 0) + value
        return merged
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.op] = counts.get(change.op, 0) + 1
    return counts


def _rank(change: Change) -> tuple[int, int, str]:
    position = _ORDER.index(change.op) if change.op in _ORDER else len(_ORDER)
    return (0 if change.destructive else 1, position, change.urn)


# -- rendering -------------------------------------------------------------------------------------------------


def _value(value: Any) -> str:
    if value is None:
        return "(none)"
    text = json.dumps(_shown(value), ensure_ascii=False, sort_keys=True)
    return text if len(text) <= _VALUE_WIDTH else text[: _VALUE_WIDTH - 1] + "…"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("`", "'")


def _headline(review: Review) -> str:
    verbs = {"create": "to create", "update": "to update", "replace": "to replace", "delete": "to delete",
             "import": "to import"}
    parts = [f"{review.counts[op]} {verbs[op]}" for op in verbs if review.counts.get(op)]
    unchanged = review.counts.get("same", 0)
    if not parts:
        return f"No changes ({unchanged} unchanged)." if unchanged else "No changes."
    if review.refresh:
        return "Drift found by refresh: " + ", ".join(parts) + f" ({unchanged} unchanged)."
    return "Changes: " + ", ".join(parts) + f" ({unchanged} unchanged)."


def _what(change: Change) -> str:
    """What happens to the object, in words."""
    if change.kind == "DataSource" and change.destructive:
        plans = f" and its {change.plans_taken} plan{'s' if change.plans_taken != 1 else ''} in this preview" \
            if change.plans_taken else ""
        verb = "replaced (deleted, and a new empty one created)" if change.op == "replace" else "deleted"
        which = f"the old source (`{change.replaces}`) with its" if change.replaces else "its"
        return f"**{verb}**: ChartMogul deletes {which} {DATA_LOSS}{plans}, immediately and irrevocably"
    replacing = f" (`{change.replaces}` goes)" if change.replaces else ""
    if change.kind == "Plan" and change.op == "replace":
        return f"replaced: the plan gets a new uuid{replacing}"
    if change.drift:
        return {"delete": "deleted in ChartMogul: refresh drops it from the state",
                "update": "changed in ChartMogul: refresh takes the new values"}.get(change.op, change.op)
    words = {"create": "created", "update": "updated in place", "delete": "deleted", "import": "imported"}
    return words.get(change.op, change.op)


def _fields(change: Change, markdown: bool) -> str:
    if not change.fields:
        return ""
    tick = "`" if markdown else ""
    parts = []
    for key, before, after in change.fields:
        old, new = _value(before), _value(after)
        if markdown:
            old, new = _cell(old), _cell(new)
        parts.append(f"{key}: {tick}{old}{tick} → {tick}{new}{tick}")
    return "; ".join(parts)


def _subject(change: Change, markdown: bool) -> str:
    name = f"`{_cell(change.name)}`" if markdown else change.name
    label = f" ({_cell(change.label) if markdown else change.label})" if change.label else ""
    return f"{change.kind} {name}{label}"


def _markdown_row(change: Change) -> str:
    flag = "⚠️ " if change.destructive else ""
    return f"| {flag}{change.op} | {_subject(change, True)} | {_what(change)} | {_fields(change, True)} |"


_VIOLATION_ROWS = 100  # at most this many violations in a comment; the rest are counted


def _violation_section(review: Review) -> list[str]:
    """The policy violations, mandatory first, and the preview's errors: the top of the comment."""
    lines: list[str] = []
    if review.failed:
        lines += ["**The preview failed**: the changes below are those it planned before it stopped.", ""]
    if review.violations:
        mandatory = len(review.mandatory)
        lines += [f"#### ⛔ Policy violations ({len(review.violations)})", "",
                  f"{mandatory} mandatory violation{'s' if mandatory != 1 else ''} stop{'s' if mandatory == 1 else ''} "
                  "this change: `pulumi up` refuses it until they are fixed." if mandatory else
                  "Advisory only: nothing is stopped.", "",
                  "| Level | Policy | Resource | What to fix |", "|---|---|---|---|"]
        ranked = sorted(review.violations, key=lambda v: (v.level != "mandatory", v.policy, v.urn))
        for violation in ranked[:_VIOLATION_ROWS]:
            resource = f"{violation.kind} `{_cell(violation.resource)}`" if violation.resource else "the stack"
            lines.append(f"| {violation.level} | {_cell(violation.policy)} | {resource} | "
                         f"{_cell(violation.message)} |")
        if len(ranked) > _VIOLATION_ROWS:
            lines.append(f"\n{len(ranked) - _VIOLATION_ROWS} more violation(s) not shown.")
        lines.append("")
    if review.errors:
        lines += ["#### Preview errors", "", *(f"- {_cell(error)}" for error in review.errors[:20]), ""]
    return lines


def render_markdown(review: Review, limit: int = COMMENT_LIMIT) -> str:
    """The PR comment: marker, the policy violations, headline, counts, destructive changes, then every change; at
    most ``limit`` chars."""
    title = "Pulumi refresh preview (drift)" if review.refresh else "Pulumi preview"
    head = [MARKER, f"### {title}", "", *_violation_section(review), _headline(review), ""]
    if review.counts:
        ops = [op for op in (*_ORDER, *sorted(review.counts)) if op in review.counts]
        ops = list(dict.fromkeys(ops))
        head += ["| " + " | ".join(ops) + " |", "|" + "---|" * len(ops),
                 "| " + " | ".join(str(review.counts[op]) for op in ops) + " |", ""]
    if review.unidentified_updates:
        head += [f"{review.unidentified_updates} resource(s) changed in ChartMogul since the last refresh, but "
                 "`pulumi refresh --preview-only --json` does not include the values it read; run "
                 "`pulumi refresh --preview-only --diff` to see them.", ""]
    changed = [c for c in review.changes if c.op != "same"]
    if not changed:
        return _fit("\n".join([*head, "No resource would be created, updated, replaced or deleted."]) + "\n", limit)

    destructive = review.destructive
    table_head = ["| Operation | Resource | What happens | Fields (old → new) |", "|---|---|---|---|"]
    sections: list[tuple[list[str], list[str], str]] = []
    if destructive:
        heading = [f"#### ⚠️ Data-destroying changes ({len(destructive)})", "",
                   "Deleting a ChartMogul data source deletes everything in it. The provider refuses this for a "
                   "data source that holds customers unless the resource sets `force_destroy`.", "", *table_head]
        sections.append((heading, [_markdown_row(c) for c in destructive], ""))
    rest = [c for c in changed if not c.destructive]
    if rest:
        title = "Other changes" if destructive else "Changes"
        heading = [f"#### {title} ({len(rest)})", "", "<details open><summary>One row per resource</summary>", "",
                   *table_head]
        sections.append((heading, [_markdown_row(c) for c in rest], "\n</details>"))
    return _assemble(head, sections, limit)


def _assemble(head: list[str], sections: list[tuple[list[str], list[str], str]], limit: int) -> str:
    """Head, then each section's rows while they fit; whatever is cut is counted in a closing note."""
    note_room = 300
    out = "\n".join(head) + "\n"
    left_out = 0
    for heading, rows, tail in sections:
        block = "\n".join(heading) + "\n"
        if left_out or len(out) + len(block) + len(tail) + note_room > limit:
            left_out += len(rows)
            continue
        out += block
        for index, row in enumerate(rows):
            if len(out) + len(row) + 1 + len(tail) + note_room > limit:
                left_out += len(rows) - index
                break
            out += row + "\n"
        out += tail + "\n\n"
    if left_out:
        out += (f"**{left_out} more change(s) not shown**: the comment is limited to {limit:,} characters. "
                "Run `pulumi preview --diff` (or `pulumi-chartmogul review --format text`) for all of them.\n")
    return _fit(out, limit)


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 2] + "…\n"


def render_text(review: Review) -> str:
    """The same review for a terminal: every change, no limit."""
    lines = [f"POLICY {v.level} {v.policy}: {v.kind + ' ' + v.resource if v.resource else 'the stack'}: "
             f"{v.message}" for v in sorted(review.violations, key=lambda v: (v.level != "mandatory", v.policy))]
    lines += [f"ERROR {error}" for error in review.errors]
    lines.append(_headline(review))
    if review.unidentified_updates:
        lines.append(f"{review.unidentified_updates} resource(s) drifted but the JSON does not show how; "
                     "run `pulumi refresh --preview-only --diff`.")
    for change in review.changes:
        if change.op == "same":
            continue
        flag = "!! DATA-DESTROYING " if change.destructive else ""
        fields = _fields(change, False)
        lines.append(f"{flag}{change.op:8} {_subject(change, False)}: {_what(change).replace('**', '')}"
                     + (f" [{fields}]" if fields else ""))
    return "\n".join(lines) + "\n"


# -- command line ----------------------------------------------------------------------------------------------


def load(text: str) -> Review:
    """The review of either form: the document of ``pulumi preview --json``, or the streaming JSON preview's
    events, with their policy violations and errors."""
    if preview_stream.is_stream(text):
        stream = preview_stream.read(text)
        review = parse(stream.document())
        review.violations, review.errors = stream.violations, stream.errors
        review.failed = stream.result == "failed"
        return review
    return parse(_document(text))


def _document(text: str) -> Mapping[str, Any]:
    start = text.find("{")  # the CLI may print warnings before the document
    if start < 0:
        raise ValueError("no JSON document found (expected the output of `pulumi preview --json`)")
    document = json.JSONDecoder().raw_decode(text[start:])[0]
    if not isinstance(document, Mapping):
        raise ValueError("expected a JSON object (the output of `pulumi preview --json`)")
    return document


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("preview", help="the output of `pulumi preview --json` (with "
                        "PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true, its policy violations come first) or "
                        "`pulumi refresh --preview-only --json`; - reads standard input")
    parser.add_argument("--format", choices=("markdown", "text"), default="markdown",
                        help="markdown for a pull-request comment (default), text for a terminal")
    parser.add_argument("--fail-on", choices=("destructive", "never"), default="never",
                        help=f"destructive: exit {EXIT_DESTRUCTIVE} when a data source would be deleted or replaced")
    parser.add_argument("--limit", type=int, default=COMMENT_LIMIT, help=argparse.SUPPRESS)


def run(args: argparse.Namespace, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout,
        stderr: TextIO = sys.stderr) -> int:
    try:
        text = stdin.read() if args.preview == "-" else open(args.preview, encoding="utf-8").read()  # noqa: SIM115
        review = load(text)
    except (OSError, ValueError) as exc:
        print(f"pulumi-chartmogul review: cannot read {args.preview}: {exc}", file=stderr)
        return 2
    stdout.write(render_markdown(review, args.limit) if args.format == "markdown" else render_text(review))
    if args.fail_on == "destructive" and review.destructive:
        names = ", ".join(c.name for c in review.destructive)
        print(f"pulumi-chartmogul review: {len(review.destructive)} data source(s) would be deleted or replaced: "
              f"{names}", file=stderr)
        return EXIT_DESTRUCTIVE
    return 0

