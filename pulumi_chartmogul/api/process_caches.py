"""What a process keeps per ChartMogul account beyond any one client, and the one way to forget it all.

A provider host builds a client per resource type and serves many calls at once, and three things must be shared by
all of them for the life of the process (one Pulumi command):

- the account's pace (``pacing.py``): one rate and one bound on requests in flight, whichever thread asks;
- the account's listings (``listed_reads.py``): the pages that answer many plan reads;
- the account check's verdict (``client.py``): one ``GET /account`` per process for an endpoint, key and allow-list.

Each is keyed by the endpoint and a digest of the key, never the key itself. A process that plays several commands in
a row (a test, the bench, the in-process provider of a program under mocks) calls :func:`reset_process_caches`
between them, as a new provider host would start empty.
"""

from __future__ import annotations

from . import client, listed_reads, pacing


def reset_process_caches() -> None:
    """Forget every account's pace, listings and account verdict, as a newly started process would have none."""
    pacing.forget_paces()
    listed_reads.forget_accounts()
    client.forget_account_verdicts()
