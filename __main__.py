"""The bootstrap program: the catalog in stack config becomes ChartMogul data sources, plans and plan groups.

Stack config::

    chartmogul-bootstrap:catalog:     # see pulumi_chartmogul/catalog/model.py for the fields and rules
      - name: In-house billing
        plans:
          - {name: Bronze, interval_count: 1, interval_unit: month, external_id: bronze_monthly}
    chartmogul-bootstrap:plan_groups: # optional; see pulumi_chartmogul/catalog/groups.py
      - name: Self-serve
        plans: [{data_source: In-house billing, external_id: bronze_monthly}, {uuid: pl_...}]
    chartmogul-bootstrap:catalog_file: catalog.yaml   # instead of the two above, for large catalogs: a file in the
                                                      # shape `pulumi-chartmogul export` writes (catalog/file.py)
    chartmogul:apiKey: <secret>       # `pulumi config set --secret chartmogul:apiKey ...`, or CHARTMOGUL_API_KEY
    chartmogul:endpoint: ...          # optional; default https://api.chartmogul.com/v1, or CHARTMOGUL_ENDPOINT

The whole catalog is validated before anything is declared: a bad entry stops the program with a list of every
problem, and no resource is created, changed or deleted.

Exports ``data_sources`` (name -> uuid), ``plans`` (data source name -> external id -> uuid; external ids are
unique per data source only) and, when there are groups,
``plan_groups`` (name -> uuid).
"""

import pulumi

from pulumi_chartmogul.catalog import declare, load_catalog
from pulumi_chartmogul.catalog.file import load_catalog_file
from pulumi_chartmogul.catalog.groups import declare_plan_groups

config = pulumi.Config()
catalog_file = config.get("catalog_file")
if catalog_file:
    catalog = load_catalog_file(catalog_file)
else:
    catalog = load_catalog(config.require_object("catalog"), plan_groups=config.get_object("plan_groups"))
data_sources, plans = declare(catalog)
plan_groups = declare_plan_groups(catalog.plan_groups, plans)

pulumi.export("data_sources", {name: source.uuid for name, source in data_sources.items()})
pulumi.export("plans", {source: {external_id: plan.uuid for external_id, plan in in_source.items()}
                         for source, in_source in plans.items()})
if plan_groups:
    pulumi.export("plan_groups", {name: group.uuid for name, group in plan_groups.items()})
