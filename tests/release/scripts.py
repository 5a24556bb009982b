"""The release's tool scripts (not a package: the workflow runs them by path), loaded as modules for the tests:
``check`` is tools/release/check.py, ``tarball`` is tools/plugin/tarball.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
TARBALL_SCRIPT = REPO / "tools" / "plugin" / "tarball.py"
CHECK_SCRIPT = REPO / "tools" / "release" / "check.py"


def load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check = load(CHECK_SCRIPT, "release_check")
tarball = load(TARBALL_SCRIPT, "plugin_tarball")
