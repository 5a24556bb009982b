"""The bootstrap program: the catalog in stack config becomes ChartMogul data sources and plans.

Stack config::

    chartmogul-bootstrap:catalog:     # see pulumi_chartmogul/catalog.py for the fields and rules
      - name: In-house billing
        plans:
          - {name: Bronze, interval_count: 1, interval_unit: month, external_id: bronze_monthly}
    chartmogul:apiKey: <secret>       # `pulumi config set --secret chartmogul:apiKey ...`, or CHARTMOGUL_API_KEY
    chartmogul:endpoint: ...          # optional; default https://api.chartmogul.com/v1, or CHARTMOGUL_ENDPOINT

The whole catalog is validated before anything is declared: a bad entry stops the program with a list of every
problem, and no resource is created, changed or deleted.

Exports ``data_sources`` (name -> uuid) and ``plans`` (external id -> uuid).
"""

import pulumi

from pulumi_chartmogul.catalog import declare, load_catalog

catalog = load_catalog(pulumi.Config().require_object("catalog"))
data_sources, plans = declare(catalog)

pulumi.export("data_sources", {name: source.uuid for name, source in data_sources.items()})
pulumi.export("plans", {external_id: plan.uuid for external_id, plan in plans.items()})
