"""The two resources as the engine names them, and their providers serialized as a program sends them."""

from __future__ import annotations

from pulumi.dynamic.dynamic import serialize_provider

from pulumi_chartmogul.resources.data_source import DataSourceProvider
from pulumi_chartmogul.resources.plan import PlanProvider

DATA_SOURCE = "pulumi-python:dynamic/chartmogul:DataSource"
PLAN = "pulumi-python:dynamic/chartmogul:Plan"
DATA_SOURCE_PROVIDER = serialize_provider(DataSourceProvider())
PLAN_PROVIDER = serialize_provider(PlanProvider())
