"""The TypeScript in the README and the reference pages is code the tests compile: each ```typescript block is a
verbatim excerpt of a program that tests/e2e/test_typescript_template_cli.py type-checks with ``tsc`` (and runs),
and the README's is the whole of its five-line program."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
PAGES = [ROOT / "docs" / "resources" / f"{name}.md" for name in ("data_source", "plan", "plan_group", "lookups")]
# The programs the e2e test compiles: the example (tsc --noEmit, then up), the template (each CLI command compiles
# it) and the README's program (tsc --noEmit).
SOURCES = [ROOT / "examples" / "typescript-catalog" / "index.ts", ROOT / "templates" / "chartmogul-typescript" /
           "index.ts", ROOT / "tests" / "e2e" / "fixtures" / "typescript-readme" / "index.ts"]
README_PROGRAM = SOURCES[2]


def blocks(page: Path) -> list[str]:
    return re.findall(r"```typescript\n(.*?)```", page.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda page: page.relative_to(ROOT).as_posix())
def test_every_typescript_block_is_an_excerpt_of_a_compiled_program(page: Path) -> None:
    found = blocks(page)
    assert found, f"{page.relative_to(ROOT)} shows no TypeScript"
    programs = [source.read_text(encoding="utf-8") for source in SOURCES]
    for block in found:
        assert any(block in program for program in programs), (
            f"{page.relative_to(ROOT)}: this block is in none of {[s.relative_to(ROOT).as_posix() for s in SOURCES]} "
            f"(edit the program, then copy it here):\n{block}")


def test_the_readme_shows_the_whole_five_line_program_and_its_install_line() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## From any language"):text.index("\n## ", text.index("## From any language") + 1)]
    [program] = blocks(README)
    assert program in section and program == README_PROGRAM.read_text(encoding="utf-8")
    assert len(program.splitlines()) == 5
    assert "npm install @pulumi/pulumi @pulumi-chartmogul/chartmogul\n" in section
