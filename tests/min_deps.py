"""The lowest version of every runtime dependency pyproject.toml declares (``make test-min-deps``).

``python -m tests.min_deps`` prints them as pip constraints (``name==minimum``); ``--check`` instead verifies that
the running environment has exactly those versions installed. Every runtime requirement, the ``emulator``
extra's included, must have a ``>=`` lower bound: one without is reported, since nothing could test it.
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
RUNTIME_EXTRAS = ("emulator",)
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.-]+)\s*(?:\[[^\]]*\])?\s*(.*)$")


def minimums(pyproject: Path = PYPROJECT) -> dict[str, str]:
    project = tomllib.loads(pyproject.read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in RUNTIME_EXTRAS:
        requirements += project["optional-dependencies"][extra]
    found: dict[str, str] = {}
    for requirement in requirements:
        match = _REQUIREMENT.match(requirement.split(";")[0])
        assert match is not None, requirement
        name, specifiers = match.groups()
        lower = re.search(r">=\s*([0-9][0-9A-Za-z.]*)", specifiers)
        if lower is None:
            raise SystemExit(f"pyproject.toml: {requirement!r} has no lower bound (>=), so it cannot be tested")
        found[name.lower()] = lower.group(1)
    return found


def _release(text: str) -> tuple[int, ...] | str:
    """``3.139`` and ``3.139.0`` are the same release."""
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)*", text):
        return text
    parts = [int(part) for part in text.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def main(argv: list[str]) -> int:
    wanted = minimums()
    if "--check" not in argv:
        print("\n".join(f"{name}=={minimum}" for name, minimum in sorted(wanted.items())))
        return 0
    wrong = []
    for name, minimum in sorted(wanted.items()):
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "not installed"
        if _release(installed) != _release(minimum):
            wrong.append(f"{name}: {installed}, expected {minimum}")
    print("\n".join(wrong) or f"lowest declared versions installed: {len(wanted)} packages", file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
