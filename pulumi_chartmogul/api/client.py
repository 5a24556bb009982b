"""ChartMogul HTTP client: one ``requests`` session per thread, Basic auth, timeouts, the retry policy, the pace.

The provider host calls into one provider object from up to 20 threads at once, and ``requests.Session`` is not
thread-safe, so each thread lazily gets its own session, with one connection: a thread has one request open at a
time, so the connections of a process are its threads, and never more than ChartMogul's 20 in flight. What the
threads share is the account's pace (``pacing.py``): every request, retries included, waits for its slot.

Every session's adapter retries by the policy of ``retry.py`` (the only place it lives); a POST that fails
ambiguously is left to the resource, which first looks its object up by natural key (``resources/creating.py``).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from .._version import __version__
from .errors import AccountNotAllowedError, NotFoundError, TransportError, error_from_response
from .listed_reads import PER_PAGE, ListingKey, listed_reads_for
from .pacing import pace_for
from .retry import RetryPolicy, never_sent
from .settings import CONFIG_ALLOWED_ACCOUNT_IDS, ENV_ALLOWED_ACCOUNT_IDS, Settings


class ChartMogulClient:
    """Synchronous, thread-safe access to the ChartMogul API root given in ``settings``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._local = threading.local()
        self._timeout = (settings.connect_timeout_seconds, settings.timeout_seconds)
        # Whose verdict the account check shares (one per process): the key only as a digest, since the verdicts
        # outlive the client and must never hold it.
        account = (settings.endpoint, hashlib.sha256(settings.api_key.encode()).hexdigest())
        self._account_scope = (*account, settings.allowed_account_ids)
        self._pace = pace_for(account, settings.requests_per_second)
        self._listed = listed_reads_for(account)

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.auth = (self.settings.api_key, "")
            session.headers["User-Agent"] = f"pulumi-chartmogul/{__version__}"
            session.headers["Accept"] = "application/json"
            session.trust_env = False  # no netrc or proxy surprises: the endpoint is exactly what was configured
            adapter = HTTPAdapter(max_retries=RetryPolicy.for_settings(self.settings, self._pace), pool_maxsize=1)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            self._local.session = session
        return session

    def request(self, method: str, path: str, *, json: Mapping[str, Any] | None = None,
                params: Mapping[str, Any] | None = None) -> Any:
        """One API call (with the policy's retries). Returns the parsed JSON body, or None for 204.

        With ``allowed_account_ids`` set, the first call of the process to this endpoint with this key looks the
        account up first, and every call refuses an account that is not allowed before anything is sent."""
        if self.settings.allowed_account_ids:
            _check_account(self)
        if method != "GET":
            self._listed.forget_all()  # before it is sent: no later read may be answered from an older page
        return self._send(method, path, json=json, params=params)

    def _send(self, method: str, path: str, *, json: Mapping[str, Any] | None = None,
              params: Mapping[str, Any] | None = None) -> Any:
        url = f"{self.settings.endpoint}{path}"
        try:
            with self._pace.in_flight():
                response = self._session().request(method, url, json=json, params=params, timeout=self._timeout)
        except requests.RequestException as exc:
            # Raised from None: the original exception text is ours to vet, so it is redacted and kept as text.
            raise TransportError(
                self.settings.redact(f"{method} {path}: {type(exc).__name__}: {exc}"), never_sent=never_sent(exc)
            ) from None
        if response.status_code >= 400:
            # Redacted before parsing, so no part of the error (message, fields, args) can carry the key.
            body = self.settings.redact(response.content.decode("utf-8", errors="replace"))
            raise error_from_response(response.status_code, body.encode("utf-8"))
        if response.status_code == 204 or not response.content:
            return None
        return response.json()

    # -- the account --------------------------------------------------------------------------------

    def get_account(self) -> dict[str, Any]:
        """``GET /account``: ``id`` (absent in answers of the older API), ``name``, ``currency``, ``time_zone``."""
        return dict(self._send("GET", "/account"))

    # -- data sources -------------------------------------------------------------------------------

    def create_data_source(self, name: str) -> dict[str, Any]:
        return dict(self.request("POST", "/data_sources", json={"name": name}))

    def get_data_source(self, uuid: str) -> dict[str, Any]:
        return dict(self.request("GET", f"/data_sources/{uuid}"))

    def list_data_sources(self, **filters: str) -> list[dict[str, Any]]:
        return list(self.request("GET", "/data_sources", params=filters)["data_sources"])

    def delete_data_source(self, uuid: str) -> None:
        self.request("DELETE", f"/data_sources/{uuid}")

    # -- plans --------------------------------------------------------------------------------------

    def create_plan(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        return dict(self.request("POST", "/plans", json=fields))

    def get_plan(self, uuid: str) -> dict[str, Any]:
        return dict(self.request("GET", f"/plans/{uuid}"))

    def read_plan_via_listing(self, uuid: str, data_source_uuid: str | None = None) -> dict[str, Any]:
        """A plan for a read, answered from a listing page when that pays, else by ``get_plan`` (``listed_reads.py``):
        the listing of ``data_source_uuid`` (a plan in the stack's state: its source is known) or, for an import or
        ``.get``, of the source of the last plan read that way. Gone only when its own GET says 404."""
        if data_source_uuid:
            return self._listed.read(uuid, _plans_of(data_source_uuid), self._page("/plans"),
                                     lambda: self.get_plan(uuid))
        return self._listed.read_guessing(uuid, _plans_of, "data_source_uuid", self._page("/plans"),
                                          lambda: self.get_plan(uuid))

    def update_plan(self, uuid: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        # The API answers 202 with the full, updated plan (https://dev.chartmogul.com/reference/plans/update).
        return dict(self.request("PATCH", f"/plans/{uuid}", json=fields))

    def delete_plan(self, uuid: str) -> None:
        self.request("DELETE", f"/plans/{uuid}")

    def list_plans(self, **filters: str) -> Iterator[dict[str, Any]]:
        """Every plan matching ``filters``, following the cursor page by page."""
        return self.list_all("/plans", "plans", filters)

    # -- plan groups --------------------------------------------------------------------------------

    def create_plan_group(self, name: str, plans: list[str]) -> dict[str, Any]:
        # The API answers 200 (not 201) with {"name", "uuid", "plans_count"}: no plan list.
        return dict(self.request("POST", "/plan_groups", json={"name": name, "plans": plans}))

    def get_plan_group(self, uuid: str) -> dict[str, Any]:
        return dict(self.request("GET", f"/plan_groups/{uuid}"))

    def update_plan_group(self, uuid: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """PATCH ``name`` and/or ``plans``; ``plans`` replaces the whole membership."""
        return dict(self.request("PATCH", f"/plan_groups/{uuid}", json=fields))

    def delete_plan_group(self, uuid: str) -> None:
        self.request("DELETE", f"/plan_groups/{uuid}")

    def list_plan_groups(self) -> Iterator[dict[str, Any]]:
        return self.list_all("/plan_groups", "plan_groups")

    def list_plan_group_plans(self, uuid: str) -> Iterator[dict[str, Any]]:
        """Every plan in the group, all pages."""
        return self.list_all(f"/plan_groups/{uuid}/plans", "plans")

    def _page(self, path: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
        return lambda params: dict(self.request("GET", path, params=params))

    def list_all(self, path: str, key: str, filters: Mapping[str, str] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a cursor-paginated listing. Stops on ``has_more: false``: the real API's last page still
        carries a cursor (docs/emulator.md, pagination)."""
        params: dict[str, Any] = {**(filters or {}), "per_page": PER_PAGE}
        while True:
            page = self.request("GET", path, params=params)
            yield from page.get(key, [])
            if not page.get("has_more") or not page.get("cursor"):
                return
            params["cursor"] = page["cursor"]

    # -- customers ----------------------------------------------------------------------------------

    def customers_in(self, data_source_uuid: str) -> int | None:
        """How many customers the data source holds, from one request for a one-entry first page: its
        ``total_pages`` is the count. 0 when it is empty; None when it is not but the page has no count."""
        page = self.request("GET", "/customers", params={"data_source_uuid": data_source_uuid, "per_page": 1})
        if not page.get("entries"):
            return 0
        total = page.get("total_pages")
        return total if isinstance(total, int) and total > 0 else None


def _plans_of(data_source_uuid: str) -> ListingKey:
    return ListingKey("/plans", "plans", (("data_source_uuid", data_source_uuid),))


# One account lookup per provider process for each endpoint, key and allow-list: the host serves several calls at
# once and a provider per resource type, and a refusal must hold for every later call without asking again.
_ACCOUNT_LOCK = threading.Lock()
_ACCOUNT_VERDICTS: dict[tuple[str, str, tuple[str, ...]], str | None] = {}


def forget_account_verdicts() -> None:
    """Every account check's verdict, gone (``process_caches.py``): the next call asks ``GET /account`` again."""
    with _ACCOUNT_LOCK:
        _ACCOUNT_VERDICTS.clear()


def _check_account(client: ChartMogulClient) -> None:
    """Raise :class:`AccountNotAllowedError` unless the client's account is one of ``allowed_account_ids``."""
    settings, scope = client.settings, client._account_scope
    with _ACCOUNT_LOCK:
        if scope not in _ACCOUNT_VERDICTS:
            try:
                account = client.get_account()
            except NotFoundError:
                # Never let it out as a 404: to a read, "not found" means the object is gone.
                account = {"name": f"no account at {settings.endpoint}/account"}
            _ACCOUNT_VERDICTS[scope] = account_problem(account, settings)  # not cached when the lookup raised
        problem = _ACCOUNT_VERDICTS[scope]
    if problem is not None:
        raise AccountNotAllowedError(problem)


def account_problem(account: Mapping[str, Any], settings: Settings) -> str | None:
    """Why ``account`` may not be worked on under ``settings.allowed_account_ids``, or None when it may."""
    allowed = ", ".join(settings.allowed_account_ids)
    name = account.get("name")
    account_id = account.get("id")
    if not isinstance(account_id, str) or not account_id:
        return (f"{CONFIG_ALLOWED_ACCOUNT_IDS} allows only {allowed}, but the account at {settings.endpoint} "
                f"({name!r}) answered GET /account without an id (an older API), so it cannot be told apart from "
                f"another account. Nothing was sent to it but that lookup. Remove {CONFIG_ALLOWED_ACCOUNT_IDS} "
                f"(and {ENV_ALLOWED_ACCOUNT_IDS}) to work with it unpinned.")
    if account_id in settings.allowed_account_ids:
        return None
    return (f"refusing to work on the ChartMogul account {account_id} ({name!r}) at {settings.endpoint}: "
            f"{CONFIG_ALLOWED_ACCOUNT_IDS} allows only {allowed}. This stack's API key or endpoint belongs to another "
            "account; nothing was sent to it but the account lookup, and nothing was changed.")
