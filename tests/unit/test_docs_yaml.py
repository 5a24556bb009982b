"""The YAML programs in the README and the reference pages hold to the native plugin's schema: every resource type
and function exists, every property and argument is one it declares (camelCase), every required input is given."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_chartmogul.provider_host.schema import package_schema

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs" / "resources").glob("*.md")),
         ROOT / "docs" / "guides" / "any-language.md"]
SCHEMA = package_schema()


def yaml_programs() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for page in PAGES:
        for index, block in enumerate(re.findall(r"```yaml\n(.*?)```", page.read_text(encoding="utf-8"), re.S)):
            document = yaml.safe_load(block)
            if isinstance(document, dict) and ({"resources", "variables"} & set(document)):
                found.append((f"{page.relative_to(ROOT)}#{index}", document))
    return found


PROGRAMS = yaml_programs()


def test_the_pages_show_yaml_programs() -> None:
    pages = {name.split("#")[0] for name, _ in PROGRAMS}
    assert {"README.md", "docs/resources/data_source.md", "docs/resources/plan.md", "docs/resources/plan_group.md",
            "docs/resources/lookups.md"} <= pages


@pytest.mark.parametrize(("where", "program"), PROGRAMS, ids=[name for name, _ in PROGRAMS])
def test_a_yaml_program_of_the_docs_uses_only_what_the_schema_declares(where: str, program: dict[str, Any]) -> None:
    for name, resource in (program.get("resources") or {}).items():
        token = resource["type"]
        if not token.startswith("chartmogul:"):
            continue
        declared = SCHEMA["resources"].get(token if token.count(":") == 2 else token.replace(":", ":index:"))
        assert declared is not None, f"{where}: {name} has type {token}, which the schema does not declare"
        given = set(resource.get("properties") or {})
        assert given <= set(declared["inputProperties"]), f"{where}: {name}: {given - set(declared['inputProperties'])}"
        assert set(declared["requiredInputs"]) <= given, f"{where}: {name} lacks {set(declared['requiredInputs'])}"
    for name, variable in (program.get("variables") or {}).items():
        call = variable.get("fn::invoke") if isinstance(variable, dict) else None
        if call is None:
            continue
        function = SCHEMA["functions"].get(call["function"])
        assert function is not None, f"{where}: {name} calls {call['function']}, which the schema does not declare"
        assert set(call.get("arguments") or {}) <= set(function["inputs"]["properties"]), f"{where}: {name}"
