"""The engine's side of the gRPC channel to one real provider host process: its start, its RPCs, its traffic.

The Pulumi CLI drives ``python -u -m pulumi.dynamic`` (what its ``pulumi-resource-pulumi-python`` plugin runs);
:class:`ProviderHost` starts that process and exposes the raw RPCs (Check, Diff, Create, Read, Update, Delete) with
the request fields the engine fills in (``pkg/resource/plugin/provider_plugin.go`` in pulumi/pulumi), as the SDK's
host receives them (``pulumi/dynamic/__main__.py``). Property dicts passed to it are sent as they are: include
``__provider`` yourself (the host needs it in every call). What the engine *decides* from the answers is
:mod:`testkit.engine`; how values are encoded is :mod:`testkit.wire`.

``ProviderHost(module=IMPORTING_HOST)`` runs ``python -m pulumi_chartmogul.provider_host`` instead: what the
engine runs when the project's ``Pulumi.yaml`` names that host (the bootstrap program's does), the SDK's server
plus import.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import subprocess
import sys
import threading
import uuid
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal, TypedDict

import grpc
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from testkit.wire import contains_unknown, decode_properties, encode_properties, secret

REPO_ROOT = Path(__file__).resolve().parent.parent
STOCK_HOST = "pulumi.dynamic"
IMPORTING_HOST = "pulumi_chartmogul.provider_host"
PROVIDER_KEY = "__provider"
DEFAULT_TIMEOUT = 120.0



@dataclass
class CheckOutcome:
    inputs: dict[str, Any]
    failures: list[tuple[str, str]]  # (property, reason)


@dataclass
class DiffOutcome:
    changes: str  # "DIFF_NONE" | "DIFF_SOME" | "DIFF_UNKNOWN"
    replaces: list[str]
    delete_before_replace: bool
    # detailedDiff when the host answered one: field -> "UPDATE" | "UPDATE_REPLACE" | ...; None when it did not.
    detailed: dict[str, str] | None = None
    diffs: list[str] = field(default_factory=list)


@dataclass
class ResourceState:
    type_token: str
    name: str
    urn: str
    id: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]


class ProviderHostError(Exception):
    """A gRPC call to the host failed. ``details`` holds the host's text (a traceback for provider exceptions)."""

    def __init__(self, method: str, code: grpc.StatusCode, details: str) -> None:
        super().__init__(f"{method} failed with {code}: {details}")
        self.method = method
        self.code = code
        self.details = details


class ProviderHostStartError(RuntimeError):
    """The host process did not start (no port line on stdout)."""


class EngineError(Exception):
    """Something the real engine would reject itself, e.g. an empty id returned by Create."""


class _Address(TypedDict):
    id: str
    urn: str
    name: str
    type: str


def _addressed(state: ResourceState) -> _Address:
    """The fields by which every RPC about an existing resource names it."""
    return {"id": state.id, "urn": state.urn, "name": state.name, "type": state.type_token}


def _request(message: Any, **fields: Any) -> Any:
    """A request with the fields this SDK's protocol has: an older engine did not send the newer ones either
    (``urn``, ``name``, ``type`` arrived after 3.139, the oldest SDK we support)."""
    known = message.DESCRIPTOR.fields_by_name
    return message(**{name: value for name, value in fields.items() if name in known})


def _no_unknowns(method: str, props: Mapping[str, Any]) -> None:
    if contains_unknown(props):
        raise ValueError(f"the engine never sends unknowns to {method}; got {dict(props)!r}")


# ---------------------------------------------------------------------------------------- traffic recording


