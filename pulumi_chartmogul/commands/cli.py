"""``pulumi-chartmogul`` (or ``python -m pulumi_chartmogul``): the package's commands.

- ``export``: read a ChartMogul account and write it as the bootstrap program's catalog (``export.py``);
- ``review``: summarise ``pulumi preview --json`` as a pull-request comment (``review.py``);
- ``policy-pack``: write the ChartMogul guardrails as a ready Pulumi policy pack (``policy_pack.py``);
- ``provider-host``: write the project's launcher of this package's provider host and the ``Pulumi.yaml`` lines
  that name it (``provider_host.py``), so the project imports by uuid.

Imports nothing of Pulumi until a command needs it: export and review run in CI jobs and on machines that only
talk to ChartMogul or read JSON.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def build_parser() -> argparse.ArgumentParser:
    from . import export, policy_pack, provider_host, review

    parser = argparse.ArgumentParser(prog="pulumi-chartmogul", description="Tools for pulumi-chartmogul.")
    commands = parser.add_subparsers(dest="command", required=True)
    export.add_arguments(commands.add_parser(
        "export", help="write an account's data sources, plans and plan groups as a catalog",
        description="Read every data source, plan and plan group of a ChartMogul account (key from "
                    "CHARTMOGUL_API_KEY) and write them as the bootstrap program's stack config (or a program)."))
    review.add_arguments(commands.add_parser(
        "review", help="summarise `pulumi preview --json` as a pull-request comment",
        description="Summarise `pulumi preview --json` (or `pulumi refresh --preview-only --json`) as Markdown for "
        "a pull-request comment, or as text for a terminal."))
    policy_pack.add_arguments(commands.add_parser(
        "policy-pack", help="write the ChartMogul guardrails as a Pulumi policy pack (and its launcher)",
        description="Write a ready policy pack into DIR: PulumiPolicy.yaml, requirements.txt (pulumi-policy), the "
        "rules, an example policy config and the executable launcher run-policy-pack, which runs the pack from "
        "DIR/venv. Run it with `pulumi preview --policy-pack DIR` (the official CLI) or "
        "`--policy-pack DIR/run-policy-pack` (a CLI given the pack as a file, since 3.255)."))
    provider_host.add_arguments(commands.add_parser(
        "provider-host", help="make the project able to import by uuid (writes the launcher and Pulumi.yaml lines)",
        description="Write chartmogul-host/pulumi-resource-pulumi-python into the project (commit it) and name it in "
        "Pulumi.yaml's plugins: section, so that the engine runs pulumi_chartmogul's provider host for dynamic "
        "resources: Pulumi's own, plus importing by uuid (catalog `uuid`, ResourceOptions(import_=...)), which "
        "Pulumi's cannot do (pulumi/pulumi#16175). The lines are the same on every machine."))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "provider-host":
        from . import provider_host

        return provider_host.run(args)
    if args.command == "policy-pack":
        from . import policy_pack

        return policy_pack.run(args)
    if args.command == "export":
        from . import export

        return export.run(args)
    from . import review

    return review.run(args)


if __name__ == "__main__":
    sys.exit(main())
