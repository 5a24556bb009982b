"""The docs stay honest: every relative link (and its #anchor) resolves, and every ``make`` target and
``pulumi-chartmogul`` subcommand and flag they name in code exists."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from pulumi_chartmogul.commands.cli import build_parser

REPO = Path(__file__).resolve().parents[2]
DOCS = sorted({*REPO.glob("*.md"), *REPO.glob("docs/**/*.md"), *REPO.glob("examples/**/*.md"),
               *REPO.glob("bench/*.md"), *REPO.glob("templates/**/*.md")})
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
SPAN = re.compile(r"`([^`\n]+)`")
# `make` where a command starts: a line's start (after an optional prompt) or after && ; ||
MAKE = re.compile(r"(?:^|&&|;|\|\|)[ \t]*(?:\$[ \t]+)?make[ \t]+((?:[A-Za-z_]+=\S+[ \t]+)*)([a-z][\w-]*)", re.MULTILINE)
COMMAND = re.compile(r"(?:pulumi-chartmogul|python -m pulumi_chartmogul)\s+([a-z][\w-]*)([^\n|;#&>]*)")


def code_of(text: str) -> list[str]:
    """Fenced blocks and inline code spans: where a doc names a command."""
    blocks = FENCE.findall(text)
    return blocks + SPAN.findall(FENCE.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"`|\*|_(?=\w)|(?<=\w)_", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {slug(match) for match in re.findall(r"^#+\s+(.*)$", text, flags=re.MULTILINE)}


def make_targets() -> set[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*)\s*:(?!=)", text, flags=re.MULTILINE))


def subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_the_docs_are_found() -> None:
    names = {path.relative_to(REPO).as_posix() for path in DOCS}
    assert {"README.md", "CHANGELOG.md", "CONTRIBUTING.md", "docs/configuration.md", "docs/commands.md",
            "docs/troubleshooting.md", "docs/resources/plan.md"} <= names


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.relative_to(REPO).as_posix())
def test_every_relative_link_resolves(doc: Path) -> None:
    broken = []
    for target in LINK.findall(doc.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:
        path_part, _, anchor = target.partition("#")
        linked = (doc.parent / path_part).resolve() if path_part else doc
        if not linked.exists():
            broken.append(f"{target}: no {linked}")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{target}: no heading #{anchor} in {linked.name}")
    assert broken == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.relative_to(REPO).as_posix())
def test_every_make_target_named_exists(doc: Path) -> None:
    named = {match[1] for code in code_of(doc.read_text(encoding="utf-8")) for match in MAKE.findall(code)}
    assert named - make_targets() == set()


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.relative_to(REPO).as_posix())
def test_every_command_and_flag_named_exists(doc: Path) -> None:
    commands = subcommands()
    unknown = []
    for code in code_of(doc.read_text(encoding="utf-8")):
        for name, rest in COMMAND.findall(code):
            if name not in commands:
                unknown.append(f"pulumi-chartmogul {name}")
                continue
            flags = set(commands[name]._option_string_actions)
            unknown += [f"pulumi-chartmogul {name} {flag}" for flag in re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", rest)
                        if flag.split("=")[0] not in flags]
    assert unknown == []


def test_the_checker_catches_what_it_must(tmp_path: Path) -> None:
    assert slug("Already have an account?") == "already-have-an-account"
    assert slug("`DataSource(name)` — or args") == "datasourcename--or-args"
    code = code_of("run `make nope` and\n```\npulumi-chartmogul export --adopt --nope\nthen make this change\n```\n")
    assert {m[1] for c in code for m in MAKE.findall(c)} == {"nope"}
    [(name, rest)] = [m for c in code for m in COMMAND.findall(c)]
    assert (name, rest.split()) == ("export", ["--adopt", "--nope"])
