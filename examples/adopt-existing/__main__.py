"""Take over a data source and plans that already exist in ChartMogul (created by hand or by a script).

``adopt=True`` tells ``create``: if the object already exists (a data source with this name; a plan with this
external id in the data source), take it over instead of failing. Adopted plans are patched to the declared
name and interval. After the first ``pulumi up`` they are ordinary resources: the flag no longer matters, and
``pulumi destroy`` would delete them, which is why these carry ``retain_on_delete``.
"""

from typing import Literal

import pulumi

from pulumi_chartmogul import DataSource, Plan

keep = pulumi.ResourceOptions(retain_on_delete=True)

legacy = DataSource("legacy-billing", name="Legacy billing", adopt=True, opts=keep)

# (external id as it exists in ChartMogul, declared name, interval count, unit)
EXISTING_PLANS: list[tuple[str, str, int, Literal["day", "month", "year"]]] = [
    ("legacy_basic", "Basic", 1, "month"),
    ("legacy_plus", "Plus", 1, "month"),
    ("legacy_annual", "Annual", 1, "year"),
]

plans = {
    external_id: Plan(
        f"legacy-billing-{external_id}",
        data_source_uuid=legacy.uuid,
        name=name,
        interval_count=count,
        interval_unit=unit,
        external_id=external_id,
        adopt=True,
        opts=keep,
    )
    for external_id, name, count, unit in EXISTING_PLANS
}

pulumi.export("data_source_uuid", legacy.uuid)
pulumi.export("plans", {external_id: plan.uuid for external_id, plan in plans.items()})
