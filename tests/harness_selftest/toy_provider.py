"""A file-backed toy dynamic provider, used only to prove the engine stand-in (testkit/) against the real host.

It runs inside the host process. Its "remote" objects are JSON files in ``$TOY_STORE_DIR/objects``,
and every mutating call appends one JSON line to ``$TOY_STORE_DIR/events.jsonl`` so a test can see
what ran and in which order.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown

STORE_ENV = "TOY_STORE_DIR"
TYPE_TOKEN = "pulumi-python:dynamic/toy:Thing"
OUTPUT_ONLY = frozenset({"uuid", "key_fingerprint"})
REPLACE_KEYS = frozenset({"kind"})
INTERNAL = frozenset({"__provider"})

# Module-level state lives in the host process only (it is not pickled into __provider).
_lock = threading.Lock()
_in_flight = 0


def fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def _store() -> Path:
    root = Path(os.environ[STORE_ENV])
    (root / "objects").mkdir(parents=True, exist_ok=True)
    return root


def _object_path(id_: str) -> Path:
    return _store() / "objects" / f"{id_}.json"


def _event(op: str, id_: str, name: Any, **extra: Any) -> None:
    line = json.dumps({"op": op, "id": id_, "name": name, "t": time.monotonic(), **extra})
    with _lock, open(_store() / "events.jsonl", "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def _inputs(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in INTERNAL and k not in OUTPUT_ONLY}


def _differs(old: Any, new: Any) -> bool:
    return isinstance(new, Unknown) or isinstance(old, Unknown) or old != new


class ToyProvider(ResourceProvider):
    # Set by configure() in the host; a class default because unpickling does not run __init__.
    key_fingerprint: str | None = None

    def configure(self, req: ConfigureRequest) -> None:
        key = req.config.get("chartmogul:apiKey")
        self.key_fingerprint = fingerprint(key) if key else None

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        if news.get("explode_in") == "check":
            raise RuntimeError("toy check exploded on purpose")
        failures = []
        name = news.get("name")
        if not isinstance(name, Unknown) and (not isinstance(name, str) or not name.strip()):
            failures.append(CheckFailure("name", "name must be a non-empty string"))
        inputs = dict(news)
        inputs.setdefault("kind", "basic")  # a default filled in by check, as real providers do
        return CheckResult(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        keys = (set(olds) | set(news)) - INTERNAL - OUTPUT_ONLY
        changed = sorted(k for k in keys if _differs(olds.get(k), news.get(k)))
        replaces = [k for k in changed if k in REPLACE_KEYS]
        dbr = bool(news.get("exclusive"))
        if news.get("opaque_diff"):
            # DiffResult(changes=None) -> DIFF_UNKNOWN: the engine compares inputs itself.
            return DiffResult(changes=None, replaces=replaces, delete_before_replace=dbr)
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=dbr)

    def create(self, props: dict[str, Any]) -> CreateResult:
        global _in_flight
        with _lock:
            _in_flight += 1
            in_flight = _in_flight
        try:
            delay = float(props.get("delay", 0))
            if delay:
                time.sleep(delay)
            if props.get("explode_in") == "create":
                raise RuntimeError("toy create exploded on purpose")
            id_ = uuid.uuid4().hex
            inputs = _inputs(props)
            _object_path(id_).write_text(json.dumps({**inputs, "uuid": id_}), encoding="utf-8")
            _event("create", id_, inputs.get("name"), in_flight=in_flight)
            print(f"toy: created {inputs.get('name')} as {id_}")
            print(f"toy-stderr: created {inputs.get('name')}", file=sys.stderr)
            return CreateResult(id_, {**inputs, "uuid": id_, "key_fingerprint": self.key_fingerprint})
        finally:
            with _lock:
                _in_flight -= 1

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        path = _object_path(id_)
        if not path.exists():
            return ReadResult(None, {})
        record = json.loads(path.read_text(encoding="utf-8"))
        _event("read", id_, record.get("name"))
        outs = {**record, "key_fingerprint": self.key_fingerprint}
        if record.get("legacy_read"):
            return ReadResult(id_, outs)  # no inputs: the engine keeps the old ones
        return ReadResult(id_, outs, _inputs(record))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        inputs = _inputs(news)
        _object_path(id_).write_text(json.dumps({**inputs, "uuid": id_}), encoding="utf-8")
        _event("update", id_, inputs.get("name"))
        return UpdateResult({**inputs, "uuid": olds.get("uuid", id_), "key_fingerprint": self.key_fingerprint})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        _object_path(id_).unlink(missing_ok=True)
        _event("delete", id_, props.get("name"))
