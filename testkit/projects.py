"""Scratch copies of a Pulumi program, for the tests and the bench that drive the real CLI."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path
from typing import Any


def copy_program(source: Path, folder: Path, *, virtualenv: Path, files: tuple[str, ...] = ()) -> None:
    """The program in ``source`` (``__main__.py`` and ``files``) in ``folder``, with a ``Pulumi.yaml`` that works
    from there: the ``virtualenv`` by absolute path (nothing is installed) and the provider host ``plugins`` paths
    resolved against ``source``, so the copy runs the same host."""
    yaml: Any = importlib.import_module("yaml")  # PyYAML comes with pulumi; its stubs are not installed
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("__main__.py", *files):
        shutil.copy(source / name, folder / name)
    project = yaml.safe_load((source / "Pulumi.yaml").read_text(encoding="utf-8"))
    runtime = project["runtime"] if isinstance(project["runtime"], dict) else {"name": project["runtime"]}
    runtime["options"] = {**(runtime.get("options") or {}), "toolchain": "pip", "virtualenv": str(virtualenv)}
    project["runtime"] = runtime
    for plugin in (project.get("plugins") or {}).get("providers") or []:
        plugin["path"] = str((source / plugin["path"]).resolve())
    (folder / "Pulumi.yaml").write_text(yaml.safe_dump(project, sort_keys=False, allow_unicode=True),
                                        encoding="utf-8")
