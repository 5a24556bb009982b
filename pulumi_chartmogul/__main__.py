"""``python -m pulumi_chartmogul <command>``: see :mod:`pulumi_chartmogul.cli`."""

import sys

from .cli import main

sys.exit(main())
