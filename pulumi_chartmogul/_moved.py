"""The 0.1 import paths that moved in 0.2, kept for one release: each old module warns and hands on the new one's
names (see CHANGELOG.md)."""

from __future__ import annotations

import importlib
import warnings
from typing import Any


def hand_on(old: str, new: str, namespace: dict[str, Any]) -> None:
    """Fill the old module's ``namespace`` with the public names of ``new``, and warn the importer once."""
    warnings.warn(f"{old} moved to {new}; the old path goes in the next release", DeprecationWarning, stacklevel=3)
    module = importlib.import_module(new)
    names = getattr(module, "__all__", None) or [name for name in vars(module) if not name.startswith("_")]
    namespace.update({name: getattr(module, name) for name in names})
    namespace["__all__"] = list(names)
