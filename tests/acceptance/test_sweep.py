"""The acceptance suite's guard and its sweep, against the emulator (no CLI needed): the refusals and what they
send (nothing, or only the account lookup); the sweep listing exactly the objects named with the prefix, deleting
nothing without ``--yes``, and with it only those."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from testkit.emulator import Emulator

from .lifecycle import acceptance_run
from .sweep import main
from .target import ACCOUNT, ENV_ACCEPTANCE, PREFIX_FAMILY, Refused, Target, account_target, new_run_prefix

REPO = Path(__file__).resolve().parents[2]
KEY = "sk-sweep-test"
RUN = "pcm-acc-20251207-081500-aaaaaa-"
OTHER_RUN = "pcm-acc-20251206-230000-bbbbbb-"
VARIABLES = (ENV_ACCEPTANCE, "CHARTMOGUL_API_KEY", "CHARTMOGUL_ALLOWED_ACCOUNT_IDS", "CHARTMOGUL_ENDPOINT")


def account_id(emulator: Emulator) -> str:
    return str(emulator.api("GET", "/account", key=KEY).json()["id"])


def environment(emulator: Emulator, **changes: str) -> dict[str, str]:
    return {ENV_ACCEPTANCE: "1", "CHARTMOGUL_API_KEY": KEY, "CHARTMOGUL_ENDPOINT": emulator.api_root,
            "CHARTMOGUL_ALLOWED_ACCOUNT_IDS": account_id(emulator), **changes}


def sweep(emulator: Emulator, *args: str, **changes: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), environment(emulator, **changes), out, err)
    return code, out.getvalue(), err.getvalue()


def sent(emulator: Emulator, before: Counter[str]) -> Counter[str]:
    return Counter(emulator.stats()["by_route"]) - before


def seed(emulator: Emulator) -> dict[str, Any]:
    """Two runs' objects among an account's own, with names that only look like the prefix."""
    def source(name: str, *external_ids: str) -> tuple[str, list[str]]:
        made = emulator.api("POST", "/data_sources", key=KEY, json={"name": name}).json()
        plans = [emulator.api("POST", "/plans", key=KEY, json={
            "data_source_uuid": made["uuid"], "name": f"Plan {external_id}", "interval_count": 1,
            "interval_unit": "month", "external_id": external_id}).json()["uuid"] for external_id in external_ids]
        return made["uuid"], plans

    def group(name: str, plans: list[str]) -> str:
        return str(emulator.api("POST", "/plan_groups", key=KEY, json={"name": name, "plans": plans}).json()["uuid"])

    run_source, run_plans = source(f"{RUN}billing", f"{RUN}basic", f"{RUN}gold")
    other_source, other_plans = source(f"{OTHER_RUN}billing", f"{OTHER_RUN}basic")
    own_source, own_plans = source("Billing", "basic", f"{RUN}lookalike")
    return {
        "run": {"sources": {run_source}, "groups": {group(f"{RUN}Self-serve", run_plans)}},
        "other run": {"sources": {other_source}, "groups": {group(f"{OTHER_RUN}Self-serve", other_plans)}},
        "own": {
            "sources": {own_source,
                        source(f"x{RUN}billing")[0],                 # the prefix, but not at the start
                        source(f"{PREFIX_FAMILY.upper()}billing")[0],  # names are case-sensitive
                        source(f"pcm-acc_{RUN.removeprefix(PREFIX_FAMILY)}almost")[0]},
            "groups": {group("Self-serve", own_plans), group(f"Our {RUN}group", own_plans[:1])},
        },
    }


def account(emulator: Emulator) -> dict[str, set[str]]:
    return {
        "sources": {s["uuid"] for s in emulator.api("GET", "/data_sources", key=KEY).json()["data_sources"]},
        "groups": {g["uuid"] for g in emulator.api("GET", "/plan_groups", key=KEY).json()["plan_groups"]},
        "plans": {p["uuid"] for p in emulator.api("GET", "/plans", key=KEY,
                                                   params={"per_page": 200}).json()["plans"]},
    }


def test_the_sweep_lists_only_the_prefixed_objects_and_deletes_nothing_without_yes(emulator: Emulator) -> None:
    seeded = seed(emulator)
    everything = account(emulator)
    before = Counter(emulator.stats()["by_route"])
    code, out, err = sweep(emulator)
    assert (code, err) == (0, "")
    listed = {line.split()[2] for line in out.splitlines() if line.startswith("  ")}
    assert listed == seeded["run"]["sources"] | seeded["run"]["groups"] | seeded["other run"]["sources"] | \
        seeded["other run"]["groups"]
    assert f"data source {next(iter(seeded['run']['sources']))} '{RUN}billing' (and its 2 plans)" in out
    assert "4 object(s); nothing deleted. To delete them: make sweep CONFIRM=1" in out
    assert account(emulator) == everything
    requests = sent(emulator, before)
    assert not [route for route in requests if not route.startswith("GET ")], requests


def test_the_sweep_deletes_with_yes_and_only_what_it_lists(emulator: Emulator) -> None:
    seeded = seed(emulator)
    own_plans = {p["uuid"] for s in seeded["own"]["sources"]
                 for p in emulator.api("GET", "/plans", key=KEY, params={"data_source_uuid": s}).json()["plans"]}
    code, out, _ = sweep(emulator, "--yes", "--prefix", RUN)  # one run's
    assert code == 0 and "Deleted 2 of 2 object(s)." in out
    assert account(emulator) == {
        "sources": seeded["own"]["sources"] | seeded["other run"]["sources"],
        "groups": seeded["own"]["groups"] | seeded["other run"]["groups"],
        "plans": own_plans | {p["uuid"] for s in seeded["other run"]["sources"] for p in emulator.api(
            "GET", "/plans", key=KEY, params={"data_source_uuid": s}).json()["plans"]},
    }
    code, out, _ = sweep(emulator, "--yes")  # the family: every run's
    assert code == 0 and "Deleted 2 of 2 object(s)." in out
    assert account(emulator) == {"sources": seeded["own"]["sources"], "groups": seeded["own"]["groups"],
                                 "plans": own_plans}
    code, out, _ = sweep(emulator, "--yes")
    assert code == 0 and out.startswith(f"Nothing named {PREFIX_FAMILY}... in account ")


@pytest.mark.parametrize("prefix", ["", "pcm-", "Billing", "acc-pcm-acc-"])
def test_a_prefix_outside_the_family_is_refused_before_anything_is_sent(emulator: Emulator, prefix: str) -> None:
    seed(emulator)
    everything = account(emulator)
    environ = environment(emulator)
    before = Counter(emulator.stats()["by_route"])
    out, err = io.StringIO(), io.StringIO()
    assert main(["--yes", "--prefix", prefix], environ, out, err) == 2
    assert f"the prefix {prefix!r} is not an acceptance prefix" in err.getvalue()
    assert sent(emulator, before) == Counter() and account(emulator) == everything


def test_another_account_is_refused_after_the_lookup_alone(emulator: Emulator) -> None:
    seed(emulator)
    everything = account(emulator)
    environ = environment(emulator, CHARTMOGUL_ALLOWED_ACCOUNT_IDS="acct_not-this-one,acct_nor-this")
    before = Counter(emulator.stats()["by_route"])
    out, err = io.StringIO(), io.StringIO()
    assert main(["--yes"], environ, out, err) == 2
    assert sent(emulator, before) == Counter({"GET /v1/account": 1})
    assert out.getvalue() == ""
    assert f"refusing to work on the ChartMogul account {account_id(emulator)}" in err.getvalue()
    assert "allows only acct_not-this-one, acct_nor-this" in err.getvalue()
    assert account(emulator) == everything


def test_a_run_on_another_account_is_refused_before_anything_is_made(emulator: Emulator, tmp_path: Path) -> None:
    target = Target(ACCOUNT, emulator.api_root, KEY, ("acct_not-this-one",))
    before = Counter(emulator.stats()["by_route"])
    with pytest.raises(Refused, match=r"refusing to work on the ChartMogul account .* allows only acct_not-this-one"), \
            acceptance_run(target, tmp_path, tmp_path / "no-cli-needed"):
        pytest.fail("the run's body ran on another account")
    assert sent(emulator, before) == Counter({"GET /v1/account": 1})
    assert list(tmp_path.iterdir()) == []  # no project, no stack


def test_the_guard_names_every_missing_variable() -> None:
    with pytest.raises(Refused) as refused:
        account_target({})
    message = str(refused.value)
    assert message.startswith("refusing to run against a real ChartMogul account: ")
    assert all(f"{variable} is not set" in message for variable in VARIABLES[:3])
    with pytest.raises(Refused, match=f"{ENV_ACCEPTANCE} is 'yes'; set it to 1") as refused:
        account_target({ENV_ACCEPTANCE: "yes", "CHARTMOGUL_API_KEY": KEY, "CHARTMOGUL_ALLOWED_ACCOUNT_IDS": "acct_1"})
    assert "CHARTMOGUL_API_KEY" not in str(refused.value)
    with pytest.raises(Refused, match="plain http to a non-loopback host"):
        account_target({ENV_ACCEPTANCE: "1", "CHARTMOGUL_API_KEY": KEY, "CHARTMOGUL_ALLOWED_ACCOUNT_IDS": "acct_1",
                        "CHARTMOGUL_ENDPOINT": "http://api.chartmogul.com/v1"})
    target = account_target({ENV_ACCEPTANCE: "1", "CHARTMOGUL_API_KEY": f" {KEY} ",
                             "CHARTMOGUL_ALLOWED_ACCOUNT_IDS": "acct_1, acct_2,"})
    assert (target.endpoint, target.api_key, target.allowed_account_ids) == (
        "https://api.chartmogul.com/v1", KEY, ("acct_1", "acct_2"))
    assert KEY not in repr(target)


def test_run_prefixes_are_in_the_family_and_differ() -> None:
    first, second = new_run_prefix(), new_run_prefix()
    assert first.startswith(PREFIX_FAMILY) and second.startswith(PREFIX_FAMILY) and first != second
    assert first.endswith("-") and first == first.lower()


@pytest.mark.parametrize("module", ["tests.acceptance", "tests.acceptance.sweep"])
def test_the_make_entry_points_refuse_without_the_variables_and_say_why(emulator: Emulator, module: str) -> None:
    """``make acceptance`` and ``make sweep`` as a maintainer without the variables runs them: exit 2, the reason,
    and not one request (the endpoint is the emulator here, so that one would be seen)."""
    env = {name: value for name, value in os.environ.items() if name not in VARIABLES}
    env.update({"CHARTMOGUL_API_KEY": KEY, "CHARTMOGUL_ENDPOINT": emulator.api_root})
    before = Counter(emulator.stats()["by_route"])
    done = subprocess.run([sys.executable, "-m", module], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert f"{ENV_ACCEPTANCE} is not set" in done.stderr
    assert "CHARTMOGUL_ALLOWED_ACCOUNT_IDS is not set" in done.stderr
    assert sent(emulator, before) == Counter()
