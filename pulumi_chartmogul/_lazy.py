"""Names a package hands on without importing their modules until first use (PEP 562 ``__getattr__``).

A package sets its ``__getattr__`` from :func:`lazy_attributes` only at run time, in the ``else`` of an
``if TYPE_CHECKING:`` that imports the same names plainly: a module ``__getattr__`` that type checkers see makes
every attribute of the package ``Any`` to them, so a typo such as ``cm.Plna`` would pass unnoticed."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(package: str, where: Mapping[str, str], namespace: dict[str, Any]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` that imports ``where[name]`` (relative to it) when ``name`` is first
    asked for, then keeps the value in ``namespace`` so that the next access is a plain attribute."""

    def __getattr__(name: str) -> Any:
        if name not in where:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(where[name], package), name)
        namespace[name] = value
        return value

    return __getattr__
