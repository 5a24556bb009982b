"""Moved to :mod:`pulumi_chartmogul.catalog.file` (0.2); this path warns, and goes in 0.3."""

from typing import TYPE_CHECKING

from . import _moved

# CATALOG_KEY and GROUPS_KEY were this module's own in 0.1; catalog.file has them from catalog.names.
__all__ = ["CATALOG_KEY", "GROUPS_KEY", "STACK_CONFIG_LIMIT", "load_catalog_file", "read_catalog_file"]

if TYPE_CHECKING:
    # For type checkers only: the same names, the functions marked deprecated (at run time they are the new
    # module's own).
    from pathlib import Path

    from typing_extensions import deprecated

    from .catalog import file as _new
    from .catalog.file import STACK_CONFIG_LIMIT as STACK_CONFIG_LIMIT
    from .catalog.model import Catalog
    from .catalog.names import CATALOG_KEY as CATALOG_KEY
    from .catalog.names import GROUPS_KEY as GROUPS_KEY

    @deprecated("moved to pulumi_chartmogul.catalog.file in 0.2; the old path goes in 0.3")
    def read_catalog_file(path: str | Path) -> tuple[object, object]:
        return _new.read_catalog_file(path)

    @deprecated("moved to pulumi_chartmogul.catalog.file in 0.2; the old path goes in 0.3")
    def load_catalog_file(path: str | Path) -> Catalog:
        return _new.load_catalog_file(path)
else:
    _moved.hand_on(__name__, "pulumi_chartmogul.catalog.file", __all__, globals())
