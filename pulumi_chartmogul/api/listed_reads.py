"""Reads of many plans served by listing pages instead of one GET each, never costing more than the GETs would.

A refresh (or an import) of N plans asks for N objects, one ``Read`` at a time. ChartMogul lists 200 of them per
request, so the plans of a data source are listed page by page, once per process, and every ``Read`` of that
source is answered from the pages. (Data sources and plan groups are read one GET each: a stack holds few of them,
and the API lists groups without their plans, which a group's read needs anyway.)

Nothing tells a provider how many reads will follow, so listing is a bet, and the rules below make sure it never
costs more than one request above one GET per object read, whatever the program reads (one plan of a 5,000-plan
source costs one GET, never 25 pages). No rule can promise "never more than one GET each" exactly without knowing
the reads to come: any page fetched before its reads arrive may turn out to answer none of them.

- The first read in each listing is a plain GET: a program that reads one object pays exactly that. A plan in the
  stack's state names its data source; an import or ``.get`` names only the plan, so its first read is a GET,
  whose answer names the source, and the next such read looks in that source's listing first.
- A later read that its listing has not yet answered fetches the listing's next page only while the pages fetched
  so far (in this process, for this account) have answered at least as many reads as there are pages; otherwise,
  or once the listing has run out, it is a plain GET. So pages never exceed the reads they answered, plus one.
- Absence from a listing never drops an object by itself: a listing can miss an object that exists (a page shifted
  under concurrent writes, a filter the API applies otherwise than we think), and a refresh that believed it would
  silently lose the object from the stack. An object absent from a complete listing is asked for by uuid, and only
  that GET's 404 says it is gone. That GET is the read's own request, so the bound below holds as it is: one request
  above one GET per read, whatever vanished.
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

PER_PAGE = 200
FRESH_SECONDS = 30.0
LEARNING_WAIT_SECONDS = 10.0  # at most this long behind another read's GET; then a read asks for itself

Page = Mapping[str, Any]


@dataclass(frozen=True)
class ListingKey:
    """One listing: its path, the key of its items in each page, and its filters."""

    path: str
    items: str
    filters: tuple[tuple[str, str], ...] = ()


@dataclass
class _Listing:
    started: float
    found: dict[str, dict[str, Any]] = field(default_factory=dict)
    served: set[str] = field(default_factory=set)
    cursor: str | None = None
    complete: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


class ListedReads:
    """The listings of one account in this process, and the count that keeps them paying for themselves."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._listings: dict[ListingKey, _Listing] = {}
        self.pages = 0
        self.answered = 0  # reads answered by the pages, without a request of their own
        self._last_group: str | None = None
        self._learning: threading.Event | None = None  # set when the read asking by uuid to learn a group is done

    def read(self, uuid: str, key: ListingKey, fetch_page: Callable[[dict[str, Any]], Page],
             get_one: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The object ``uuid``, which belongs to ``key``'s listing, from that listing when the rules above allow,
        else ``get_one()`` (which raises :class:`~.errors.NotFoundError` when it is gone)."""
        listing = self._listing(key, uuid, first_is_get=True)
        found = None if listing is None else self._from_listing(uuid, key, listing, fetch_page)
        return found if found is not None else get_one()

    def read_guessing(self, uuid: str, key_for: Callable[[str], ListingKey], group_field: str,
                      fetch_page: Callable[[dict[str, Any]], Page],
                      get_one: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The object ``uuid`` when only its uuid is known (an import, a ``.get``): from a listing when one holds it,
        else by ``get_one()``, whose answer names the group (``group_field``, a plan's data source) to list for the
        next one. Imports arrive in the program's order, a data source's plans together, so the guess is right but
        at each change of source."""
        found = self._from_known_listings(uuid, key_for, fetch_page)
        if found is not None:
            return found
        learning = self._start_learning()
        if learning is None:
            # Another read is asking by uuid after a miss (the program moved on to the next source): its answer
            # names the source this one is likely in too, so wait for it rather than ask alongside it.
            self._wait_for_learning()
            found = self._from_known_listings(uuid, key_for, fetch_page)
            if found is not None:
                return found
        try:
            return self._get_and_learn(get_one, group_field)
        finally:
            if learning is not None:
                self._end_learning(learning)

    def _from_known_listings(self, uuid: str, key_for: Callable[[str], ListingKey],
                             fetch_page: Callable[[dict[str, Any]], Page]) -> dict[str, Any] | None:
        """``uuid`` from a fresh listing that already holds it, else from the listing of the last group learned (its
        next pages fetched while they pay); None when neither can say."""
        listed = self._in_any_listing(uuid)
        if listed is not None or self._last_group is None:
            return listed
        key = key_for(self._last_group)
        listing = self._listing(key, uuid, first_is_get=False)
        return None if listing is None else self._from_listing(uuid, key, listing, fetch_page)

    def _start_learning(self) -> threading.Event | None:
        """This read's event when it is the one to ask by uuid and learn the next group; None when another is."""
        with self._lock:
            if self._learning is not None:
                return None
            self._learning = threading.Event()
            return self._learning

    def _wait_for_learning(self) -> None:
        with self._lock:
            other = self._learning
        if other is not None:
            other.wait(LEARNING_WAIT_SECONDS)

    def _end_learning(self, learning: threading.Event) -> None:
        with self._lock:
            self._learning = None
        learning.set()

    def _get_and_learn(self, get_one: Callable[[], dict[str, Any]], group_field: str) -> dict[str, Any]:
        answer = get_one()
        if isinstance(answer.get(group_field), str):
            self._last_group = answer[group_field]
        return answer

    def _in_any_listing(self, uuid: str) -> dict[str, Any] | None:
        """``uuid`` from whichever fresh listing already holds it (the engine runs several sources' imports at once,
        so the last source learned is not always the right one); None when none does."""
        now = self._clock()
        with self._lock:
            listings = [listing for listing in self._listings.values() if now - listing.started <= FRESH_SECONDS]
        for listing in listings:
            with listing.lock:
                if uuid in listing.found and uuid not in listing.served:
                    listing.served.add(uuid)
                    self._count_answered()
                    return listing.found[uuid]
        return None

    def _from_listing(self, uuid: str, key: ListingKey, listing: _Listing,
                      fetch_page: Callable[[dict[str, Any]], Page]) -> dict[str, Any] | None:
        """``uuid`` from the listing, fetching its next pages while they pay; None when it cannot say, which includes
        an object absent from the complete listing (asked for by uuid: absence is a hint, never proof)."""
        with listing.lock:
            while True:
                if uuid in listing.served:
                    return None  # this listing already answered for it once: a second read asks on its own
                if uuid in listing.found:
                    listing.served.add(uuid)
                    self._count_answered()
                    return listing.found[uuid]
                if listing.complete or not self._may_fetch():
                    return None
                self._fetch_next_page(key, listing, fetch_page)

    @staticmethod
    def _fetch_next_page(key: ListingKey, listing: _Listing, fetch_page: Callable[[dict[str, Any]], Page]) -> None:
        params: dict[str, Any] = {**dict(key.filters), "per_page": PER_PAGE}
        if listing.cursor:
            params["cursor"] = listing.cursor
        page = fetch_page(params)
        for item in page.get(key.items, []):
            listing.found.setdefault(str(item["uuid"]), dict(item))
        listing.cursor = page.get("cursor")
        listing.complete = not page.get("has_more") or not listing.cursor

    def forget_all(self) -> None:
        """Our own write may change any listing (deleting a data source deletes its plans, deleting a plan changes
        its groups' counts): every listing starts again, without a first GET."""
        now = self._clock()
        with self._lock:
            for key in self._listings:
                self._listings[key] = _Listing(started=now)

    def _listing(self, key: ListingKey, uuid: str, *, first_is_get: bool) -> _Listing | None:
        """The listing to read ``uuid`` from, or None for the first read of ``key`` when that is a GET. One that is
        stale, or has already answered for ``uuid`` (asked again: the answer must be fresh), starts again."""
        now = self._clock()
        with self._lock:
            listing = self._listings.get(key)
            if listing is None:
                listing = self._listings[key] = _Listing(started=now)
                return None if first_is_get else listing
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


def forget_accounts() -> None:
    """Every account's listings, gone (``process_caches.py``)."""
    with _LOCK:
        _BY_ACCOUNT.clear()
