"""Self-tests for the engine stand-in (testkit/host.py, engine.py, wire.py): every method against the real host and
a file-backed toy provider."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pytest
from pulumi.dynamic.dynamic import serialize_provider

from testkit.engine import CheckFailed, Engine
from testkit.host import PROVIDER_KEY, ProviderHost, ProviderHostError, ResourceState
from testkit.wire import UNKNOWN
from tests.harness_selftest.toy_provider import STORE_ENV, TYPE_TOKEN, ToyProvider, fingerprint

API_KEY = "sk_test_harness_SECRET_0123456789"
PROVIDER = serialize_provider(ToyProvider())


class Store:
    """The toy provider's files, as seen from the test process."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def clear_events(self) -> None:
        (self.root / "events.jsonl").unlink(missing_ok=True)

    def events(self) -> list[dict[str, Any]]:
        path = self.root / "events.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    def ops(self) -> list[tuple[str, str]]:
        return [(e["op"], e["id"]) for e in self.events() if e["op"] != "read"]

    def path(self, id_: str) -> Path:
        return self.root / "objects" / f"{id_}.json"

    def exists(self, id_: str) -> bool:
        return self.path(id_).exists()

    def load(self, id_: str) -> dict[str, Any]:
        return dict(json.loads(self.path(id_).read_text(encoding="utf-8")))

    def object_count(self) -> int:
        objects = self.root / "objects"
        return len(list(objects.glob("*.json"))) if objects.exists() else 0


@pytest.fixture(scope="module")
def store_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("toy-store")


@pytest.fixture(scope="module")
def host(store_root: Path) -> Iterator[ProviderHost]:
    with ProviderHost({"chartmogul:apiKey": API_KEY, "proj:region": "eu"}, env={STORE_ENV: str(store_root)}) as h:
        yield h


@pytest.fixture
def store(store_root: Path) -> Store:
    s = Store(store_root)
    s.clear_events()
    return s


@pytest.fixture
def engine(host: ProviderHost) -> Engine:
    return Engine(host)


def up(engine: Engine, name: str, inputs: dict[str, Any], **kwargs: Any) -> tuple[str, ResourceState]:
    return engine.up(TYPE_TOKEN, name, inputs, provider=PROVIDER, **kwargs)


# ------------------------------------------------------------------------------------------ start-up


def test_startup_sequence_and_configure(host: ProviderHost) -> None:
    # As the real engine (CLI 3.274.1) starts a dynamic provider; the host answers the first and third UNIMPLEMENTED.
    assert host.calls()[:4] == ["Handshake", "GetPluginInfo", "CheckConfig", "Configure"]
    assert host.plugin_info.version == "0.1.0"
    assert host.configure_response.acceptSecrets is False
    assert host.configure_response.supportsPreview is False
    assert host.urn(TYPE_TOKEN, "x") == f"urn:pulumi:test::proj::{TYPE_TOKEN}::x"


def test_traffic_records_configure_secret_and_both_directions(engine: Engine, host: ProviderHost, store: Store) -> None:
    # Proves the recorder sees the Configure request; the real "the key appears nowhere else" tests rely on it.
    assert API_KEY.encode() in host.traffic()
    before = len(host.traffic())
    _, state = up(engine, "traffic", {"name": "traffic-marker-in", "note": "request-side"})
    data = host.traffic()
    assert len(data) > before
    assert b"request-side" in data  # request
    assert state.id.encode() in data  # the id only exists in the Create response
    # configure() received the plaintext key (the host unwraps the secret), and the toy never echoes it
    assert state.outputs["key_fingerprint"] == fingerprint(API_KEY)
    assert API_KEY not in json.dumps(state.outputs)


# ------------------------------------------------------------------------------------------ lifecycle


def test_create_same_update_destroy(engine: Engine, host: ProviderHost, store: Store) -> None:
    step, state = up(engine, "thing", {"name": "one", "size": 3})
    assert step == "create"
    assert store.load(state.id)["name"] == "one"
    assert state.urn == host.urn(TYPE_TOKEN, "thing")
    assert state.outputs[PROVIDER_KEY] == PROVIDER and state.inputs[PROVIDER_KEY] == PROVIDER
    assert state.inputs["kind"] == "basic"  # default added by check, carried into state
    # Struct numbers are doubles: the harness does not hide that
    assert state.outputs["size"] == 3 and isinstance(state.outputs["size"], float)

    calls_before = len(host.calls())
    step, same = up(engine, "thing", {"name": "one", "size": 3}, prior=state)
    assert step == "same"
    assert host.calls()[calls_before:] == ["Check", "Diff"]
    assert same.id == state.id and same.outputs == state.outputs

    step, updated = up(engine, "thing", {"name": "two", "size": 3}, prior=same)
    assert step == "update"
    assert updated.id == state.id
    assert updated.outputs["name"] == "two" and updated.inputs["name"] == "two"
    assert updated.outputs["uuid"] == state.id
    assert store.load(state.id)["name"] == "two"

    engine.destroy(updated)
    assert not store.exists(state.id)
    assert store.ops() == [("create", state.id), ("update", state.id), ("delete", state.id)]


