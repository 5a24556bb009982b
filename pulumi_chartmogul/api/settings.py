"""Where the API key, endpoint, timeout, retry budget and allowed accounts come from, and the one redaction helper.

Read inside the provider host by ``configure()``: stack config (``chartmogul:*``) first, then the environment.
The key is held only by :class:`Settings`, which never prints it.
"""

from __future__ import annotations

import ipaddress
import json
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .errors import ConfigurationError

DEFAULT_ENDPOINT = "https://api.chartmogul.com/v1"
DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_MAX_RETRIES = 6
# ChartMogul's limits per account: 40 requests per second (then 429) and 20 in flight (then 503). The pace stays just
# under the rate, so that clock jitter between us and the API's sliding second never costs a 429.
DEFAULT_REQUESTS_PER_SECOND = 38.0
MAX_IN_FLIGHT = 20
REDACTED = "[redacted]"
# The whole retry story's numbers (the mechanisms: client.RetryPolicy per request, resources/_base.py's
# create_without_duplicates for a create whose answer was lost).
CONNECT_TIMEOUT_CAP_SECONDS = 10.0
MAX_CREATE_RESENDS = 3  # a lost create is re-sent, after a lookup, at most min(maxRetries, this) times
RESEND_DELAYS_SECONDS = (0.25, 0.5, 1.0)  # before the 1st, 2nd and 3rd re-send

CONFIG_API_KEY = "chartmogul:apiKey"
CONFIG_ENDPOINT = "chartmogul:endpoint"
CONFIG_TIMEOUT = "chartmogul:timeoutSeconds"
CONFIG_MAX_RETRIES = "chartmogul:maxRetries"
CONFIG_ADOPT_EXISTING = "chartmogul:adoptExisting"
CONFIG_ALLOWED_ACCOUNT_IDS = "chartmogul:allowedAccountIds"
CONFIG_REQUESTS_PER_SECOND = "chartmogul:requestsPerSecond"
ENV_API_KEY = "CHARTMOGUL_API_KEY"
ENV_ENDPOINT = "CHARTMOGUL_ENDPOINT"
ENV_ADOPT_EXISTING = "CHARTMOGUL_ADOPT_EXISTING"
ENV_ALLOWED_ACCOUNT_IDS = "CHARTMOGUL_ALLOWED_ACCOUNT_IDS"
ENV_REQUESTS_PER_SECOND = "CHARTMOGUL_REQUESTS_PER_SECOND"
_TRUE = ("true", "1", "yes")
_FALSE = ("false", "0", "no", "")



@dataclass(frozen=True)
class ConfigKey:
    """One provider setting, as the native plugin's schema declares it (its rules are load_settings')."""

    key: str  # the full stack config key, chartmogul:<name>
    json_type: str  # "string", "number", "integer", "boolean", or "array" of strings
    description: str
    secret: bool = False

    @property
    def name(self) -> str:
        return self.key.split(":", 1)[1]


PROVIDER_CONFIG = (
    ConfigKey(CONFIG_API_KEY, "string", "The ChartMogul API key (a secret). Falls back to CHARTMOGUL_API_KEY.",
              secret=True),
    ConfigKey(CONFIG_ENDPOINT, "string", "The API root, https:// (plain http:// only to this machine, for the local "
              f"emulator). Falls back to CHARTMOGUL_ENDPOINT, then {DEFAULT_ENDPOINT}."),
    ConfigKey(CONFIG_TIMEOUT, "number", f"The read timeout of each request, in seconds (default "
              f"{DEFAULT_TIMEOUT_SECONDS:g}, at least 0.1)."),
    ConfigKey(CONFIG_MAX_RETRIES, "integer", f"How many times a request that is safe to retry is retried (default "
              f"{DEFAULT_MAX_RETRIES})."),
    ConfigKey(CONFIG_REQUESTS_PER_SECOND, "number", "The pace of the provider's requests to the account, all calls "
              f"together (default {DEFAULT_REQUESTS_PER_SECOND:g}; ChartMogul allows 40). Falls back to "
              "CHARTMOGUL_REQUESTS_PER_SECOND."),
    ConfigKey(CONFIG_ALLOWED_ACCOUNT_IDS, "array", "The ChartMogul account ids this stack may work on; every "
              "operation on another account is refused. Falls back to CHARTMOGUL_ALLOWED_ACCOUNT_IDS "
              "(comma-separated)."),
    ConfigKey(CONFIG_ADOPT_EXISTING, "boolean", "Every create of the run takes over an existing object with the same "
              "natural key instead of failing. Also CHARTMOGUL_ADOPT_EXISTING."),
)

