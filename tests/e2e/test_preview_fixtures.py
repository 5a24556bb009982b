"""The recorded previews (tests/e2e/fixtures/previews, ``python -m tests.e2e.previews``) still say what the CLI
says: the same scenario replayed through the real CLI gives, for every case, the same steps (urn, operation,
changed inputs, replace reasons, the provider's field-level diff) in ``--json`` and the same lines in ``--diff``."""

from __future__ import annotations

import json
import re

from testkit.emulator import Emulator
from tests.e2e.conftest import Project
from tests.e2e.previews import CASES, FIXTURES, normalise, record, summary

_PLACEHOLDER = re.compile(r"\b(ds|pl)_UUID\d+\b")


def lines(text: str) -> list[str]:
    """The diff text's lines, sorted (the CLI prints resources in the order their steps finish)."""
    return sorted(_PLACEHOLDER.sub(r"\1_UUID", line).rstrip() for line in text.splitlines() if line.strip())


def test_every_case_is_recorded() -> None:
    for case in CASES:
        assert (FIXTURES / f"{case.name}.json").is_file() and (FIXTURES / f"{case.name}.diff.txt").is_file()


def test_the_cli_still_shows_what_the_fixtures_say(bootstrap: Project, emulator: Emulator) -> None:
    uuids: dict[str, str] = {}
    seen = []
    for case, as_json, as_text in record(bootstrap, emulator):
        recorded_json = (FIXTURES / f"{case.name}.json").read_text()
        recorded_text = (FIXTURES / f"{case.name}.diff.txt").read_text()
        assert summary(normalise(as_json, uuids)) == summary(recorded_json), case.name
        assert lines(normalise(as_text, uuids)) == lines(recorded_text), case.name
        seen.append(case.name)
    assert seen == [case.name for case in CASES]
    # What later work relies on, seen in the fixtures themselves: our provider host answers Diff field by field, so
    # the diff text shows the changed field alone and the JSON step carries detailedDiff and diffReasons.
    assert '~ name: "Basic" => "Basic (renamed)"' in (FIXTURES / "03-plan-rename.diff.txt").read_text()
    [renamed] = [s for s in json.loads((FIXTURES / "03-plan-rename.json").read_text())["steps"] if s["op"] == "update"]
    assert (renamed["detailedDiff"], renamed["diffReasons"]) == ({"name": {"kind": "update", "inputDiff": True}},
                                                                ["name"])
