"""``python -m pulumi_chartmogul <command>``: see :mod:`pulumi_chartmogul.commands.cli`."""

import sys

from .commands.cli import main

sys.exit(main())
