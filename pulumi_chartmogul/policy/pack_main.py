"""The policy pack's program: binds the rules (``rules.py``) to ``pulumi_policy``. Written into a pack folder as
``__main__.py`` beside the rules (as ``chartmogul_rules.py``) by ``pulumi-chartmogul policy-pack``; the pack's own
virtualenv has ``pulumi-policy``, this package's does not (it would downgrade protobuf), so nothing imports this
module inside the package.

All it does: hand each policy the plain values the engine sent (``pulumi_policy`` wraps them in proxies that raise
on an unknown value; the rules read around unknowns themselves) and report each violation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import (  # type: ignore[import-not-found]
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ResourceValidationPolicy,
    StackValidationPolicy,
)

try:
    from . import rules
except ImportError:  # run from the pack folder, where the rules are a module of their own
    import chartmogul_rules as rules  # type: ignore[import-not-found, no-redef]

LEVELS = {"mandatory": EnforcementLevel.MANDATORY, "advisory": EnforcementLevel.ADVISORY}


def plain(value: Any) -> Any:
    """The value without ``pulumi_policy``'s unknown-checking proxies: dicts, lists and scalars, unknowns as the
    engine's sentinels."""
    if type(value).__name__ in ("_DictProxy", "_ListProxy"):
        value = value["__target"]
    if isinstance(value, Mapping):
        return {str(k): plain(value[k]) for k in value}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [plain(item) for item in value]
    return value


def resource_policy(rule: rules.Rule) -> Any:
    def validate(args: Any, report_violation: Any) -> None:
        resource = rules.Resource(type=args.resource_type, name=args.name, props=plain(args.props),
                                  protect=bool(args.opts.protect), urn=args.urn)
        if resource.kind is None:
            return
        for violation in rule.check_resource(resource, plain(args.get_config())):
            report_violation(violation.message)

    return ResourceValidationPolicy(name=rule.name, description=rule.description,
                                    enforcement_level=LEVELS[rule.enforcement], validate=validate,
                                    config_schema=PolicyConfigSchema(properties=dict(rule.config_schema)))


def stack_policy(rule: rules.Rule) -> Any:
    def validate(args: Any, report_violation: Any) -> None:
        resources = [rules.Resource(
            type=r.resource_type, name=r.name, props=plain(r.props), protect=bool(r.opts.protect), urn=r.urn,
            dependencies={key: [d.urn for d in deps] for key, deps in (r.property_dependencies or {}).items()})
            for r in args.resources]
        for violation in rule.check_stack(resources, plain(args.get_config())):
            report_violation(violation.message, violation.urn or None)

    return StackValidationPolicy(name=rule.name, description=rule.description,
                                 enforcement_level=LEVELS[rule.enforcement], validate=validate,
                                 config_schema=PolicyConfigSchema(properties=dict(rule.config_schema)))


def policies() -> list[Any]:
    return [resource_policy(rule) if rule.scope == "resource" else stack_policy(rule) for rule in rules.RULES]


if __name__ == "__main__":
    PolicyPack(name=rules.PACK_NAME, policies=policies())