@pytest.mark.parametrize(
    ("inputs", "override", "expected_first"),
    [
        ({}, None, "create"),  # default: create-before-delete
        ({"exclusive": True}, None, "delete"),  # diff says deleteBeforeReplace
        ({}, True, "delete"),  # resource option forces it
        ({"exclusive": True}, False, "create"),  # resource option overrides the diff
    ],
)
def test_replace_orders(
    engine: Engine, store: Store, inputs: dict[str, Any], override: bool | None, expected_first: str
) -> None:
    _, old = up(engine, "replaced", {"name": "r", "kind": "a", **inputs})
    store.clear_events()

    step, new = up(engine, "replaced", {"name": "r", "kind": "b", **inputs}, prior=old, delete_before_replace=override)

    assert step == "replace"
    assert new.id != old.id
    assert new.outputs["kind"] == "b"
    assert not store.exists(old.id) and store.exists(new.id)
    expected = [("create", new.id), ("delete", old.id)]
    if expected_first == "delete":
        expected.reverse()
    assert store.ops() == expected
    engine.destroy(new)


def test_raw_diff_outcomes(engine: Engine, host: ProviderHost, store: Store) -> None:
    _, state = up(engine, "diffs", {"name": "d", "kind": "a"})
    news = {**state.inputs, "kind": "b", "exclusive": True}
    outcome = host.diff(state, news)
    assert (outcome.changes, outcome.replaces, outcome.delete_before_replace) == ("DIFF_SOME", ["kind"], True)
    assert host.diff(state, state.inputs).changes == "DIFF_NONE"
    engine.destroy(state)


def test_diff_unknown_uses_engine_input_comparison(engine: Engine, store: Store) -> None:
    _, state = up(engine, "opaque", {"name": "o", "opaque_diff": True})
    step, same = up(engine, "opaque", {"name": "o", "opaque_diff": True}, prior=state)
    assert step == "same"
    step, updated = up(engine, "opaque", {"name": "o2", "opaque_diff": True}, prior=same)
    assert step == "update" and updated.id == state.id
    # a changed __provider alone is an input change for the engine
    other = engine.up(
        TYPE_TOKEN, "opaque", {"name": "o2", "opaque_diff": True}, provider=PROVIDER + "\n", prior=updated
    )
    assert other[0] == "update"
    # the provider's replaces survive DIFF_UNKNOWN
    step, replaced = up(engine, "opaque", {"name": "o2", "kind": "z", "opaque_diff": True}, prior=other[1])
    assert step == "replace" and replaced.id != state.id
    engine.destroy(replaced)


# ------------------------------------------------------------------------------------------ refresh


def test_refresh(engine: Engine, host: ProviderHost, store: Store) -> None:
    _, state = up(engine, "refreshed", {"name": "before"})

    # drift out of band: the provider returns new outputs and new inputs
    record = store.load(state.id)
    store.path(state.id).write_text(json.dumps({**record, "name": "drifted"}), encoding="utf-8")
    calls_before = len(host.calls())
    refreshed = engine.refresh(state)
    assert refreshed is not None
    assert host.calls()[calls_before:] == ["Read", "Diff"]  # Read, then the inverted display diff
    assert refreshed.id == state.id
    assert refreshed.outputs["name"] == "drifted" and refreshed.inputs["name"] == "drifted"
    assert refreshed.outputs[PROVIDER_KEY] == PROVIDER

    # deleted out of band: Read returns an empty id and the engine drops the resource
    store.path(state.id).unlink()
    assert engine.refresh(refreshed) is None
    assert host.read(refreshed) is None


def test_read_without_returned_inputs_keeps_old_inputs(engine: Engine, host: ProviderHost, store: Store) -> None:
    _, state = up(engine, "legacy", {"name": "l", "legacy_read": True})
    record = store.load(state.id)
    store.path(state.id).write_text(json.dumps({**record, "name": "changed"}), encoding="utf-8")
    refreshed = host.read(state)
    assert refreshed is not None
    assert refreshed.outputs["name"] == "changed"
    assert refreshed.inputs == state.inputs
    engine.destroy(refreshed)


# ------------------------------------------------------------------------------------------ preview


def test_preview_with_unknowns_never_mutates(engine: Engine, host: ProviderHost, store: Store) -> None:
    objects_before = store.object_count()
    calls_before = len(host.calls())

    step, diff, check = engine.preview(TYPE_TOKEN, "pv", {"name": UNKNOWN, "size": 1}, provider=PROVIDER)
    assert (step, diff) == ("create", None)
    assert check.inputs["name"] is UNKNOWN  # the provider saw pulumi.output.Unknown and passed it through
    assert check.failures == []
    assert host.calls()[calls_before:] == ["Check"]
    assert store.object_count() == objects_before

    _, state = up(engine, "pv", {"name": "p", "kind": "a"})
    store.clear_events()
    objects_before = store.object_count()
    calls_before = len(host.calls())

    step, diff, check = engine.preview(TYPE_TOKEN, "pv", {"name": "p", "kind": UNKNOWN}, provider=PROVIDER, prior=state)
    assert step == "replace"
    assert diff is not None and diff.replaces == ["kind"]
    step, diff, _ = engine.preview(TYPE_TOKEN, "pv", {"name": UNKNOWN, "kind": "a"}, provider=PROVIDER, prior=state)
    assert step == "update" and diff is not None and diff.changes == "DIFF_SOME"
    step, _, _ = engine.preview(TYPE_TOKEN, "pv", {"name": "p", "kind": "a"}, provider=PROVIDER, prior=state)
    assert step == "same"

    assert set(host.calls()[calls_before:]) == {"Check", "Diff"}
    assert store.events() == [] and store.object_count() == objects_before
    engine.destroy(state)


