"""Quickstart: one data source, three plans and a plan group, declared directly with the resource classes."""

import pulumi

from pulumi_chartmogul import DataSource, Plan, PlanGroup

source = DataSource("billing", name="Quickstart billing")

# external_id is the plan's key in ChartMogul; name, interval_count and interval_unit can change later
# (an in-place update), a new external_id makes a new plan.
starter = Plan(
    "starter-monthly",
    data_source_uuid=source.uuid,
    name="Starter",
    interval_count=1,
    interval_unit="month",
    external_id="starter_monthly",
)
team = Plan(
    "team-quarterly",
    data_source_uuid=source.uuid,
    name="Team (quarterly)",
    interval_count=3,
    interval_unit="month",
    external_id="team_quarterly",
)
enterprise = Plan(
    "enterprise-yearly",
    data_source_uuid=source.uuid,
    name="Enterprise",
    interval_count=1,
    interval_unit="year",
    external_id="enterprise_yearly",
)

# A plan group: a named set of plans (any data sources) to report MRR by product line. Its members can change in
# place; a plan the program does not manage can join with Plan.get("name", "pl_...").uuid.
paid = PlanGroup("paid-plans", name="Quickstart paid plans", plans=[team.uuid, enterprise.uuid])

pulumi.export("data_source_uuid", source.uuid)
pulumi.export("plan_group_uuid", paid.uuid)
pulumi.export(
    "plans",
    {"starter_monthly": starter.uuid, "team_quarterly": team.uuid, "enterprise_yearly": enterprise.uuid},
)
