// A ChartMogul catalog in TypeScript: a data source, its plans, and a plan group that also holds a plan an
// integration (Stripe, say) made, found by a lookup. Served by the native provider plugin `chartmogul`, found on
// PATH (`pipx install pulumi-chartmogul`).
import * as pulumi from "@pulumi/pulumi";
import * as chartmogul from "@pulumi-chartmogul/chartmogul";

const config = new pulumi.Config();
const integrationSource = config.get("integrationSource") ?? "Stripe";
const integrationPlan = config.get("integrationPlan") ?? "gold_monthly";

// Lookups run in every preview, up and refresh: one request each. This program never changes what they find.
const integration = chartmogul.getDataSourceOutput({ name: integrationSource });
const integrationGold = chartmogul.getPlanOutput({
    dataSourceUuid: integration.uuid,
    externalId: integrationPlan,
});

// A custom data source and its plans: externalId (by default the resource name) is a plan's key in its data
// source; name, intervalCount and intervalUnit change in place.
const webShop = new chartmogul.DataSource("web-shop", { name: "Web shop" });
const basicMonthly = new chartmogul.Plan("basic_monthly", {
    dataSourceUuid: webShop.uuid,
    name: "Basic",
    intervalCount: 1,
    intervalUnit: "month",
});
const proMonthly = new chartmogul.Plan("pro_monthly", {
    dataSourceUuid: webShop.uuid,
    name: "Pro",
    intervalCount: 1,
    intervalUnit: "month",
});
const proYearly = new chartmogul.Plan("pro_yearly", {
    dataSourceUuid: webShop.uuid,
    name: "Pro (annual)",
    intervalCount: 1,
    intervalUnit: "year",
});

// A plan group: two declared plans and the integration's, looked up. Plans are a set (order is never a change).
const premium = new chartmogul.PlanGroup("premium", {
    name: "Premium",
    plans: [proMonthly.uuid, proYearly.uuid, integrationGold.uuid],
});

export const dataSourceUuid = webShop.uuid;
export const plans = {
    basic_monthly: basicMonthly.uuid,
    pro_monthly: proMonthly.uuid,
    pro_yearly: proYearly.uuid,
};
export const integrationPlanUuid = integrationGold.uuid;
export const premiumGroup = premium.uuid;
export const premiumPlansCount = premium.plansCount;
