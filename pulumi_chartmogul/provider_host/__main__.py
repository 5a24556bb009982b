"""``python -m pulumi_chartmogul.provider_host``: the SDK's dynamic-provider server, with import (see the package),
that ends with the engine that started it (``orphan.py``)."""

import runpy

from .orphan import exit_with_parent
from .server import install

install()
exit_with_parent()
runpy.run_module("pulumi.dynamic", run_name="__main__", alter_sys=True)
