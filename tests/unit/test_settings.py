"""Where the key and endpoint come from, what is refused, and that the key is never printed."""

import pytest

from pulumi_chartmogul.api.errors import ConfigurationError
from pulumi_chartmogul.api.settings import DEFAULT_ENDPOINT, load_settings, redact, validate_endpoint

KEY = "sk-unit-7f3a9c"


def config(values: dict[str, str]):
    return values.get


def test_config_first_then_environment() -> None:
    settings = load_settings(config({"chartmogul:apiKey": KEY}), {"CHARTMOGUL_API_KEY": "from-env"})
    assert settings.api_key == KEY
    assert settings.endpoint == DEFAULT_ENDPOINT
    from_env = load_settings(config({}), {"CHARTMOGUL_API_KEY": "from-env", "CHARTMOGUL_ENDPOINT": "http://127.0.0.1:9/v1/"})
    assert (from_env.api_key, from_env.endpoint) == ("from-env", "http://127.0.0.1:9/v1")


def test_missing_key_names_both_ways_to_set_it() -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings(config({}), {})
    text = str(caught.value)
    assert "chartmogul:apiKey" in text
    assert "CHARTMOGUL_API_KEY" in text


@pytest.mark.parametrize("endpoint", ["http://api.chartmogul.com/v1", "http://10.0.0.5/v1", "ftp://x/v1", "nonsense",
                                      "https://user:pw@api.chartmogul.com/v1"])
def test_refused_endpoints(endpoint: str) -> None:
    with pytest.raises(ConfigurationError):
        validate_endpoint(endpoint)


@pytest.mark.parametrize("endpoint", ["https://api.chartmogul.com/v1", "http://127.0.0.1:8080/v1",
                                      "http://localhost:1/v1", "http://[::1]:1/v1", "http://127.8.9.10/v1"])
def test_accepted_endpoints(endpoint: str) -> None:
    assert validate_endpoint(endpoint) == endpoint


@pytest.mark.parametrize(("key", "value"), [("chartmogul:timeoutSeconds", "zero"), ("chartmogul:timeoutSeconds", "0"),
                                            ("chartmogul:maxRetries", "-1"), ("chartmogul:maxRetries", "2.5"),
                                            ("chartmogul:timeoutSeconds", "inf"), ("chartmogul:timeoutSeconds", "nan")])
def test_bad_numbers_name_the_setting(key: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=key):
        load_settings(config({"chartmogul:apiKey": KEY, key: value}), {})


def test_numbers_are_read() -> None:
    settings = load_settings(config({"chartmogul:apiKey": KEY, "chartmogul:timeoutSeconds": "2.5",
                                     "chartmogul:maxRetries": "0"}), {})
    assert (settings.timeout_seconds, settings.max_retries) == (2.5, 0)


def test_the_key_is_never_in_repr_or_redacted_text() -> None:
    settings = load_settings(config({"chartmogul:apiKey": KEY}), {})
    assert KEY not in repr(settings)
    assert KEY not in settings.redact(f"auth failed for {KEY}!")
    assert redact("nothing secret", None) == "nothing secret"


@pytest.mark.parametrize("bad_key", ["sk\u2019live", "sk live\nsecond line", "sk\x00"])
def test_a_key_no_http_header_can_carry_is_refused_without_showing_it(bad_key: str) -> None:
    with pytest.raises(ConfigurationError, match="chartmogul:apiKey or CHARTMOGUL_API_KEY") as caught:
        load_settings(config({"chartmogul:apiKey": bad_key}), {})
    assert bad_key not in str(caught.value)


def test_surrounding_whitespace_of_a_key_is_dropped() -> None:
    assert load_settings(config({"chartmogul:apiKey": f" {KEY}\n"}), {}).api_key == KEY


@pytest.mark.parametrize(("in_config", "in_env", "expected"), [
    (None, None, False), ("true", None, True), (None, "true", True), ("false", "true", True),
    ("true", "false", True), ("False", "0", False), (None, "1", True), (None, "", False),
])
def test_adopt_existing_is_on_when_either_place_says_so(in_config, in_env, expected) -> None:
    values = {"chartmogul:apiKey": KEY} | ({"chartmogul:adoptExisting": in_config} if in_config else {})
    environ = {} if in_env is None else {"CHARTMOGUL_ADOPT_EXISTING": in_env}
    assert load_settings(config(values), environ).adopt_existing is expected


def test_adopt_existing_that_is_not_a_boolean_names_the_setting() -> None:
    with pytest.raises(ConfigurationError, match="CHARTMOGUL_ADOPT_EXISTING must be true or false, got 'sure'"):
        load_settings(config({"chartmogul:apiKey": KEY}), {"CHARTMOGUL_ADOPT_EXISTING": "sure"})
    with pytest.raises(ConfigurationError, match="chartmogul:adoptExisting must be true or false"):
        load_settings(config({"chartmogul:apiKey": KEY, "chartmogul:adoptExisting": "maybe"}), {})


ALLOWED = "chartmogul:allowedAccountIds"
ENV_ALLOWED = "CHARTMOGUL_ALLOWED_ACCOUNT_IDS"


def test_allowed_accounts_come_from_config_as_a_list_else_from_the_environment() -> None:
    pinned = load_settings(config({"chartmogul:apiKey": KEY, ALLOWED: '["acct_a", " acct_b "]'}),
                           {ENV_ALLOWED: "acct_env"})
    assert pinned.allowed_account_ids == ("acct_a", "acct_b")  # config wins, ids trimmed
    from_env = load_settings(config({"chartmogul:apiKey": KEY}), {ENV_ALLOWED: "acct_a, acct_b"})
    assert from_env.allowed_account_ids == ("acct_a", "acct_b")
    assert load_settings(config({"chartmogul:apiKey": KEY}), {ENV_ALLOWED: "  "}).allowed_account_ids == ()
    assert load_settings(config({"chartmogul:apiKey": KEY}), {}).allowed_account_ids == ()


@pytest.mark.parametrize(("in_config", "in_env", "expected"), [
    ("acct_a", None, "chartmogul:allowedAccountIds must be a list of ChartMogul account ids"),  # not a list
    ('{"id": "acct_a"}', None, "chartmogul:allowedAccountIds must be a list"),
    ("[]", None, "chartmogul:allowedAccountIds is an empty list, which would refuse every account"),
    ("[42]", None, "chartmogul:allowedAccountIds[0] must be a non-empty string (an account id such as acct_...), "
                   "got 42"),
    ('["acct_a", ""]', None, "chartmogul:allowedAccountIds[1] must be a non-empty string"),
    (None, "acct_a,,acct_b", "CHARTMOGUL_ALLOWED_ACCOUNT_IDS[1] must be a non-empty string"),
])
def test_bad_allowed_accounts_name_the_setting_and_the_reason(in_config: str | None, in_env: str | None,
                                                              expected: str) -> None:
    values = {"chartmogul:apiKey": KEY, **({ALLOWED: in_config} if in_config is not None else {})}
    with pytest.raises(ConfigurationError) as caught:
        load_settings(config(values), {ENV_ALLOWED: in_env} if in_env is not None else {})
    assert expected in str(caught.value)
    if in_config is not None and "list" in expected and "empty" not in expected:
        assert "pulumi config set --path" in str(caught.value)  # says how to write a list
