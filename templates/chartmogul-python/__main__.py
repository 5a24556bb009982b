"""ChartMogul, declared with Pulumi: a data source, its subscription plans and a plan group."""

from typing import Literal

import pulumi

from pulumi_chartmogul import DataSource, Plan, PlanArgs, PlanGroup

billing = DataSource("billing", name="In-house billing")

# (external_id, name, interval count, interval unit). external_id is a plan's key in its data source: a new one
# makes a new plan. Name, interval count and unit change in place.
PLANS: list[tuple[str, str, int, Literal["day", "month", "year"]]] = [
    ("starter_monthly", "Starter", 1, "month"),
    ("team_monthly", "Team", 1, "month"),
    ("team_yearly", "Team (annual)", 1, "year"),
]

plans = {
    external_id: Plan(
        external_id.replace("_", "-"),
        PlanArgs(data_source_uuid=billing.uuid, name=name, interval_count=count, interval_unit=unit,
                 external_id=external_id),
    )
    for external_id, name, count, unit in PLANS
}

# A plan group: the plans to report together (by product line, say).
team = PlanGroup("team", name="Team", plans=[plans["team_monthly"].uuid, plans["team_yearly"].uuid])

pulumi.export("data_source_uuid", billing.uuid)
pulumi.export("plans", {external_id: plan.uuid for external_id, plan in plans.items()})
pulumi.export("plan_group_uuid", team.uuid)
