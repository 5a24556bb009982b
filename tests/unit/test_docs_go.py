"""The Go in the reference pages is code a test compiles: each ```go block is an excerpt of
tests/e2e/fixtures/go-catalog/main.go (which ``make test-go-program`` vets and builds against sdk/go), verbatim but
for the two tabs of indentation of the program's body."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "docs" / "resources" / f"{name}.md" for name in ("data_source", "plan", "plan_group", "lookups")]
PROGRAM = ROOT / "tests" / "e2e" / "fixtures" / "go-catalog" / "main.go"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_go_block_is_an_excerpt_of_the_compiled_program(page: Path) -> None:
    found = re.findall(r"```go\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
    assert found, f"{page.relative_to(ROOT)} shows no Go"
    program = PROGRAM.read_text(encoding="utf-8")
    for block in found:
        assert textwrap.indent(block, "\t\t") in program, (
            f"{page.relative_to(ROOT)}: this block is not in {PROGRAM.relative_to(ROOT)} (edit the program, then "
            f"copy it here):\n{block}")