MISSING_KEY_MESSAGE = (
    "No ChartMogul API key is configured. Set it with `pulumi config set --secret chartmogul:apiKey <key>` "
    f"or in the {ENV_API_KEY} environment variable."
)


@dataclass(frozen=True)
class Settings:
    api_key: str = field(repr=False)
    endpoint: str = DEFAULT_ENDPOINT
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    max_retries: int = DEFAULT_MAX_RETRIES
    # Every create behaves as adopt=True: the one-run switch for recovering an interrupted deployment, or for a
    # first `up` against an account that already holds the catalog.
    adopt_existing: bool = False
    # The accounts this provider may work on (chartmogul:allowedAccountIds); empty: any, and no account lookup.
    allowed_account_ids: tuple[str, ...] = ()
    # The pace of this process's requests to the account, all threads together (api/pacing.py).
    requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND

    def redact(self, text: str) -> str:
        """``text`` with the key removed; for anything that may be shown, logged or raised."""
        return redact(text, self.api_key)

    @property
    def retry_budget_seconds(self) -> float:
        """Total time one call may spend retrying: enough for the backoff schedule, never unbounded."""
        return max(30.0, 4 * self.timeout_seconds)

    @property
    def connect_timeout_seconds(self) -> float:
        return min(CONNECT_TIMEOUT_CAP_SECONDS, self.timeout_seconds)

    @property
    def call_time_bound_seconds(self) -> float:
        """The longest one client call can take: its first attempt, the retry budget (which starts at the first
        failure and caps every wait, ``Retry-After`` included), and one attempt started as the budget ran out."""
        attempt = self.connect_timeout_seconds + self.timeout_seconds
        return 2 * attempt + self.retry_budget_seconds

    @property
    def create_resends(self) -> int:
        return min(self.max_retries, MAX_CREATE_RESENDS)

    @property
    def create_time_bound_seconds(self) -> float:
        """The longest one create can take: every POST and the lookup after it at their worst, plus the waits
        between re-sends. With the defaults (30 s timeout, 6 retries): 4 * 2 * 200 s + 1.75 s, about 27 minutes."""
        posts = 1 + self.create_resends
        return posts * 2 * self.call_time_bound_seconds + sum(RESEND_DELAYS_SECONDS[:self.create_resends])


