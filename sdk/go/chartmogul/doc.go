// Manage ChartMogul data sources, subscription plans and plan groups.
package chartmogul
