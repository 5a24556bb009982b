"""What acceptance runs left in an account, found by their name prefix alone, and their deletion (``make sweep``).

A run cleans up after itself (``tests/acceptance/lifecycle.py``: ``pulumi destroy``, then this sweep by the run's own
prefix), but a run that was killed, or a machine that lost its connection, can leave objects behind. This lists
them: the plan groups and the data sources whose **name** starts with the prefix (by default the family,
``pcm-acc-``; ``--prefix`` narrows it to one run), each data source with the number of plans it holds, since
deleting a data source deletes its plans. Nothing else is ever listed or touched: a name outside the family is
refused as a prefix.

It deletes only when told to (``--yes``; ``make sweep CONFIRM=1``): plan groups first (a group refers to plans),
then data sources. It works on the account the acceptance suite may work on (``target.account_target``: the same
three variables, the same account check before anything is listed)::

    python -m tests.acceptance.sweep                       # list (dry run)
    python -m tests.acceptance.sweep --yes                 # delete what it lists
    python -m tests.acceptance.sweep --prefix pcm-acc-20251207-081500-3f9a1c-
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TextIO

from pulumi_chartmogul.api.client import ChartMogulClient
from pulumi_chartmogul.api.errors import ChartMogulError, NotFoundError

from .target import PREFIX_FAMILY, Refused, account_target, check_account, require_acceptance_prefix

DATA_SOURCE = "data source"
PLAN_GROUP = "plan group"
EXIT_REFUSED = 2


@dataclass(frozen=True)
class Leftover:
    """An object a run left: its kind, uuid and name; for a data source, the plans that go with it."""

    kind: str  # DATA_SOURCE or PLAN_GROUP
    uuid: str
    name: str
    plans: int = 0

    def describe(self) -> str:
        held = f" (and its {self.plans} plan{'' if self.plans == 1 else 's'})" if self.kind == DATA_SOURCE else ""
        return f"{self.kind} {self.uuid} {self.name!r}{held}"


def find_leftovers(client: ChartMogulClient, prefix: str = PREFIX_FAMILY) -> list[Leftover]:
    """Every plan group and data source named ``prefix...``, in the order they can be deleted (groups first)."""
    require_acceptance_prefix(prefix)
    groups = [Leftover(PLAN_GROUP, str(group["uuid"]), str(group["name"]))
              for group in client.list_plan_groups() if str(group.get("name", "")).startswith(prefix)]
    sources = [Leftover(DATA_SOURCE, str(source["uuid"]), str(source["name"]),
                        sum(1 for _ in client.list_plans(data_source_uuid=str(source["uuid"]))))
               for source in client.list_data_sources() if str(source.get("name", "")).startswith(prefix)]
    return groups + sources


def delete_leftovers(client: ChartMogulClient, leftovers: Sequence[Leftover]) -> list[str]:
    """Delete each (one already gone counts as deleted); what could not be deleted, and why."""
    problems: list[str] = []
    for leftover in leftovers:
        delete = client.delete_plan_group if leftover.kind == PLAN_GROUP else client.delete_data_source
        try:
            delete(leftover.uuid)
        except NotFoundError:
            continue
        except ChartMogulError as exc:
            problems.append(f"{leftover.describe()}: {exc}")
    return problems


def sweep(client: ChartMogulClient, prefix: str, *, settle_seconds: float = 30.0) -> list[str]:
    """Delete everything named ``prefix...``, then list again until nothing is left or ``settle_seconds`` have
    passed (in case the API deletes in the background); what is still there, and every deletion that failed."""
    problems = delete_leftovers(client, find_leftovers(client, prefix))
    left = remaining(client, prefix, settle_seconds)
    return problems + [f"still there after the sweep: {leftover.describe()}" for leftover in left]


def remaining(client: ChartMogulClient, prefix: str, settle_seconds: float = 30.0) -> list[Leftover]:
    """What is named ``prefix...``, listed again every 2 s while anything is (deletions the API may finish in the
    background) for at most ``settle_seconds``: empty as soon as nothing is left."""
    deadline = time.monotonic() + settle_seconds
    while (left := find_leftovers(client, prefix)) and time.monotonic() < deadline:
        time.sleep(2.0)
    return left


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] = os.environ, out: TextIO = sys.stdout,
         err: TextIO = sys.stderr) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.acceptance.sweep",
        description=f"List (and with --yes delete) the objects acceptance runs left, by their name prefix "
                    f"({PREFIX_FAMILY}...), in the account of CHARTMOGUL_API_KEY.")
    parser.add_argument("--yes", action="store_true", help="delete what is listed (default: only list it)")
    parser.add_argument("--prefix", default=PREFIX_FAMILY,
                        help=f"the name prefix, {PREFIX_FAMILY!r} or one run's (default: every run's)")
    args = parser.parse_args(argv)
    try:
        prefix = require_acceptance_prefix(args.prefix)
        client = account_target(environ).client()
        account = check_account(client)
    except Refused as exc:
        print(f"sweep: {exc}", file=err)
        return EXIT_REFUSED
    where = f"account {account.get('id')} ({account.get('name')!r}) at {client.settings.endpoint}"
    leftovers = find_leftovers(client, prefix)
    if not leftovers:
        print(f"Nothing named {prefix}... in {where}.", file=out)
        return 0
    print(f"Named {prefix}... in {where}:", file=out)
    for leftover in leftovers:
        print(f"  {leftover.describe()}", file=out)
    if not args.yes:
        print(f"{len(leftovers)} object(s); nothing deleted. To delete them: make sweep CONFIRM=1 "
              "(python -m tests.acceptance.sweep --yes).", file=out)
        return 0
    problems = delete_leftovers(client, leftovers)
    for problem in problems:
        print(f"  not deleted: {problem}", file=err)
    print(f"Deleted {len(leftovers) - len(problems)} of {len(leftovers)} object(s).", file=out)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