def redact(text: str, secret: str | None) -> str:
    if not secret:
        return text
    return text.replace(secret, REDACTED)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def validate_endpoint(endpoint: str) -> str:
    """The API root without a trailing slash; plain http is allowed only to this machine."""
    parts = urlsplit(endpoint.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ConfigurationError(
            f"chartmogul:endpoint must be an absolute https:// URL such as {DEFAULT_ENDPOINT}, got {endpoint!r}"
        )
    if parts.username or parts.password:
        raise ConfigurationError("chartmogul:endpoint must not contain credentials; set chartmogul:apiKey instead")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigurationError(
            f"chartmogul:endpoint {endpoint!r} uses plain http to a non-loopback host; the API key would travel "
            "unencrypted. Use https://, or http:// only to 127.0.0.1, ::1 or localhost (the local emulator)."
        )
    return endpoint.strip().rstrip("/")


def _number(name: str, raw: str, convert: Callable[[str], float | int], minimum: float) -> float | int:
    try:
        value = convert(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a number, got {raw!r}") from None
    if not math.isfinite(value):
        raise ConfigurationError(f"{name} must be a finite number, got {raw!r}")
    if value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, got {raw!r}")
    return value


def _flag(name: str, raw: str | None) -> bool:
    value = (raw or "").strip().lower()
    if value not in _TRUE + _FALSE:
        raise ConfigurationError(f"{name} must be true or false, got {raw!r}")
    return value in _TRUE


def _account_ids(raw_config: str | None, raw_environ: str | None) -> tuple[str, ...]:
    """``chartmogul:allowedAccountIds`` (a list, which the engine hands over as JSON), else the comma-separated
    ``CHARTMOGUL_ALLOWED_ACCOUNT_IDS``; () when neither is set."""
    example = f'e.g. `pulumi config set --path "{CONFIG_ALLOWED_ACCOUNT_IDS}[0]" acct_...`'
    if raw_config:
        try:
            value = json.loads(raw_config)
        except ValueError:
            value = raw_config
        if not isinstance(value, list):
            raise ConfigurationError(f"{CONFIG_ALLOWED_ACCOUNT_IDS} must be a list of ChartMogul account ids "
                                     f"({example}), got {raw_config!r}")
        where, ids = CONFIG_ALLOWED_ACCOUNT_IDS, value
    elif raw_environ is not None and raw_environ.strip():
        where, ids = ENV_ALLOWED_ACCOUNT_IDS, [part.strip() for part in raw_environ.split(",")]
    else:
        return ()
    if not ids:
        raise ConfigurationError(f"{where} is an empty list, which would refuse every account; remove it to allow "
                                 f"any account, or name the allowed ones ({example})")
    for index, account_id in enumerate(ids):
        if not isinstance(account_id, str) or not account_id.strip():
            raise ConfigurationError(f"{where}[{index}] must be a non-empty string (an account id such as "
                                     f"acct_...), got {account_id!r}")
    return tuple(account_id.strip() for account_id in ids)


def load_settings(config: Callable[[str], str | None], environ: Mapping[str, str] = os.environ) -> Settings:
    """Settings from stack config (``config("chartmogul:apiKey")`` …), falling back to the environment."""
    api_key = config(CONFIG_API_KEY) or environ.get(ENV_API_KEY) or ""
    if not api_key.strip():
        raise ConfigurationError(MISSING_KEY_MESSAGE)
    if not api_key.strip().isascii() or not api_key.strip().isprintable():
        # HTTP Basic sends the key as a header; say so here, never with the key in the message.
        raise ConfigurationError(
            f"the API key ({CONFIG_API_KEY} or {ENV_API_KEY}) contains characters an API key cannot have "
            "(only printable ASCII); check that it was copied whole and without quotes or line breaks"
        )
    endpoint = validate_endpoint(config(CONFIG_ENDPOINT) or environ.get(ENV_ENDPOINT) or DEFAULT_ENDPOINT)
    raw_timeout = config(CONFIG_TIMEOUT)
    raw_retries = config(CONFIG_MAX_RETRIES)
    timeout = _number(CONFIG_TIMEOUT, raw_timeout, float, 0.1) if raw_timeout else DEFAULT_TIMEOUT_SECONDS
    retries = _number(CONFIG_MAX_RETRIES, raw_retries, int, 0) if raw_retries else DEFAULT_MAX_RETRIES
    # Either place can switch adoption on for a run; neither can veto the other.
    adopt_existing = _flag(CONFIG_ADOPT_EXISTING, config(CONFIG_ADOPT_EXISTING)) or _flag(
        ENV_ADOPT_EXISTING, environ.get(ENV_ADOPT_EXISTING))
    allowed = _account_ids(config(CONFIG_ALLOWED_ACCOUNT_IDS), environ.get(ENV_ALLOWED_ACCOUNT_IDS))
    return Settings(api_key=api_key.strip(), endpoint=endpoint, timeout_seconds=float(timeout),
                    max_retries=int(retries), adopt_existing=adopt_existing, allowed_account_ids=allowed,
                    requests_per_second=_requests_per_second(config, environ))


def _requests_per_second(config: Callable[[str], str | None], environ: Mapping[str, str]) -> float:
    """``chartmogul:requestsPerSecond``, else ``CHARTMOGUL_REQUESTS_PER_SECOND``, else just under ChartMogul's 40."""
    for name, raw in ((CONFIG_REQUESTS_PER_SECOND, config(CONFIG_REQUESTS_PER_SECOND)),
                      (ENV_REQUESTS_PER_SECOND, environ.get(ENV_REQUESTS_PER_SECOND))):
        if raw is not None and str(raw).strip():
            return float(_number(name, str(raw).strip(), float, 0.1))
    return DEFAULT_REQUESTS_PER_SECOND