class _Traffic:
    """Thread-safe log of every message that crossed the channel, in both directions."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._chunks: list[bytes] = []
        self._calls: list[str] = []

    def request(self, method: str, message: Any) -> None:
        with self._lock:
            self._calls.append(method)
            self._chunks.append(message.SerializeToString())

    def response(self, message: Any) -> None:
        data = message.SerializeToString()
        with self._lock:
            self._chunks.append(data)

    def error(self, code: Any, details: str | None) -> None:
        # Status details travel back as trailing metadata; they reach the user just like a message.
        with self._lock:
            self._chunks.append(f"{code}: {details or ''}".encode())

    def data(self) -> bytes:
        with self._lock:
            return b"\n".join(self._chunks)

    def calls(self) -> list[str]:
        with self._lock:
            return list(self._calls)


class _RecordingInterceptor(grpc.UnaryUnaryClientInterceptor):  # type: ignore[misc]
    def __init__(self, traffic: _Traffic) -> None:
        self._traffic = traffic

    def intercept_unary_unary(self, continuation: Any, client_call_details: Any, request: Any) -> Any:
        method = client_call_details.method
        if isinstance(method, bytes):
            method = method.decode()
        self._traffic.request(str(method).rsplit("/", 1)[-1], request)
        outcome = continuation(client_call_details, request)
        try:
            response = outcome.result()
        except grpc.RpcError:
            self._traffic.error(outcome.code(), outcome.details())
        else:
            self._traffic.response(response)
        return outcome


# ------------------------------------------------------------------------------------------------ the host


class _Drain:
    """Reads one pipe of the host into memory on a background thread."""

    def __init__(self, pipe: IO[bytes], *, wait_for_port: bool) -> None:
        self._pipe = pipe
        self._cond = threading.Condition()
        self._lines: list[str] = []
        self._wait_for_port = wait_for_port
        self.port: int | None = None
        self.closed = False
        self._thread = threading.Thread(target=self._run, daemon=True, name="provider-host-drain")
        self._thread.start()

    def _run(self) -> None:
        try:
            for raw in iter(self._pipe.readline, b""):
                line = raw.decode("utf-8", errors="replace")
                with self._cond:
                    if self._wait_for_port and self.port is None and line.strip().isdigit():
                        self.port = int(line.strip())
                    else:
                        self._lines.append(line)
                    self._cond.notify_all()
        except (OSError, ValueError):
            pass
        finally:
            with self._cond:
                self.closed = True
                self._cond.notify_all()

    def text(self) -> str:
        with self._cond:
            return "".join(self._lines)

    def wait_port(self, timeout: float) -> int | None:
        with self._cond:
            self._cond.wait_for(lambda: self.port is not None or self.closed, timeout)
            return self.port

    def wait_for(self, needle: str, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: needle in "".join(self._lines) or self.closed, timeout) and (
                needle in "".join(self._lines)
            )

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)


def _kill_process(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()


class ProviderHost:
    """One ``python -u -m pulumi.dynamic`` process (or ``module``), started, connected and configured like the
    engine does.

    ``config`` is the whole stack config (``"namespace:key" -> str``); keys in ``secret_keys`` are sent as
    Pulumi secrets. The provider caches its configured instance per ``__provider`` string, so use a fresh
    host per config scenario.
    """

    def __init__(
        self,
        config: dict[str, str] | None = None,
        *,
        secret_keys: Iterable[str] = ("chartmogul:apiKey",),
        env: dict[str, str] | None = None,
        project: str = "proj",
        stack: str = "test",
        cwd: str | os.PathLike[str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        start_timeout: float = 30.0,
        module: str = STOCK_HOST,
    ) -> None:
        self.config = dict(config or {})
        self.secret_keys = frozenset(secret_keys)
        self.project = project
        self.stack = stack
        self.timeout = timeout
        self._traffic = _Traffic()
        self._stopped = False
        self._stop_lock = threading.Lock()
        self._channel: Any = None
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", module],
            cwd=str(cwd if cwd is not None else REPO_ROOT),
            env={**os.environ, "PULUMI_PROJECT": project, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        # Safety net for a host a test forgot to stop: it would otherwise block forever after pytest exits.
        self._finalizer = weakref.finalize(self, _kill_process, self.process)
        assert self.process.stdout is not None and self.process.stderr is not None
        self._stdout = _Drain(self.process.stdout, wait_for_port=True)
        self._stderr = _Drain(self.process.stderr, wait_for_port=False)
        try:
            self._start(start_timeout)
        except BaseException:
            self.stop()
            raise

    # -- lifecycle

    def _start(self, start_timeout: float) -> None:
        port = self._stdout.wait_port(start_timeout)
        if port is None:
            self.process.poll()
            raise ProviderHostStartError(
                f"provider host printed no port (exit code {self.process.returncode});\n"
                f"stdout:\n{self._stdout.text()}\nstderr:\n{self._stderr.text()}"
            )
        self.port = port
        try:
            from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS

            options: list[tuple[str, Any]] = list(_GRPC_CHANNEL_OPTIONS)
        except ImportError:  # pragma: no cover - older SDKs
            options = []
        raw = grpc.insecure_channel(f"127.0.0.1:{port}", options=options)
        grpc.channel_ready_future(raw).result(timeout=start_timeout)
        self._channel = grpc.intercept_channel(raw, _RecordingInterceptor(self._traffic))
        self._raw_channel = raw
        self.stub = provider_pb2_grpc.ResourceProviderStub(self._channel)

        # The engine's start-up, as seen in PULUMI_DEBUG_GRPC logs of CLI 3.274.1: Handshake and CheckConfig (the
        # dynamic host answers both UNIMPLEMENTED and the engine carries on), GetPluginInfo, then Configure.
        # (An SDK whose protocol predates Handshake, such as 3.139, has no such message: an engine of its time did
        # not send it either.)
        if hasattr(provider_pb2, "ProviderHandshakeRequest"):
            self._optional("Handshake", _request(provider_pb2.ProviderHandshakeRequest,
                                                 engine_address="127.0.0.1:0", configure_with_urn=True,
                                                 sends_old_outputs_to_check=True))
        self.plugin_info = self._call("GetPluginInfo", empty_pb2.Empty())
        provider_type = "pulumi:providers:pulumi-python"
        self._optional("CheckConfig", _request(provider_pb2.CheckRequest, urn=self.urn(provider_type, "default"),
                                               name="default", type=provider_type, olds=struct_pb2.Struct(),
                                               news=encode_properties(self.config)))
        args = {k: (secret(v) if k in self.secret_keys else v) for k, v in self.config.items()}
        args_struct = struct_pb2.Struct()
        args_struct.update(args)
        # What provider_plugin.go Configure sends for the default pulumi-python provider: the legacy
        # `variables` map ("<pkg>:config:<key>" -> plaintext) plus `args` with secrets kept.
        self.configure_response = self._call(
            "Configure",
            _request(
                provider_pb2.ConfigureRequest,
                variables={f"pulumi-python:config:{k}": v for k, v in self.config.items()},
                args=args_struct,
                acceptSecrets=True,
                acceptResources=True,
                sends_old_inputs=True,
                sends_old_inputs_to_delete=True,
                urn=self.urn(provider_type, "default"),
                name="default",
                type=provider_type,
                id=str(uuid.uuid4()),
            ),
        )

    def _optional(self, method: str, request: Any) -> None:
        """A call the dynamic host does not implement; the engine goes on when it answers UNIMPLEMENTED."""
        try:
            self._call(method, request)
        except ProviderHostError as error:
            if error.code != grpc.StatusCode.UNIMPLEMENTED:
                raise

    def stop(self) -> None:
        with self._stop_lock:
            if self._stopped:
                return
            self._stopped = True
        if self._channel is not None:
            if self.process.poll() is None:
                # The engine ends every operation with Cancel (a no-op in the dynamic host).
                with contextlib.suppress(ProviderHostError, grpc.RpcError):
                    self._call("Cancel", empty_pb2.Empty())
            self._channel.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._stdout.join(5)
        self._stderr.join(5)
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()
        self._finalizer.detach()

    def __enter__(self) -> ProviderHost:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- observation

    def stdout_text(self) -> str:
        """Everything the host printed to stdout after the port line (the engine shows it as info)."""
        return self._stdout.text()

    def stderr_text(self) -> str:
        return self._stderr.text()

    def wait_for_output(
        self, needle: str, *, stream: Literal["stdout", "stderr"] = "stdout", timeout: float = 10.0
    ) -> bool:
        """Wait until ``needle`` shows up in the captured stream (the drain threads run asynchronously)."""
        drain = self._stdout if stream == "stdout" else self._stderr
        return drain.wait_for(needle, timeout)

    def traffic(self) -> bytes:
        """Every serialized request and response (and error details) that crossed the channel so far."""
        return self._traffic.data()

    def calls(self) -> list[str]:
        """The RPC method names called so far, in order (e.g. ``["GetPluginInfo", "Configure", "Check"]``)."""
        return self._traffic.calls()

    # -- RPCs

    def _call(self, method: str, request: Any) -> Any:
        try:
            return getattr(self.stub, method)(request, timeout=self.timeout)
        except grpc.RpcError as error:
            raise ProviderHostError(method, error.code(), error.details() or "") from None

    def urn(self, type_token: str, name: str) -> str:
        return f"urn:pulumi:{self.stack}::{self.project}::{type_token}::{name}"

    def check(self, type_token: str, name: str, olds: Mapping[str, Any], news: Mapping[str, Any],
              old_outputs: Mapping[str, Any] | None = None) -> CheckOutcome:
        response = self._call(
            "Check",
            _request(
                provider_pb2.CheckRequest,
                urn=self.urn(type_token, name),
                name=name,
                type=type_token,
                olds=encode_properties(olds),
                news=encode_properties(news),
                # Since the handshake said sendsOldOutputsToCheck, the engine adds the old outputs (none for a
                # create, and none for the second, olds-less Check of a replacement).
                old_outputs=encode_properties(old_outputs or {}),
                randomSeed=os.urandom(32),
            ),
        )
        return CheckOutcome(
            inputs=decode_properties(response.inputs),
            failures=[(f.property, f.reason) for f in response.failures],
        )

    def diff(self, state: ResourceState, news: Mapping[str, Any]) -> DiffOutcome:
        response = self._call(
            "Diff",
            _request(
                provider_pb2.DiffRequest,
                **_addressed(state),
                olds=encode_properties(state.outputs),
                news=encode_properties(news),
                old_inputs=encode_properties(state.inputs),
            ),
        )
        return DiffOutcome(
            changes=provider_pb2.DiffResponse.DiffChanges.Name(response.changes),
            replaces=list(response.replaces),
            delete_before_replace=bool(response.deleteBeforeReplace),
            detailed={key: provider_pb2.PropertyDiff.Kind.Name(value.kind)
                      for key, value in response.detailedDiff.items()} if response.hasDetailedDiff else None,
            diffs=list(response.diffs),
        )

    def create(self, type_token: str, name: str, properties: Mapping[str, Any]) -> ResourceState:
        _no_unknowns("Create", properties)
        urn = self.urn(type_token, name)
        response = self._call(
            "Create",
            _request(
                provider_pb2.CreateRequest,
                urn=urn,
                name=name,
                type=type_token,
                properties=encode_properties(properties),
            ),
        )
        if not response.id:
            raise EngineError(f"provider returned an empty id from Create for {urn}")
        return ResourceState(
            type_token=type_token,
            name=name,
            urn=urn,
            id=response.id,
            inputs=dict(properties),
            outputs=decode_properties(response.properties),
        )

    def read(self, state: ResourceState) -> ResourceState | None:
        response = self._call(
            "Read",
            _request(
                provider_pb2.ReadRequest,
                **_addressed(state),
                properties=encode_properties(state.outputs),
                inputs=encode_properties(state.inputs),
            ),
        )
        if not response.id:
            return None
        inputs = decode_properties(response.inputs) if response.HasField("inputs") else dict(state.inputs)
        return dataclasses.replace(state, id=response.id, inputs=inputs, outputs=decode_properties(response.properties))

    def read_for_import(self, type_token: str, name: str, id_: str) -> ResourceState | None:
        """ImportStep.Apply's Read (step.go): the id and the resource's address, no state and no inputs."""
        response = self._call("Read", _request(provider_pb2.ReadRequest, id=id_, urn=self.urn(type_token, name),
                                               name=name, type=type_token))
        if not response.id:
            return None
        if not response.HasField("inputs"):
            raise EngineError(f"provider does not support importing resources (no inputs for {id_})")
        return ResourceState(type_token, name, self.urn(type_token, name), response.id,
                             inputs=decode_properties(response.inputs),
                             outputs=decode_properties(response.properties))

    def update(self, state: ResourceState, news: Mapping[str, Any]) -> ResourceState:
        _no_unknowns("Update", news)
        response = self._call(
            "Update",
            _request(
                provider_pb2.UpdateRequest,
                **_addressed(state),
                olds=encode_properties(state.outputs),
                news=encode_properties(news),
                old_inputs=encode_properties(state.inputs),
            ),
        )
        return dataclasses.replace(state, inputs=dict(news), outputs=decode_properties(response.properties))

    def delete(self, state: ResourceState) -> None:
        self._call(
            "Delete",
            _request(
                provider_pb2.DeleteRequest,
                **_addressed(state),
                properties=encode_properties(state.outputs),
                old_inputs=encode_properties(state.inputs),
            ),
        )
