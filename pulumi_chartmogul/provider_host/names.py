"""The names of the native face: its package, its type tokens, and its camelCase properties.

The providers (``resources/``) speak snake_case, as the Python face does; a native program (YAML, TypeScript, Go)
speaks the camelCase every Pulumi schema uses. The conversion happens here and only at the native boundary, on
top-level property names (values are scalars or lists of them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

PACKAGE = "chartmogul"
MODULE = "index"
RESOURCES = ("DataSource", "Plan", "PlanGroup")


def resource_token(resource: str) -> str:
    """``Plan`` → ``chartmogul:index:Plan``."""
    return f"{PACKAGE}:{MODULE}:{resource}"


def function_token(function: str) -> str:
    """``getPlan`` → ``chartmogul:index:getPlan``."""
    return f"{PACKAGE}:{MODULE}:{function}"


NATIVE_TOKENS = {resource_token(resource): resource for resource in RESOURCES}


def camel(name: str) -> str:
    """``data_source_uuid`` → ``dataSourceUuid``."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def snake(name: str) -> str:
    """``dataSourceUuid`` → ``data_source_uuid``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def to_camel(props: Mapping[str, Any]) -> dict[str, Any]:
    return {camel(key): value for key, value in props.items()}


def to_snake(props: Mapping[str, Any]) -> dict[str, Any]:
    return {snake(key): value for key, value in props.items()}


def type_token(urn: str) -> str:
    """``urn:pulumi:stack::project::pulumi-python:dynamic/chartmogul:Plan::name`` → the type token (a request of the
    oldest supported SDK has no ``type`` field)."""
    return urn.split("::")[-2].rsplit("$", 1)[-1] if urn.count("::") >= 3 else ""
