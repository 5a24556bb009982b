"""``pulumi-chartmogul`` (or ``python -m pulumi_chartmogul``): the package's commands. One for now, ``review``.

Imports nothing of Pulumi: it runs in CI jobs that only read a preview's JSON.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from . import review

    parser = argparse.ArgumentParser(prog="pulumi-chartmogul")
    commands = parser.add_subparsers(dest="command", required=True)
    review.add_arguments(commands.add_parser(
        "review", help="summarise `pulumi preview --json` as a pull-request comment",
        description="Summarise `pulumi preview --json` (or `pulumi refresh --preview-only --json`) as Markdown for "
        "a pull-request comment, or as text for a terminal."))
    args = parser.parse_args(argv)
    return review.run(args)


if __name__ == "__main__":
    sys.exit(main())
