"""``python -m pulumi_chartmogul review PREVIEW_JSON``: see :mod:`pulumi_chartmogul.cli`."""

import sys

from .cli import main

sys.exit(main())
