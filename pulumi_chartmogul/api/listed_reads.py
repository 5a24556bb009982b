"""Reads of many plans served by listing pages instead of one GET each, never costing more than the GETs would.

A refresh (or an import) of N plans asks for N objects, one ``Read`` at a time. ChartMogul lists 200 of them per
request, so the plans of a data source are listed page by page, once per process, and every ``Read`` of that
source is answered from the pages. (Data sources and plan groups are read one GET each: a stack holds few of them,
and the API lists groups without their plans, which a group's read needs anyway.)

Nothing tells a provider how many reads will follow, so listing is a bet, and the rules below make sure it never
costs more than one request above one GET per object read, whatever the program reads (one plan of a 5,000-plan
source costs one GET, never 25 pages). No rule can promise "never more than one GET each" exactly without knowing
the reads to come: any page fetched before its reads arrive may turn out to answer none of them.

- The first read in each listing (a data source's plans, or the account's for an import or ``.get``) is a plain
  GET: a program that reads one object pays exactly that.
- A later read that its listing has not yet answered fetches the listing's next page only while the pages fetched
  so far (in this process, for this account) have answered at least as many reads as there are pages; otherwise,
  or once the listing has run out, it is a plain GET. So pages never exceed the reads they answered, plus one.
- An object absent from a complete listing of its data source is gone, as a 404 says (a plan cannot reappear under
  its uuid, nor move to another source). Absent from an account-wide listing (an import, a ``.get``: nothing but
  the program says it exists) is listed again once, then confirmed with a GET.
- Every answer is served once: a second read of the same object starts its listing again. Pages are trusted for
  :data:`FRESH_SECONDS`, and any write through this process forgets every listing, so an
  answer is never older than the command that asked for it, nor than our own last change.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import NotFoundError

PER_PAGE = 200
FRESH_SECONDS = 30.0

Page = Mapping[str, Any]


@dataclass(frozen=True)
class ListingKey:
    """One listing: its path, the key of its items in each page, and its filters."""

    path: str
    items: str
    filters: tuple[tuple[str, str], ...] = ()
    # Whether absence from the complete listing proves an object gone (a state read within its data source).
    absence_is_gone: bool = True


@dataclass
class _Listing:
    started: float
    found: dict[str, dict[str, Any]] = field(default_factory=dict)
    served: set[str] = field(default_factory=set)
    cursor: str | None = None
    complete: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def restart(self, now: float) -> None:
        self.started, self.cursor, self.complete = now, None, False
        self.found.clear()
        self.served.clear()


class ListedReads:
    """The listings of one account in this process, and the count that keeps them paying for themselves."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._listings: dict[ListingKey, _Listing] = {}
        self.pages = 0
        self.answered = 0  # reads answered by the pages, without a request of their own

    def read(self, uuid: str, key: ListingKey, fetch_page: Callable[[dict[str, Any]], Page],
             get_one: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The object ``uuid`` from ``key``'s listing when the rules above allow, else ``get_one()``."""
        listing = self._listing(key, uuid)
        if listing is None:
            return get_one()
        listed_again = False
        with listing.lock:
            while True:
                if uuid in listing.served:
                    break  # another thread started the listing again meanwhile: ask on its own
                if uuid in listing.found:
                    listing.served.add(uuid)
                    self._count_answered()
                    return listing.found[uuid]
                if listing.complete:
                    if key.absence_is_gone:
                        listing.served.add(uuid)
                        self._count_answered()
                        raise NotFoundError(f"{key.path} {uuid} is not in the complete listing of {key.path}"
                                            f"{dict(key.filters) or ''}: it is gone", status=404)
                    if listed_again:
                        break
                    # Only the program's word says it exists: it may be newer than the listing. List again, once.
                    listing.restart(self._clock())
                    listed_again = True
                if not self._may_fetch():
                    break
                params: dict[str, Any] = {**dict(key.filters), "per_page": PER_PAGE}
                if listing.cursor:
                    params["cursor"] = listing.cursor
                page = fetch_page(params)
                for item in page.get(key.items, []):
                    listing.found.setdefault(str(item["uuid"]), dict(item))
                listing.cursor = page.get("cursor")
                listing.complete = not page.get("has_more") or not listing.cursor
        return get_one()

    def forget_all(self) -> None:
        """Our own write may change any listing (deleting a data source deletes its plans, deleting a plan changes
        its groups' counts): every listing starts again, without a first GET."""
        now = self._clock()
        with self._lock:
            for key in self._listings:
                self._listings[key] = _Listing(started=now)

    def _listing(self, key: ListingKey, uuid: str) -> _Listing | None:
        """The listing to read ``uuid`` from, or None for the first read of ``key`` (a GET). One that is stale, or
        has already answered for ``uuid`` (asked again: the answer must be fresh), starts again."""
        now = self._clock()
        with self._lock:
            listing = self._listings.get(key)
            if listing is None:
                self._listings[key] = _Listing(started=now)
                return None
            if now - listing.started > FRESH_SECONDS or uuid in listing.served:
                listing = self._listings[key] = _Listing(started=now)
            return listing

    def _may_fetch(self) -> bool:
        with self._lock:
            if self.pages > self.answered:
                return False
            self.pages += 1
            return True

    def _count_answered(self) -> None:
        with self._lock:
            self.answered += 1


# One set of listings per account (endpoint and key digest) for the whole process, shared by every client of it.
_LOCK = threading.Lock()
_BY_ACCOUNT: dict[object, ListedReads] = {}


def listed_reads_for(account: object) -> ListedReads:
    with _LOCK:
        found = _BY_ACCOUNT.get(account)
        if found is None:
            found = _BY_ACCOUNT[account] = ListedReads()
        return found
