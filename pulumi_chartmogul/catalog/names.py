"""The names the bootstrap program goes by: its stack config keys, and the resource names (URNs) of what a catalog
declares, made only from natural keys so that they stay stable:

- a data source is ``<slug of its key, else of its name>``;
- a plan is ``<its data source's resource name>-<external id>``;
- a plan group is ``plan-group-<slug of its key, else of its name>``.

A catalog without keys gives every resource the name it had before keys existed (the same bytes), so existing
stacks keep their URNs; a key is for two names with one slug (``"EU billing"``, ``"eu-billing"``) and for a name
that should be free to change.

The export writes the keys the program reads and the names the program declares, so both take them from here.
"""

from __future__ import annotations

import re
import unicodedata

PROJECT = "chartmogul-bootstrap"
CATALOG_KEY = f"{PROJECT}:catalog"
GROUPS_KEY = f"{PROJECT}:plan_groups"
PLAN_GROUP_PREFIX = "plan-group-"


def slug(text: str) -> str:
    """``"In-house billing"`` → ``"in-house-billing"``: lowercase ASCII letters and digits joined by ``-``.

    A name with no ASCII letter or digit at all (``"請求書"``) keeps its own letters and digits instead
    (``"請求書"``), so that any account's names make resource names; names with some ASCII keep the ASCII form.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if ascii_slug:
        return ascii_slug
    return "-".join(part for part in re.split(r"[\W_]+", unicodedata.normalize("NFKC", text).lower()) if part)


def data_source_resource_name(data_source_name: str, key: str | None = None) -> str:
    """The data source's resource name, which is also the first part of its plans' (``key``: the entry's)."""
    return slug(data_source_name if key is None else key)


def plan_resource_name(data_source_name: str, external_id: str, key: str | None = None) -> str:
    return f"{data_source_resource_name(data_source_name, key)}-{external_id}"


def plan_group_resource_name(key_or_name: str) -> str:
    return PLAN_GROUP_PREFIX + slug(key_or_name)
