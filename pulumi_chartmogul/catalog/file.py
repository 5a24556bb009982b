"""A catalog kept in its own YAML file (``chartmogul-bootstrap:catalog_file``), for catalogs too large for stack config.

Pulumi hands stack config to the program in one environment variable, and Linux limits one to 128 KiB
(``MAX_ARG_STRLEN``): a catalog larger than that fails every command with ``fork/exec …: argument list too long``.
``pulumi-chartmogul export`` warns above :data:`STACK_CONFIG_LIMIT` bytes of YAML (the JSON Pulumi sends is larger
than the YAML, and the stack's other config shares the variable): for typical names about 850 plans, or 600 with
their uuids. The file has the shape ``pulumi-chartmogul export`` writes (a ``config:`` document with
``chartmogul-bootstrap:catalog`` and optionally ``chartmogul-bootstrap:plan_groups``), so an export can be used as
the stack file or as this file unchanged::

    pulumi-chartmogul export --adopt --output catalog.yaml
    pulumi config set chartmogul-bootstrap:catalog_file catalog.yaml    # relative to the project folder
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .model import Catalog, CatalogError, load_catalog
from .names import CATALOG_KEY, GROUPS_KEY

# Above this, the export warns that its YAML is too large for stack config (the limit is 131,072 bytes, and
# Pulumi sends the stack's other config and the JSON form of the catalog in the same variable).
STACK_CONFIG_LIMIT = 96 * 1024


def read_catalog_file(path: str | Path) -> tuple[object, object]:
    """The raw catalog and plan groups sections of the file (for :func:`load_catalog`)."""
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogError([f"catalog_file {str(path)!r}: cannot be read ({exc})"]) from None
    config = document.get("config") if isinstance(document, dict) else None
    if not isinstance(config, dict) or CATALOG_KEY not in config:
        raise CatalogError([f"catalog_file {str(path)!r}: no `config: {CATALOG_KEY}:` section (the shape "
                            "`pulumi-chartmogul export` writes)"])
    return config[CATALOG_KEY], config.get(GROUPS_KEY)


def load_catalog_file(path: str | Path) -> Catalog:
    raw, groups = read_catalog_file(path)
    return load_catalog(raw, plan_groups=groups)
