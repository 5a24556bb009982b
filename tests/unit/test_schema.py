"""The native plugin's schema, its specs, policies and outputs held together: every field the schema declares comes
from the one place that defines it, and nothing there is missing from the schema."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_chartmogul.api.settings import PROVIDER_CONFIG
from pulumi_chartmogul.provider_host.importing import provider_classes
from pulumi_chartmogul.provider_host.names import RESOURCES, camel, resource_token, snake
from pulumi_chartmogul.provider_host.schema import package_schema
from pulumi_chartmogul.resources import specs
from pulumi_chartmogul.resources.lookups import LOOKUPS

SCHEMA = package_schema()


@pytest.mark.parametrize("name", RESOURCES)
def test_a_resource_s_inputs_outputs_and_replacements_are_its_spec_s_and_policy_s(name: str) -> None:
    provider = provider_classes()[name]
    policy, spec = provider.policy, getattr(specs, provider.spec_name)
    resource = SCHEMA["resources"][resource_token(name)]
    inputs = resource["inputProperties"]
    assert set(inputs) == {camel(field) for field in spec.model_fields} == {camel(f) for f in policy.inputs}
    assert {snake(key) for key, prop in inputs.items() if prop.get("replaceOnChanges")} == set(policy.replace)
    required = {snake(key) for key in resource["requiredInputs"]}
    assert required == {f for f, info in spec.model_fields.items() if info.is_required()} - policy.named_by_resource
    for field, info in spec.model_fields.items():
        assert inputs[camel(field)]["description"] == info.description and info.description
        if not info.is_required():
            assert inputs[camel(field)]["default"] == info.default
    assert set(resource["properties"]) == {camel(f) for f in policy.inputs | set(policy.outputs)}
    assert set(resource["required"]) == {camel(f) for f in policy.outputs}
    for field in policy.computed:
        assert resource["properties"][camel(field)]["description"] == specs.COMPUTED_OUTPUTS[field][1]


def test_interval_unit_is_an_enum_of_the_spec_s_literal() -> None:
    plan = SCHEMA["resources"][resource_token("Plan")]
    ref = plan["inputProperties"]["intervalUnit"]["$ref"]
    enum = SCHEMA["types"][ref.removeprefix("#/types/")]
    assert [value["value"] for value in enum["enum"]] == ["day", "month", "year"]


def test_the_provider_config_is_the_settings_keys_with_the_key_secret() -> None:
    variables: dict[str, Any] = SCHEMA["config"]["variables"]
    assert set(variables) == {key.name for key in PROVIDER_CONFIG} == set(SCHEMA["provider"]["inputProperties"])
    assert [name for name, prop in variables.items() if prop.get("secret")] == ["apiKey"]
    assert variables["allowedAccountIds"]["type"] == "array"


def test_the_functions_are_the_lookups() -> None:
    functions = SCHEMA["functions"]
    assert set(functions) == {f"chartmogul:index:{lookup.token}" for lookup in LOOKUPS}
    for lookup in LOOKUPS:
        declared = functions[f"chartmogul:index:{lookup.token}"]
        assert set(declared["inputs"]["properties"]) == {camel(arg.name) for arg in lookup.arguments}
        assert set(declared["inputs"]["required"]) == {camel(name) for name in lookup.required}
        assert set(declared["outputs"]["properties"]) == {camel(field.name) for field in lookup.result}


def test_the_schema_is_the_package_s_version_and_every_reference_resolves() -> None:
    from pulumi_chartmogul import __version__

    assert SCHEMA["name"] == "chartmogul" and SCHEMA["version"] == __version__
    text = repr(SCHEMA)
    for ref in {part.split("'")[0] for part in text.split("'$ref': '")[1:]}:
        assert ref.startswith("#/types/") and ref.removeprefix("#/types/") in SCHEMA["types"], ref


def test_the_language_section_names_the_sdks_and_takes_the_schema_s_version() -> None:
    from pulumi_chartmogul.provider_host import schema

    nodejs, go = SCHEMA["language"]["nodejs"], SCHEMA["language"]["go"]
    assert nodejs["packageName"] == schema.NPM_PACKAGE == "@pulumi-chartmogul/chartmogul"
    assert nodejs["dependencies"] == {"@pulumi/pulumi": "^3.248.0"}
    assert go["importBasePath"] == f"{schema.GO_MODULE}/chartmogul"
    assert schema.GO_MODULE == "github.com/pulumi-chartmogul/pulumi-chartmogul/sdk/go"
    assert nodejs["respectSchemaVersion"] is go["respectSchemaVersion"] is True
    assert SCHEMA["meta"] == {"supportPack": True}  # Pulumi's Go codegen then writes go.mod in sdk/go


def test_the_plugin_downloads_from_the_release_of_its_version_with_make_plugin_s_tarball_names() -> None:
    from pulumi_chartmogul import __version__

    # The engine appends pulumi-resource-<name>-v<version>-<os>-<arch>.tar.gz to an http(s) pluginDownloadURL,
    # as tools/plugin/tarball.py names the tarball it builds.
    url = SCHEMA["pluginDownloadURL"]
    assert url == f"https://github.com/pulumi-chartmogul/pulumi-chartmogul/releases/download/v{__version__}"
    assert SCHEMA["repository"] == url.split("/releases/")[0]
    assert "${" not in url
