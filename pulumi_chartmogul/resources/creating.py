"""Creating an object exactly once, and taking over one that exists: the rules every resource's ``create`` follows.

A create is *ambiguous* when its POST may have reached the server but no answer came back (``api/errors.py``,
:func:`~pulumi_chartmogul.api.errors.may_have_landed`): a read timeout or a reset after sending, or a 5xx other than
503. Then the object is looked up by its natural key (:class:`NaturalKey`: a data source's name, a plan's data source
and external id, a group's name) before anything is sent again, and only if it is not there is the POST repeated, at
most ``Settings.create_resends`` times.

- An "already exists" after an ambiguous attempt is our own earlier POST, found again, unless ``could_be_ours`` proves
  the found object older than this create or different from what it sent: then it was there before (made by hand,
  say), and the create fails as if the first POST had been answered, so it is never taken over without ``adopt``.
- A key the server does not keep unique (a plan group's name) is never re-sent after a POST that got no answer at
  all: that POST may still be running, a lookup that misses it proves nothing, and a second POST would make a second
  object. The lookup is repeated for ``settle_seconds`` instead; then the create fails as an
  :class:`OutcomeUnknownError`. (A 5xx answer means the server finished with the request: a lookup after it is
  conclusive, and the POST may be re-sent.)
- When it gives up after an ambiguous attempt (the lookup itself failed, or the re-sends ran out) the object may
  exist untracked (a lost POST can still land after the lookup), so the error says so, and how the next run finds it.

Adoption (:func:`create_or_adopt`): with ``adopt`` the key is looked up first (one request when the object exists,
no POST), and a key found taken is taken over; without it a taken key fails the create with the existing uuid and
the ``adopt=True`` way out. A key the server does not keep unique is always looked up first, since no POST would
be refused.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..api.errors import (
    AlreadyExistsError,
    ChartMogulError,
    OutcomeUnknownError,
    ServerError,
    TransportError,
    may_have_landed,
)
from ..api.settings import MAX_CREATE_RESENDS, RESEND_DELAYS_SECONDS

Found = dict[str, Any]
SETTLE_POLL_SECONDS = 0.25


@dataclass(frozen=True)
class NaturalKey:
    """What identifies the object a create makes, besides the uuid it does not have yet, and how to find it."""

    param: str  # the input that makes the key ("name", "external_id"), named in errors
    what: str  # the object, for messages: "the plan group named 'Core'"
    taken: str  # the key found taken, for messages: "a plan group named 'Core' already exists"
    find_all: Callable[[], list[Found]]  # every object with this key
    unique_on_server: bool = True  # the API refuses a second object with this key
    several: str = "objects match"  # "3 <several>" when several objects have the key: "plan groups are named 'Core'"

    def find(self) -> Found | None:
        """The object with this key, or None; several are an error (only a key the server keeps unique is proof)."""
        found = self.find_all()
        if len(found) > 1:
            raise ChartMogulError(f"{len(found)} {self.several} ({_uuids(found)})")
        return found[0] if found else None


@dataclass(frozen=True)
class Create:
    """One create: its POST, the key that finds what it made, and how sure a found object is to be its own."""

    post: Callable[[], Found]
    key: NaturalKey
    could_be_ours: Callable[[Found], bool] = lambda _found: True
    max_resends: int = MAX_CREATE_RESENDS  # the provider passes Settings.create_resends, the one place it is capped
    settle_seconds: float = 0.0  # for keys the server does not keep unique: how long an unanswered POST is waited for
    resend_delays: tuple[float, ...] = field(default=RESEND_DELAYS_SECONDS)


def create_without_duplicates(create: Create) -> tuple[Found, bool]:
    """POST once; if the answer is lost, look the object up before anything is sent again (the module's rules).

    Returns the object and whether it was found rather than created by the final POST."""
    ambiguity: ChartMogulError | None = None
    for attempt in range(1 + create.max_resends):
        if attempt:
            time.sleep(create.resend_delays[min(attempt, len(create.resend_delays)) - 1])
        try:
            answer = _send(create)
        except AlreadyExistsError as refusal:
            if ambiguity is None:
                raise  # the first POST was answered: the key was taken before this create
            return _found_after_refusal(create, ambiguity, refusal), True
        if not isinstance(answer, ChartMogulError):
            return answer, False
        ambiguity = answer
        found = _look_up(create, ambiguity)
        if found is not None:
            return _ours(create, found), True
        if _may_still_be_running(create, ambiguity):
            raise _outcome_unknown(create.key, ambiguity, "and it was not sent again: the server accepts a second "
                                   "one, and the first may still take effect")
    assert ambiguity is not None
    raise _outcome_unknown(create.key, ambiguity, f"and after {1 + create.max_resends} attempts, each re-sent only "
                           "once a lookup had not found it, the last one may still take effect")


def _send(create: Create) -> Found | ChartMogulError:
    """The POST's answer, or the error of a POST that may have landed; any other error is raised as it is."""
    try:
        return create.post()
    except (TransportError, ServerError) as exc:
        if may_have_landed(exc):
            return exc
        raise


def _may_still_be_running(create: Create, ambiguity: ChartMogulError) -> bool:
    """An unanswered POST of a key the server does not keep unique: re-sending it could make a second object."""
    return not create.key.unique_on_server and isinstance(ambiguity, TransportError)


def _look_up(create: Create, ambiguity: ChartMogulError) -> Found | None:
    """The key's object after an ambiguous POST; for a POST that may still be running, waited for ``settle_seconds``."""
    if not _may_still_be_running(create, ambiguity) or create.settle_seconds <= 0:
        return _find(create.key, ambiguity)
    deadline = time.monotonic() + create.settle_seconds
    while (found := _find(create.key, ambiguity)) is None and time.monotonic() < deadline:
        time.sleep(SETTLE_POLL_SECONDS)
    return found


def _find(key: NaturalKey, ambiguity: ChartMogulError) -> Found | None:
    try:
        return key.find()
    except ChartMogulError as exc:
        detail = f"and looking it up failed too ({exc}), so it was not sent again"
        raise _outcome_unknown(key, ambiguity, detail) from None


def _found_after_refusal(create: Create, ambiguity: ChartMogulError, refusal: AlreadyExistsError) -> Found:
    """After an ambiguous POST, a re-send refused as "already exists": the earlier POST landed, if the key finds it."""
    found = _look_up(create, ambiguity)
    if found is None:
        raise refusal
    return _ours(create, found)


def _ours(create: Create, found: Found) -> Found:
    if not create.could_be_ours(found):
        raise AlreadyExistsError(f"{create.key.what} already existed before this create (uuid {found.get('uuid')})",
                                 status=422)
    return found


def _outcome_unknown(key: NaturalKey, ambiguity: ChartMogulError, detail: str) -> OutcomeUnknownError:
    return OutcomeUnknownError(
        f"{key.what[:1].upper()}{key.what[1:]} may have been created: the last attempt failed without saying whether "
        f"it took effect ({ambiguity}), {detail}. It may now exist in ChartMogul without being tracked by Pulumi. "
        "Once ChartMogul answers, run `pulumi up` again: it creates the object if it is missing, or reports that "
        "it already exists, and then adopt=True on this resource takes it over.",
        status=ambiguity.status,
    )


def create_or_adopt(create: Create, *, adopt: bool, resource: str) -> tuple[Found, bool]:
    """Create without duplicates; when the key is taken, take the one existing object over if ``adopt``, else fail
    naming it. Returns the object and whether it was found rather than created. ``resource`` names the resource type
    in the error's way out ("Set adopt=True on this Plan")."""
    if adopt or not create.key.unique_on_server:
        existing = create.key.find_all()
        if existing:
            return _adoptable(existing, create.key, adopt, resource), True
    try:
        return create_without_duplicates(create)
    except AlreadyExistsError:
        existing = create.key.find_all()
        if not existing:
            raise
        return _adoptable(existing, create.key, adopt, resource), True


def _adoptable(existing: list[Found], key: NaturalKey, adopt: bool, resource: str) -> Found:
    """The one existing object with the key, when the create may take it over; else why not."""
    if not adopt:
        raise AlreadyExistsError(
            f"{key.taken} (uuid {_uuids(existing)}). Set adopt=True on this {resource} to manage the existing one "
            f"(or CHARTMOGUL_ADOPT_EXISTING=true for one run), or choose another {key.param}.",
            status=422, param=key.param) from None
    if len(existing) > 1:
        raise AlreadyExistsError(
            f"{len(existing)} {key.several} (uuids {_uuids(existing)}), so adopt=True cannot tell which one to "
            f"manage. Delete or rename all but one in ChartMogul, or choose another {key.param}.",
            status=422, param=key.param)
    return existing[0]


def _uuids(objects: list[Found]) -> str:
    return ", ".join(str(found.get("uuid")) for found in objects)
