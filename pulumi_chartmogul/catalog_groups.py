"""Moved to :mod:`pulumi_chartmogul.catalog.groups` (0.2); this path warns, and goes in 0.3."""

from typing import TYPE_CHECKING

from . import _moved

__all__ = ["CatalogPlanGroup", "CatalogPlanRef", "declare_plan_groups", "plan_group_problems"]

if TYPE_CHECKING:
    # For type checkers only: the same names, marked deprecated (at run time they are the new module's own).
    from collections.abc import Callable, Mapping
    from typing import Any

    import pulumi
    from typing_extensions import deprecated

    from .catalog import groups as _new
    from .resources.plan import Plan
    from .resources.plan_group import PlanGroup

    @deprecated("moved to pulumi_chartmogul.catalog.groups in 0.2; the old path goes in 0.3")
    class CatalogPlanRef(_new.CatalogPlanRef): ...

    @deprecated("moved to pulumi_chartmogul.catalog.groups in 0.2; the old path goes in 0.3")
    class CatalogPlanGroup(_new.CatalogPlanGroup): ...

    @deprecated("moved to pulumi_chartmogul.catalog.groups in 0.2; the old path goes in 0.3")
    def plan_group_problems(
        raw: object, raw_catalog: object, describe: Callable[[Mapping[str, Any], str], str],
    ) -> tuple[list[_new.CatalogPlanGroup], list[str]]:
        return _new.plan_group_problems(raw, raw_catalog, describe)

    @deprecated("moved to pulumi_chartmogul.catalog.groups in 0.2; the old path goes in 0.3")
    def declare_plan_groups(
        groups: list[_new.CatalogPlanGroup],
        plans: Mapping[str, Mapping[str, Plan]],
        opts: pulumi.ResourceOptions | None = None,
    ) -> dict[str, PlanGroup]:
        return _new.declare_plan_groups(groups, plans, opts)
else:
    _moved.hand_on(__name__, "pulumi_chartmogul.catalog.groups", __all__, globals())
