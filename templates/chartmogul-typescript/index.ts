// ChartMogul, declared in TypeScript: a data source, its subscription plans and a plan group.
// The native provider plugin `chartmogul` (the executable pulumi-resource-chartmogul) serves these types:
// `pipx install pulumi-chartmogul` puts it on PATH, once per machine (README.md). Nothing here names a path.
import * as pulumi from "@pulumi/pulumi";
import * as chartmogul from "@pulumi-chartmogul/chartmogul";

const config = new pulumi.Config();
// The names, from the stack's config (`pulumi config set dataSourceName ...`), with these defaults.
const dataSourceName = config.get("dataSourceName") ?? "In-house billing";
const groupName = config.get("planGroupName") ?? "Team";

// A custom data source. A new name replaces it, and its plans with it.
const billing = new chartmogul.DataSource("billing", { name: dataSourceName });

// Subscription plans. externalId is a plan's key in its data source (it defaults to the resource name): a new
// one makes a new plan. name, intervalCount and intervalUnit ("day", "month" or "year") change in place.
const starterMonthly = new chartmogul.Plan("starter-monthly", {
    dataSourceUuid: billing.uuid,
    name: "Starter",
    intervalCount: 1,
    intervalUnit: "month",
    externalId: "starter_monthly",
});
const teamMonthly = new chartmogul.Plan("team-monthly", {
    dataSourceUuid: billing.uuid,
    name: "Team",
    intervalCount: 1,
    intervalUnit: "month",
    externalId: "team_monthly",
});
const teamYearly = new chartmogul.Plan("team-yearly", {
    dataSourceUuid: billing.uuid,
    name: "Team (annual)",
    intervalCount: 1,
    intervalUnit: "year",
    externalId: "team_yearly",
});

// A plan group: the plans to report together (by product line, say). Its name and plans change in place.
const team = new chartmogul.PlanGroup("team", {
    name: groupName,
    plans: [teamMonthly.uuid, teamYearly.uuid],
});

export const dataSourceUuid = billing.uuid;
export const plans = {
    starter_monthly: starterMonthly.uuid,
    team_monthly: teamMonthly.uuid,
    team_yearly: teamYearly.uuid,
};
export const planGroupUuid = team.uuid;
