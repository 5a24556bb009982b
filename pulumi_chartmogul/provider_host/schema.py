"""The native plugin's Pulumi package schema, generated from what already defines each field: the input specs
(``resources/specs.py``: type, required, default, description), the field policies (replace on change, outputs,
defaults to the resource name), the computed outputs' table, the provider settings (``api/settings.py``) and the
lookups (``resources/lookups.py``). Nothing about a field is written here.

``pulumi package get-schema``, YAML programs, ``pulumi import``'s code and SDK generation all read it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._version import __version__
from .names import MODULE, PACKAGE, RESOURCES, camel, resource_token

if TYPE_CHECKING:
    from ..resources._base import ChartMogulProvider

REPOSITORY = "https://github.com/pulumi-chartmogul/pulumi-chartmogul"
# The generated SDKs (`make sdks`, tools/sdkgen): their names, the plugin's download address, written here only.
NPM_PACKAGE = "@pulumi-chartmogul/chartmogul"
# The Go module is sdk/go of the repository (its go.mod is there; release tags `sdk/go/v<version>`), the package in it
# sdk/go/chartmogul: Pulumi's codegen puts go.mod one folder above the import base path when the schema supports pack.
GO_IMPORT_BASE_PATH = "github.com/pulumi-chartmogul/pulumi-chartmogul/sdk/go/chartmogul"
GO_MODULE = GO_IMPORT_BASE_PATH.rsplit("/", 1)[0]
# The oldest @pulumi/pulumi the TypeScript SDK compiles against: 3.248.0 is the newest whose `engines` accept node 20.
NODE_PULUMI_SDK = "^3.248.0"
# Where the engine downloads the plugin a generated SDK asks for, the GitHub release of this version: the engine
# appends pulumi-resource-chartmogul-v<version>-<os>-<arch>.tar.gz, the name `make plugin` gives its tarball
# (an http(s) source in Pulumi's sdk/go/common/workspace/plugins.go; no ${VERSION} template, as an SDK asks only for
# its own version).
PLUGIN_DOWNLOAD_URL = f"{REPOSITORY}/releases/download/v{__version__}"
_JSON_TYPES = {"string", "integer", "number", "boolean"}


def _type_of(field: Mapping[str, Any], enums: dict[str, dict[str, Any]], enum_name: str) -> dict[str, Any]:
    """A pydantic JSON-schema property as a Pulumi schema type: an enum becomes a named type of the package."""
    if "enum" in field:
        token = f"{PACKAGE}:{MODULE}:{enum_name}"
        enums[token] = {
            "type": field.get("type", "string"),
            "description": field.get("description", ""),
            "enum": [{"name": str(value).capitalize(), "value": value} for value in field["enum"]],
        }
        return {"$ref": f"#/types/{token}"}
    kind = field.get("type")
    if kind == "array":
        return {"type": "array", "items": _type_of(field.get("items", {"type": "string"}), enums, enum_name)}
    if kind in _JSON_TYPES:
        return {"type": kind}
    raise ValueError(f"no Pulumi schema type for {field!r}")


def _first_paragraph(text: str | None) -> str:
    return " ".join((text or "").strip().split("\n\n")[0].split())


def resource_schema(name: str, provider: type[ChartMogulProvider], enums: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One resource: its inputs from its spec, its outputs (the inputs echoed, then the computed ones), and which
    inputs replace it when they change."""
    from ..resources import specs

    policy = provider.policy
    spec = getattr(specs, provider.spec_name)
    fields = spec.model_json_schema()
    inputs: dict[str, Any] = {}
    for field, definition in fields["properties"].items():
        prop = {**_type_of(definition, enums, f"{camel(field)[:1].upper()}{camel(field)[1:]}"),
                "description": definition.get("description", "")}
        if "default" in definition:
            prop["default"] = definition["default"]
        if field in policy.replace:
            prop["replaceOnChanges"] = True
        inputs[camel(field)] = prop
    required = [camel(field) for field in fields.get("required", []) if field not in policy.named_by_resource]
    outputs = {key: {k: v for k, v in prop.items() if k not in ("default", "replaceOnChanges")}
               for key, prop in inputs.items()}
    for field in sorted(policy.computed):
        kind, description = specs.COMPUTED_OUTPUTS[field]
        outputs[camel(field)] = {"type": kind, "description": description}
    resource_class = _resource_class(name)
    return {
        "description": _first_paragraph(resource_class.__doc__),
        "inputProperties": inputs,
        "requiredInputs": sorted(required),
        "properties": outputs,
        "required": sorted(camel(field) for field in policy.outputs),
    }


