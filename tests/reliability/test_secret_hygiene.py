"""The API key never leaks: not over gRPC, not in the host's output, not in errors, state or the emulator's log.

A full lifecycle (create, refresh, update, replace, delete) plus the failing calls a user meets (a duplicate
create without adopt: 422; an update of a plan deleted out of band: 404; a fault that exhausts the retries; a
create whose outcome cannot be known; a check failure) runs with a recognisable key against an emulator that
accepts only that key, so every request really carried it. Then every byte that crossed the gRPC boundary, the
host's stdout and stderr, every error text, every state and the emulator's request log are searched for the
key, for the Basic auth header (base64 of ``key:``), and for the key's base64 at any alignment.

* (a) key from the environment (``CHARTMOGUL_API_KEY``): it must not appear in the gRPC traffic at all.
* (b) key from stack config (``chartmogul:apiKey``, a secret): Configure necessarily carries it, so it must
  appear exactly as often as in a second host that receives the same Configure and nothing else.

And plain ``http://`` to a non-loopback endpoint is refused before any request, even one that would reach the
emulator (``0.0.0.0`` connects to this machine).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from testkit.emulator import Emulator, running_emulator
from testkit.engine import CheckFailed, Engine
from testkit.host import ProviderHost, ProviderHostError, ResourceState
from testkit.inputs import plan_inputs
from testkit.providers import DATA_SOURCE, DATA_SOURCE_PROVIDER, PLAN, PLAN_PROVIDER
from tests.reliability.report import REPORT

KEY = "sk-HYGIENE-e3b0c44298fc1c149afbf4c8"


def needles(key: str) -> dict[str, bytes]:
    """The key, the Basic auth credentials, and the key's base64 at each of the three alignments (the part of
    it that does not depend on the neighbouring bytes)."""
    raw = key.encode()
    found = {"key": raw, "basic key:": base64.b64encode(raw + b":"),
             "basic key:key": base64.b64encode(raw + b":" + raw)}
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw)
        found[f"base64 at offset {offset}"] = encoded[4 if offset else 0:-4]
    return found


def count_hits(haystacks: dict[str, bytes], key: str = KEY) -> dict[tuple[str, str], int]:
    hits = {}
    for where, data in haystacks.items():
        for name, needle in needles(key).items():
            if data.count(needle):
                hits[where, name] = data.count(needle)
    return hits


def test_the_search_finds_the_key_in_every_form_it_could_leak_in() -> None:
    header = requests.Request("GET", "http://127.0.0.1/v1/ping", auth=(KEY, "")).prepare().headers["Authorization"]
    assert count_hits({"header": header.encode()}).get(("header", "basic key:")) == 1
    for offset in range(3):  # the key inside some larger base64 blob, at each alignment
        blob = base64.b64encode(b"x" * offset + KEY.encode() + b"trailer")
        assert ("blob", f"base64 at offset {offset}") in count_hits({"blob": blob})
    assert count_hits({"text": f"error: {KEY!r}".encode()}) == {("text", "key"): 1}


@pytest.fixture(scope="module")
def keyed_emulator() -> Iterator[Emulator]:
    with running_emulator("--api-key", KEY) as emulator:
        yield emulator


@dataclass
class Evidence:
    texts: list[str] = field(default_factory=list)  # every error the user would see
    states: list[ResourceState] = field(default_factory=list)

    def failing(self, call: Any, *args: Any, **kwargs: Any) -> str:
        """Run a call that must fail; keep everything its error carries."""
        with pytest.raises((ProviderHostError, CheckFailed)) as caught:
            call(*args, **kwargs)
        error = caught.value
        self.texts += [str(error), repr(error), getattr(error, "details", ""), repr(getattr(error, "failures", ""))]
        return getattr(error, "details", str(error))

    def keep(self, state: ResourceState | None) -> ResourceState:
        assert state is not None
        self.states.append(state)
        return state


def api(emulator: Emulator, method: str, path: str, **kwargs: Any) -> requests.Response:
    return emulator.api(method, path, key=KEY, **kwargs)


def lifecycle(engine: Engine, emulator: Emulator) -> Evidence:
    """Every operation and every failure a user meets, each one checked to have really happened."""
    ev = Evidence()
    source = ev.keep(engine.up(DATA_SOURCE, "hygiene", {"name": "hygiene", "adopt": False},
                               provider=DATA_SOURCE_PROVIDER)[1])
    inputs = plan_inputs(source.id, "gold")
    plan = ev.keep(engine.up(PLAN, "gold", inputs, provider=PLAN_PROVIDER)[1])
    plan = ev.keep(engine.refresh(plan))
    step, plan = engine.up(PLAN, "gold", {**inputs, "name": "Gold+"}, provider=PLAN_PROVIDER, prior=plan)
    assert step == "update"
    ev.keep(plan)
    step, plan = engine.up(PLAN, "gold", {**inputs, "name": "Gold+", "external_id": "gold-2"},
                           provider=PLAN_PROVIDER, prior=plan)
    assert step == "replace"
    ev.keep(plan)

    # 422: a second resource with the same external_id, without adopt
    details = ev.failing(engine.up, PLAN, "gold-copy", plan_inputs(source.id, "gold-2"), provider=PLAN_PROVIDER)
    assert "already exists" in details and "adopt=True" in details
    # 404: the plan deleted out of band; refresh drops it, an update against the old state fails
    assert api(emulator, "DELETE", f"/plans/{plan.id}").status_code == 204
    assert engine.refresh(plan) is None
    details = ev.failing(engine.up, PLAN, "gold", {**inputs, "name": "Gold++", "external_id": "gold-2"},
                         provider=PLAN_PROVIDER, prior=plan)
    assert "404" in details
    # a fault that outlasts the retries
    emulator.set_faults([{"method": "GET", "path": "/v1/data_sources/{uuid}", "mode": "respond", "status": 500,
                          "times": None}])
    details = ev.failing(engine.refresh, source)
    assert "ChartMogul API error 500" in details
    # a create whose answer is lost and whose lookup fails: the longest error text there is
    emulator.set_faults([{"method": "*", "path": "/v1/plans", "mode": "commit_then_drop", "times": None}])
    details = ev.failing(engine.up, PLAN, "lost", plan_inputs(source.id, "lost"), provider=PLAN_PROVIDER)
    assert "may have been created" in details
    emulator.clear_faults()
    # a check failure: refused before any request
    ev.failing(engine.up, PLAN, "bad", plan_inputs(source.id, "bad", interval_unit="week"), provider=PLAN_PROVIDER)

    engine.destroy(source)  # takes the untracked "lost" plan with it
    assert api(emulator, "GET", "/data_sources").json()["data_sources"] == []
    return ev


def haystacks(host: ProviderHost, emulator: Emulator, ev: Evidence) -> dict[str, bytes]:
    return {
        "gRPC traffic": host.traffic(),
        "host stdout": host.stdout_text().encode(),
        "host stderr": host.stderr_text().encode(),
        "errors": "\n".join(ev.texts).encode(),
        "states": "\n".join(repr((s.id, s.inputs, s.outputs)) for s in ev.states).encode(),
        "emulator log": emulator.stderr().encode(),
    }


def _config(emulator: Emulator, **extra: str) -> dict[str, str]:
    return {"chartmogul:endpoint": emulator.api_root, "chartmogul:timeoutSeconds": "2",
            "chartmogul:maxRetries": "1", **extra}


def test_a_key_from_the_environment_never_crosses_grpc_or_shows_anywhere(keyed_emulator: Emulator) -> None:
    keyed_emulator.reset()
    with ProviderHost(_config(keyed_emulator), env={"CHARTMOGUL_API_KEY": KEY}) as host:
        ev = lifecycle(Engine(host), keyed_emulator)
        searched = haystacks(host, keyed_emulator, ev)
    requests_made = keyed_emulator.stats()["requests"]
    hits = count_hits(searched)
    REPORT.add_figure("secret hygiene", (
        f"(a) key from the environment: {sum(len(v) for v in searched.values())} bytes searched "
        f"({', '.join(f'{k} {len(v)}' for k, v in searched.items())}), {len(ev.texts)} error texts, "
        f"{len(ev.states)} states, {requests_made} authenticated requests: {sum(hits.values())} hits"))
    assert requests_made >= 15  # the key was really in use, and accepted every time:
    assert [line for line in keyed_emulator.stderr().splitlines() if '" 401' in line] == []
    assert hits == {}


def test_a_key_from_stack_config_appears_only_in_the_config_exchange(keyed_emulator: Emulator) -> None:
    keyed_emulator.reset()
    config = _config(keyed_emulator, **{"chartmogul:apiKey": KEY})
    with ProviderHost(config) as host:
        ev = lifecycle(Engine(host), keyed_emulator)
        searched = haystacks(host, keyed_emulator, ev)
        calls = host.calls()
    with ProviderHost(config) as configure_only:
        baseline = configure_only.traffic()
        assert configure_only.calls() == ["Handshake", "GetPluginInfo", "CheckConfig", "Configure"]

    in_traffic = searched.pop("gRPC traffic")
    expected = baseline.count(KEY.encode())
    hits = count_hits(searched)
    REPORT.add_figure("secret hygiene", (
        f"(b) key from stack config: the key appears {in_traffic.count(KEY.encode())} times in "
        f"{len(in_traffic)} bytes of gRPC traffic ({len(calls)} calls), exactly as in a Configure-only exchange "
        f"({expected}); {sum(hits.values())} hits in host output, errors, states and emulator log; base64 hits "
        f"in traffic {sum(count_hits({'t': in_traffic}).get(('t', n), 0) for n in needles(KEY) if n != 'key')}"))
    assert expected >= 1  # CheckConfig and Configure carry it (the engine's config hand-over, as in the real CLI)
    assert in_traffic.count(KEY.encode()) == expected
    assert {name for (_, name) in count_hits({"gRPC traffic": in_traffic})} == {"key"}  # no Basic header, ever
    assert hits == {}


def test_plain_http_to_a_non_loopback_address_is_refused_before_any_request(keyed_emulator: Emulator) -> None:
    keyed_emulator.reset()
    port = keyed_emulator.api_root.rsplit(":", 1)[1].split("/")[0]
    endpoint = f"http://0.0.0.0:{port}/v1"  # not a loopback address, yet on Linux it connects to this machine
    with ProviderHost({"chartmogul:apiKey": KEY, "chartmogul:endpoint": endpoint}) as host:
        details = Evidence().failing(Engine(host).up, DATA_SOURCE, "s", {"name": "s", "adopt": False},
                                     provider=DATA_SOURCE_PROVIDER)
        stderr = host.stderr_text()
    assert "plain http to a non-loopback host" in details
    assert keyed_emulator.stats()["requests"] == 0
    assert count_hits({"error": details.encode(), "host stderr": stderr.encode()}) == {}
    # ... and the refusal is what stopped it: the same address does reach the emulator
    assert requests.get(f"{endpoint}/ping", auth=(KEY, ""), timeout=5).status_code == 200
    assert keyed_emulator.stats()["requests"] == 1
