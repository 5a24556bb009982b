"""The resources as the engine names them, and their providers serialized as a program sends them."""

from __future__ import annotations

from pulumi.dynamic.dynamic import serialize_provider

from pulumi_chartmogul.resources.data_source import DataSourceProvider
from pulumi_chartmogul.resources.plan import PlanProvider
from pulumi_chartmogul.resources.plan_group import PlanGroupProvider

DATA_SOURCE = "pulumi-python:dynamic/chartmogul:DataSource"
PLAN = "pulumi-python:dynamic/chartmogul:Plan"
PLAN_GROUP = "pulumi-python:dynamic/chartmogul:PlanGroup"
DATA_SOURCE_PROVIDER = serialize_provider(DataSourceProvider())
PLAN_PROVIDER = serialize_provider(PlanProvider())
PLAN_GROUP_PROVIDER = serialize_provider(PlanGroupProvider())