def _resource_class(name: str) -> type:
    from ..resources import data_source, plan, plan_group

    return {"DataSource": data_source.DataSource, "Plan": plan.Plan, "PlanGroup": plan_group.PlanGroup}[name]


def _config_properties() -> dict[str, Any]:
    from ..api.settings import PROVIDER_CONFIG

    properties: dict[str, Any] = {}
    for key in PROVIDER_CONFIG:
        kind: dict[str, Any] = ({"type": "array", "items": {"type": "string"}} if key.json_type == "array"
                                else {"type": key.json_type})
        properties[key.name] = {**kind, "description": key.description, **({"secret": True} if key.secret else {})}
    return properties


def _functions(types: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The lookups (``chartmogul:index:getPlan`` ...): string arguments, required when every way of calling has them;
    results with their object types added to ``types``."""
    from ..resources.lookups import LOOKUPS

    functions: dict[str, Any] = {}
    for lookup in LOOKUPS:
        functions[f"{PACKAGE}:{MODULE}:{lookup.token}"] = {
            "description": lookup.description,
            "inputs": {
                "properties": {camel(arg.name): {"type": "string", "description": arg.description}
                               for arg in lookup.arguments},
                "required": sorted(camel(name) for name in lookup.required),
            },
            "outputs": _object(lookup.result, types),
        }
    return functions


def _object(fields: Any, types: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A lookup result's fields as schema properties (objects in arrays become named types)."""
    properties: dict[str, Any] = {}
    for field in fields:
        if field.type == "array" and field.items is not None and not isinstance(field.items, str):
            token = f"{PACKAGE}:{MODULE}:{field.items.name}"
            types[token] = {"type": "object", **_object(field.items.fields, types)}
            kind: dict[str, Any] = {"type": "array", "items": {"$ref": f"#/types/{token}"}}
        elif field.type == "array":
            kind = {"type": "array", "items": {"type": "string"}}
        else:
            kind = {"type": field.type}
        properties[camel(field.name)] = {**kind, "description": field.description}
    return {"properties": properties,
            "required": sorted(camel(field.name) for field in fields if field.required)}


@functools.cache
def package_schema() -> dict[str, Any]:
    """The whole schema, as a JSON-native dict."""
    from .importing import provider_classes

    types: dict[str, dict[str, Any]] = {}
    providers = provider_classes()
    resources = {resource_token(name): resource_schema(name, providers[name], types) for name in RESOURCES}
    config = _config_properties()
    return {
        "name": PACKAGE,
        "displayName": "ChartMogul",
        "version": __version__,
        "description": "Manage ChartMogul data sources, subscription plans and plan groups.",
        "keywords": ["pulumi", "chartmogul", "subscription analytics", "category/utility"],
        "homepage": REPOSITORY,
        "repository": REPOSITORY,
        "license": "Apache-2.0",
        "publisher": "pulumi-chartmogul",
        "config": {"variables": config},
        "provider": {
            "description": "The ChartMogul provider: the account it works on, and how it talks to the API.",
            "inputProperties": config,
        },
        "resources": resources,
        "functions": _functions(types),
        "types": types,
        "pluginDownloadURL": PLUGIN_DOWNLOAD_URL,
        "meta": {"supportPack": True},
        "language": _languages(),
    }


def _languages() -> dict[str, Any]:
    """What the SDK generators need beyond the types: package names, the version from the schema (so no
    ``${VERSION}`` is left), the Pulumi SDK the TypeScript one needs."""
    return {
        "nodejs": {
            "packageName": NPM_PACKAGE,
            "packageDescription": "Pulumi resources for ChartMogul: data sources, subscription plans and plan groups.",
            "dependencies": {"@pulumi/pulumi": NODE_PULUMI_SDK},
            "respectSchemaVersion": True,
        },
        "go": {
            "importBasePath": GO_IMPORT_BASE_PATH,
            "generateResourceContainerTypes": True,
            "respectSchemaVersion": True,
        },
    }


def schema_json() -> str:
    return json.dumps(package_schema(), indent=2, sort_keys=True)
