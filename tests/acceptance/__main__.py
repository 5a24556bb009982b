"""``make acceptance``: the lifecycle against the account of ``CHARTMOGUL_API_KEY``, or a refusal saying why.

``python -m tests.acceptance [PYTEST ARGS]`` checks the guard (``target.account_target``) first: without
``CHARTMOGUL_ACCEPTANCE=1``, ``CHARTMOGUL_API_KEY`` and ``CHARTMOGUL_ALLOWED_ACCOUNT_IDS`` it prints every missing
one and exits with status 2, having sent nothing; the same when the key's account (one ``GET /account``) is not
one of the allowed ones. Otherwise it gets a Pulumi CLI as ``make pulumi-cli`` does (none:
status 2 and why), then runs the lifecycle test's ``account`` case alone (the emulator's runs in ``make test``) and
exits with pytest's status.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pulumi_chartmogul.commands import pulumi_cli

from .target import Refused, account_target, check_account

EXIT_REFUSED = 2
LIFECYCLE = Path(__file__).resolve().parent / "test_lifecycle.py"
REPO = LIFECYCLE.parents[2]


def main(argv: Sequence[str]) -> int:
    try:
        target = account_target(os.environ)
        account = check_account(target.client())  # another account is refused here, before anything is made
    except Refused as exc:
        print(f"make acceptance: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    if pulumi_cli.obtain(REPO) is None:
        print("make acceptance: no Pulumi CLI could be had (`make pulumi-cli` says why); the suite runs through it",
              file=sys.stderr)
        return EXIT_REFUSED
    print(f"Acceptance run against the account {account.get('id')} ({account.get('name')!r}) at {target.endpoint}.",
          flush=True)
    import pytest

    return int(pytest.main(["-p", "no:cacheprovider", "-rA", "-s", f"{LIFECYCLE}::test_lifecycle[account]",
                            *argv]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
