"""The bootstrap catalog: data sources, plans and plan groups as plain data (``model.py``, ``groups.py``), from
stack config or a file of its own (``file.py``), made from an existing account (``export.py``), and the names it
gives what it declares (``names.py``).

``from pulumi_chartmogul.catalog import declare, load_catalog`` keeps working (the names below load on first use, so
``pulumi-chartmogul review`` and ``export`` import nothing of Pulumi until they need it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # What type checkers see: these names and no others (a module `__getattr__` would make any name `Any`).
    from .model import Catalog, CatalogDataSource, CatalogError, CatalogPlan, declare, load_catalog
    from .names import data_source_resource_name, plan_resource_name, slug
else:
    from .._lazy import lazy_attributes

    _PUBLIC = {
        "Catalog": ".model",
        "CatalogDataSource": ".model",
        "CatalogError": ".model",
        "CatalogPlan": ".model",
        "declare": ".model",
        "load_catalog": ".model",
        "data_source_resource_name": ".names",
        "plan_resource_name": ".names",
        "slug": ".names",
    }

    __getattr__ = lazy_attributes(__name__, _PUBLIC, globals())


__all__ = [
    "Catalog",
    "CatalogDataSource",
    "CatalogError",
    "CatalogPlan",
    "data_source_resource_name",
    "declare",
    "load_catalog",
    "plan_resource_name",
    "slug",
]
