"""What the real CLI shows for each kind of change: ``pulumi preview --json`` and ``pulumi preview --diff`` (and, for
drift, ``pulumi refresh --preview-only``), recorded as fixtures for the code that reads them (PR summaries).

    python -m tests.e2e.previews          # re-record tests/e2e/fixtures/previews/ with the CLI of make pulumi-cli

The outputs are normalised so that a re-recording changes only what the CLI changed: uuids become stable
placeholders in order of appearance, ports, timestamps, durations, paths and ciphertexts become fixed words.
``test_preview_fixtures.py`` replays the same scenario and checks that the CLI still says what the fixtures say.
"""

from __future__ import annotations

import copy
import json
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "previews"

CATALOG: list[dict[str, Any]] = [
    {"name": "Preview billing", "plans": [
        {"name": "Basic", "interval_count": 1, "interval_unit": "month", "external_id": "basic_monthly"},
        {"name": "Pro", "interval_count": 1, "interval_unit": "month", "external_id": "pro_monthly"},
        {"name": "Trial", "interval_count": 14, "interval_unit": "day", "external_id": "trial_14"},
    ]},
    {"name": "Preview resellers", "plans": [
        {"name": "Reseller", "interval_count": 3, "interval_unit": "month", "external_id": "reseller_quarterly"},
    ]},
]


@dataclass(frozen=True)
class Case:
    """One change: what to do to the catalog (or to the emulator, for drift), then what the CLI shows."""

    name: str
    change: Callable[[list[dict[str, Any]]], None]
    drift: bool = False  # out-of-band changes made in the emulator first (instead of a catalog change)
    command: tuple[str, ...] = ("preview",)  # what shows the change (its --json, then its --diff)


def _rename_plan(catalog: list[dict[str, Any]]) -> None:
    catalog[0]["plans"][0]["name"] = "Basic (renamed)"


def _change_interval(catalog: list[dict[str, Any]]) -> None:
    catalog[0]["plans"][1].update(interval_count=3)


def _change_external_id(catalog: list[dict[str, Any]]) -> None:
    catalog[0]["plans"][1]["external_id"] = "pro_monthly_v2"


def _remove_plan(catalog: list[dict[str, Any]]) -> None:
    del catalog[0]["plans"][2]


def _add_data_source(catalog: list[dict[str, Any]]) -> None:
    catalog.append({"name": "Preview marketplace", "plans": [
        {"name": "Marketplace", "interval_count": 1, "interval_unit": "month", "external_id": "market_monthly"}]})


def _rename_data_source(catalog: list[dict[str, Any]]) -> None:
    catalog[1]["name"] = "Preview partners"


def _rename_data_source_as_such(catalog: list[dict[str, Any]]) -> None:
    """With ``renamed_from`` the source keeps its resources: the engine replaces it (replace reasons: name)."""
    catalog[1]["renamed_from"] = catalog[1]["name"]
    catalog[1]["name"] = "Preview affiliates"


def _nothing(_catalog: list[dict[str, Any]]) -> None:
    pass


# Each case starts from the catalog as the previous cases left it (each is applied with `up` after recording).
CASES = (
    Case("01-create-everything", _nothing),
    Case("02-no-change", _nothing),
    Case("03-plan-rename", _rename_plan),
    Case("04-plan-interval-change", _change_interval),
    Case("05-plan-external-id-change", _change_external_id),
    Case("06-plan-removed", _remove_plan),
    Case("07-data-source-added", _add_data_source),
    Case("08-data-source-renamed", _rename_data_source),
    Case("09-refresh-drift", _nothing, drift=True, command=("refresh", "--preview-only")),
    # The same drift as a preview of the up that would put it back (the values read are in the JSON here).
    Case("10-preview-refresh-drift", _nothing, command=("preview", "--refresh")),
    Case("11-data-source-replaced", _rename_data_source_as_such),
)

