"""``python -m pulumi_chartmogul.provider_host``: the SDK's dynamic-provider server, with import (see the package)."""

import runpy

from .importing import install

install()
runpy.run_module("pulumi.dynamic", run_name="__main__", alter_sys=True)
