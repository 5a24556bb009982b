"""The same catalog on every stack; the stack's config says which ChartMogul account and how careful to be.

- ``chartmogul:endpoint`` (per stack): the local emulator for dev, ChartMogul itself for prod.
- ``chartmogul:apiKey``: per stack, a secret (see README.md); never in this code.
- ``chartmogul-multi-environment:protect``: ``true`` on prod, so ``pulumi destroy`` or removing an entry from the
  catalog cannot delete plans that subscriptions refer to.
"""

import pulumi
from shared_catalog import CATALOG

from pulumi_chartmogul.catalog import declare, load_catalog

config = pulumi.Config()
protect = config.get_bool("protect") or False

data_sources, plans = declare(load_catalog(CATALOG), opts=pulumi.ResourceOptions(protect=protect))

pulumi.export("stack", pulumi.get_stack())
pulumi.export("protected", protect)
pulumi.export("data_sources", {name: source.uuid for name, source in data_sources.items()})
pulumi.export("plans", {source: {external_id: plan.uuid for external_id, plan in in_source.items()}
                         for source, in_source in plans.items()})
