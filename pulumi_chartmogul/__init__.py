"""Pulumi resources for ChartMogul: ``DataSource``, ``Plan`` and ``PlanGroup``, and the lookups of objects no program
declares (``get_data_source``, ``get_plan``, ``get_plans``, ``get_plan_group``, ``get_account``).

Cheap to import: the resources (and with them Pulumi, and the fix for the SDK's ``serialize_provider``
recursion bug that lets programs declare thousands of resources) are loaded when first used, so the emulator,
which lives in this package, never imports Pulumi.

The exceptions live in :mod:`pulumi_chartmogul.api.errors`. They are raised in the provider host, never in a Pulumi
program, so a program cannot catch them; the engine shows their message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._version import __version__

if TYPE_CHECKING:
    # What type checkers see: these names and no others, so `cm.Plna` is an error in the user's IDE.
    from .resources.data_source import DataSource, DataSourceArgs
    from .resources.lookup_functions import (
        GetAccountResult,
        GetDataSourceResult,
        GetPlanGroupResult,
        GetPlanResult,
        GetPlansResult,
        get_account,
        get_data_source,
        get_plan,
        get_plan_group,
        get_plans,
    )
    from .resources.plan import Plan, PlanArgs
    from .resources.plan_group import PlanGroup, PlanGroupArgs
else:
    # At run time the same names, loaded on first use (PEP 562). Kept out of the type checkers' sight: a module
    # `__getattr__` would make every attribute of the package `Any` to them, typos included.
    from ._lazy import lazy_attributes

    _RESOURCES = {
        "DataSource": ".resources.data_source",
        "DataSourceArgs": ".resources.data_source",
        "Plan": ".resources.plan",
        "PlanArgs": ".resources.plan",
        "PlanGroup": ".resources.plan_group",
        "PlanGroupArgs": ".resources.plan_group",
        **dict.fromkeys(["get_data_source", "get_plan", "get_plans", "get_plan_group", "get_account",
                         "GetDataSourceResult", "GetPlanResult", "GetPlansResult", "GetPlanGroupResult",
                         "GetAccountResult"], ".resources.lookup_functions"),
    }

    __getattr__ = lazy_attributes(__name__, _RESOURCES, globals())


__all__ = ["DataSource", "DataSourceArgs", "GetAccountResult", "GetDataSourceResult", "GetPlanGroupResult",
           "GetPlanResult", "GetPlansResult", "Plan", "PlanArgs", "PlanGroup", "PlanGroupArgs", "__version__",
           "get_account", "get_data_source", "get_plan", "get_plan_group", "get_plans"]
