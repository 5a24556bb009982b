"""``python -m pulumi_chartmogul <command>`` (also the console script ``pulumi-chartmogul``).

Commands:
  export   read a ChartMogul account and write it as the bootstrap program's catalog (pulumi_chartmogul/export.py)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pulumi-chartmogul", description="Tools for pulumi-chartmogul.")
    commands = parser.add_subparsers(dest="command", required=True)
    from . import export

    export.add_arguments(commands.add_parser(
        "export", help="write an account's data sources, plans and plan groups as a catalog",
        description="Read every data source, plan and plan group of a ChartMogul account (key from "
                    "CHARTMOGUL_API_KEY) and write them as the bootstrap program's stack config (or a program)."))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "export":
        from . import export

        return export.run(args)
    raise AssertionError(f"unknown command {args.command!r}")  # argparse refuses unknown commands first


if __name__ == "__main__":
    sys.exit(main())