_UUID = re.compile(r"\b(ds|pl)_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_REPLACEMENTS = (
    (re.compile(r"::default::[0-9a-f-]{36}"), "::default::PROVIDER-ID"),
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:PORT"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), "TIMESTAMP"),
    (re.compile(r"\b\d+(\.\d+)?(ms|s)\b(?=\)|\s*$)", re.M), "DURATION"),
    (re.compile(r'"(ciphertext|secure)":\s*"[^"]*"'), r'"\1": "CIPHERTEXT"'),
    (re.compile(r"v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=:]+"), "CIPHERTEXT"),
    (re.compile(r"project:///[^\"#]*(#\d+)?"), "project:///PATH"),
    (re.compile(r'"(file|line|column)":\s*"?[^",}]*"?'), r'"\1": "X"'),
    (re.compile(r'"duration":\s*\d+'), '"duration": 0'),
)


def normalise(text: str, uuids: dict[str, str]) -> str:
    """``text`` with run-specific values replaced; ``uuids`` maps each uuid seen to its placeholder, run-wide."""
    def placeholder(match: re.Match[str]) -> str:
        prefix = match.group(1)
        return uuids.setdefault(match.group(0), f"{prefix}_UUID{sum(u.startswith(prefix) for u in uuids.values()) + 1}")

    text = _UUID.sub(placeholder, text)
    for pattern, replacement in _REPLACEMENTS:
        text = pattern.sub(replacement, text)
    return text


def summary(preview_json: str) -> list[tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]]:
    """What a ``--json`` preview says, as data: (urn, op, changed input keys, replace reasons, field: kind of the
    provider's detailedDiff) per step of ours."""
    steps = json.loads(preview_json).get("steps", [])
    rows = []
    for step in steps:
        if "dynamic/chartmogul:" not in step["urn"]:
            continue
        old = (step.get("oldState") or {}).get("inputs") or {}
        new = (step.get("newState") or {}).get("inputs") or {}
        changed = tuple(sorted(k for k in set(old) | set(new) if k != "__provider" and old.get(k) != new.get(k)))
        detail = tuple(sorted(f"{key}: {diff.get('kind')}" for key, diff in (step.get("detailedDiff") or {}).items()))
        rows.append((step["urn"], step["op"], changed if step["op"] not in ("create", "delete") else (),
                     tuple(step.get("replaceReasons") or ()), detail))
    return sorted(rows)


def record(project: Any, emulator: Any) -> Iterator[tuple[Case, str, str]]:
    """Run every case on ``project`` (a fresh bootstrap stack): yield the case, its ``--json`` and its diff text."""
    from tests.e2e.conftest import KEY, api_plans

    catalog = copy.deepcopy(CATALOG)
    for case in CASES:
        if case.drift:
            plans = api_plans(emulator)
            emulator.api("DELETE", f"/plans/{plans[('Preview billing', 'basic_monthly')]['uuid']}", key=KEY)
            emulator.api("PATCH", f"/plans/{plans[('Preview billing', 'pro_monthly_v2')]['uuid']}", key=KEY,
                         json={"name": "Edited by hand", "interval_count": 2})
        else:
            case.change(catalog)
            project.set_catalog(catalog)
        as_json = project.pulumi(*case.command, "--json").stdout
        as_text = project.pulumi(*case.command, "--diff").stdout
        yield case, as_json, as_text
        if case.command == ("preview",):
            project.pulumi("up", "--yes", "--skip-preview")


def main() -> int:
    from testkit.emulator import running_emulator
    from tests.e2e.conftest import make_project, new_stack

    REPO = Path(__file__).resolve().parents[2]
    FIXTURES.mkdir(parents=True, exist_ok=True)
    uuids: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as scratch, running_emulator() as emulator:
        project = new_stack(make_project(Path(scratch), REPO, stack="e2e"), emulator)
        try:
            for case, as_json, as_text in record(project, emulator):
                (FIXTURES / f"{case.name}.json").write_text(normalise(as_json, uuids))
                (FIXTURES / f"{case.name}.diff.txt").write_text(normalise(as_text, uuids))
                print(f"recorded {case.name}", file=sys.stderr)
        finally:
            project.pulumi("destroy", "--yes", "--skip-preview", check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
