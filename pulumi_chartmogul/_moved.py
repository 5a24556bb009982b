"""The 0.1 import paths that moved in 0.2, kept for one release: each old module warns and hands on the new one's
public names (see CHANGELOG.md).

An old module lists the names it hands on in its ``__all__`` and nothing else. To type checkers it shows the same
names, the classes and functions marked ``@deprecated`` (PEP 702), so that a checker reports the old path where a
program uses it (mypy with ``--enable-error-code deprecated``; pyright and IDEs strike it through)."""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Iterable
from typing import Any


def hand_on(old: str, new: str, names: Iterable[str], namespace: dict[str, Any]) -> None:
    """Fill the old module's ``namespace`` with ``names`` (its ``__all__``), each the very object of ``new``, and
    warn the importer once. A name ``new`` no longer has is an ImportError here, not a surprise later."""
    warnings.warn(f"{old} moved to {new}; the old path goes in the next release", DeprecationWarning, stacklevel=3)
    module = importlib.import_module(new)
    missing = [name for name in names if not hasattr(module, name)]
    if missing:
        raise ImportError(f"{old} hands on {', '.join(missing)}, which {new} does not have", name=old)
    namespace.update({name: getattr(module, name) for name in names})
