"""docs/guides/guardrails.md against the pack: its table of rules is the rules (names, default levels, config keys),
its policy config is valid for them, and its commands are the package's. Its first JSON block is also the config
tests/e2e/test_guardrails_cli.py runs through the real CLI."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

from pulumi_chartmogul.commands import cli, policy_pack
from pulumi_chartmogul.policy import rules

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guides" / "guardrails.md"
TYPES = {"array": list, "string": str, "integer": int, "object": dict}


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.DOTALL)


def config_problems(config: dict[str, Any]) -> list[str]:
    problems = []
    for name, settings in config.items():
        rule = rules.RULES_BY_NAME.get(name)
        if rule is None:
            problems.append(f"{name}: no such policy")
            continue
        for key, value in settings.items():
            if key == "enforcementLevel":
                if value not in ("mandatory", "advisory", "disabled"):
                    problems.append(f"{name}: level {value!r}")
            elif key not in rule.config_schema:
                problems.append(f"{name}: no setting {key}")
            elif not isinstance(value, TYPES[rule.config_schema[key]["type"]]):
                problems.append(f"{name}: {key} is not {rule.config_schema[key]['type']}")
    return problems


def test_the_table_of_rules_is_the_rules() -> None:
    rows = {line.split("|")[1].strip().strip("`"): line for line in GUIDE.read_text(encoding="utf-8").splitlines()
            if line.startswith("| `chartmogul-")}
    assert list(rows) == [rule.name for rule in rules.RULES]
    for rule in rules.RULES:
        cells = [cell.strip() for cell in rows[rule.name].split("|")]
        assert cells[2] == rule.enforcement, rule.name
        for key in rule.config_schema:
            assert f"`{key}`" in cells[4], (rule.name, key)


def test_the_policy_config_shown_is_valid_for_the_rules() -> None:
    shown = [json.loads(block) for block in blocks("json")]
    assert shown, "no policy config in the guide"
    for config in shown:
        assert config_problems(config) == []
    assert set(shown[0]) == set(rules.RULES_BY_NAME)  # the example sets every policy
    # the checker itself finds what it must
    assert config_problems({"chartmogul-plan-naming": {"pattern": "x"}, "nope": {},
                            "chartmogul-catalog-floor": {"minPlans": "3", "enforcementLevel": "off"}}) == [
        "chartmogul-plan-naming: no setting pattern", "nope: no such policy",
        "chartmogul-catalog-floor: minPlans is not integer", "chartmogul-catalog-floor: level 'off'"]


def test_the_commands_shown_are_the_package_s_and_name_the_pack_s_files() -> None:
    lines = [line.split("#", 1)[0].strip() for block in blocks("sh") for line in block.splitlines()]
    ours = [shlex.split(line) for line in lines if line.startswith("pulumi-chartmogul ")]
    assert ours, "no pulumi-chartmogul command in the guide"
    for words in ours:
        cli.build_parser().parse_args(words[1:])  # exits (a usage error) on a command or flag that does not exist
    pulumi = [line for line in lines if "pulumi " in line and "pulumi-chartmogul" not in line]
    file_form = f"--policy-pack guardrails/{policy_pack.LAUNCHER}"
    for command in ("pulumi preview", "pulumi up", "pulumi policy analyze"):
        assert any(line.startswith(command) and file_form in line for line in pulumi), command
    assert any(line.startswith("pulumi preview --policy-pack guardrails ") for line in pulumi)  # the folder form
    text = GUIDE.read_text(encoding="utf-8")
    for name in policy_pack.FILES:
        assert f"`{name}`" in text, name