def test_unknowns_are_refused_for_create_and_update(host: ProviderHost) -> None:
    calls_before = len(host.calls())
    with pytest.raises(ValueError, match="never sends unknowns"):
        host.create(TYPE_TOKEN, "u", {"name": UNKNOWN, PROVIDER_KEY: PROVIDER})
    state = ResourceState(TYPE_TOKEN, "u", host.urn(TYPE_TOKEN, "u"), "some-id", {}, {})
    with pytest.raises(ValueError, match="never sends unknowns"):
        host.update(state, {"name": "x", "tags": [UNKNOWN], PROVIDER_KEY: PROVIDER})
    assert host.calls()[calls_before:] == []


# ------------------------------------------------------------------------------------------ failures


def test_check_failures_raise_and_nothing_is_created(engine: Engine, host: ProviderHost, store: Store) -> None:
    calls_before = len(host.calls())
    with pytest.raises(CheckFailed) as info:
        up(engine, "bad", {"name": ""})
    assert info.value.failures == [("name", "name must be a non-empty string")]
    assert host.calls()[calls_before:] == ["Check"]
    with pytest.raises(CheckFailed):
        engine.preview(TYPE_TOKEN, "bad", {"name": "  "}, provider=PROVIDER)
    # the raw call reports failures without raising
    outcome = host.check(TYPE_TOKEN, "bad", {}, {"name": "", PROVIDER_KEY: PROVIDER})
    assert [prop for prop, _ in outcome.failures] == ["name"]
    assert store.events() == []


@pytest.mark.parametrize("where", ["check", "create"])
def test_host_errors_carry_the_traceback(engine: Engine, store: Store, where: str) -> None:
    with pytest.raises(ProviderHostError) as info:
        up(engine, "boom", {"name": "b", "explode_in": where})
    error = info.value
    assert error.code == grpc.StatusCode.UNKNOWN
    assert error.method == where.capitalize()
    assert "Traceback (most recent call last)" in error.details
    assert f"toy {where} exploded on purpose" in error.details
    assert store.events() == []


def test_traffic_includes_error_details(engine: Engine, host: ProviderHost) -> None:
    with pytest.raises(ProviderHostError):
        up(engine, "boom2", {"name": "b", "explode_in": "create"})
    assert b"toy create exploded on purpose" in host.traffic()


def test_host_output_is_captured(engine: Engine, host: ProviderHost, store: Store) -> None:
    _, state = up(engine, "chatty", {"name": "chatty-thing"})
    assert host.wait_for_output(f"toy: created chatty-thing as {state.id}")
    assert host.wait_for_output("toy-stderr: created chatty-thing", stream="stderr")
    assert f"toy: created chatty-thing as {state.id}" in host.stdout_text()
    assert "toy-stderr: created chatty-thing" in host.stderr_text()
    assert not host.stdout_text().startswith(str(host.port))  # the port line is not part of the output
    engine.destroy(state)


# ------------------------------------------------------------------------------------------ concurrency


def test_eight_concurrent_creates(engine: Engine, store: Store) -> None:
    delay = 0.5
    results: dict[int, tuple[str, ResourceState]] = {}
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            results[i] = up(engine, f"conc-{i}", {"name": f"c{i}", "delay": delay})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    elapsed = time.monotonic() - started

    assert errors == []
    assert sorted(results) == list(range(8))
    assert all(step == "create" for step, _ in results.values())
    ids = {state.id for _, state in results.values()}
    assert len(ids) == 8 and all(store.exists(i) for i in ids)
    creates = [e for e in store.events() if e["op"] == "create"]
    assert len(creates) == 8
    assert max(e["in_flight"] for e in creates) <= 4  # the host's thread pool has 4 workers
    assert elapsed >= 2 * delay * 0.95  # so 8 calls needed at least two rounds
    for _, state in results.values():
        engine.destroy(state)


def test_fresh_host_without_config(store_root: Path) -> None:
    with ProviderHost(env={STORE_ENV: str(store_root)}) as bare:
        _, state = Engine(bare).up(TYPE_TOKEN, "bare", {"name": "bare"}, provider=PROVIDER)
        assert "key_fingerprint" not in state.outputs  # configure() saw no key; None outputs are dropped
        assert API_KEY.encode() not in bare.traffic()
        Engine(bare).destroy(state)
    assert bare.process.poll() is not None
