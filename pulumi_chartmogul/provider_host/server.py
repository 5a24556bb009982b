"""One server for both faces: the dynamic resources' provider host and the native ``chartmogul`` plugin.

:class:`ChartMogulServer` is Pulumi's dynamic-provider servicer (``sdk_server.py``) with every RPC of a resource of
ours written here once, for both faces (``faces.py``: only naming and finding the provider differ): ``Check``,
``Diff`` (with field-level detail), ``Create`` and ``Update`` (previews answered without a provider or a request),
``Read`` (an import of either face needs no launcher trick beyond the provider pickle the dynamic face must be given),
``Delete``; and, for the native face, ``GetSchema``, ``CheckConfig``, ``DiffConfig``, ``Configure``, ``Invoke`` and
``GetPluginInfo``. :data:`OVERRIDDEN_RPCS` lists them (a test holds the class to it). A dynamic type that is not ours
(another dynamic provider in the same program) reaches the SDK's code unchanged. It serves :data:`HOST_WORKERS`
calls at once instead of the SDK's 4.
"""

from __future__ import annotations

import asyncio
import functools
import sys
import threading
import traceback
from collections.abc import Callable, Mapping
from concurrent import futures
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..api.settings import MAX_IN_FLIGHT
from ..resources._base import PROVIDER_KEY
from . import sdk_server
from .faces import DYNAMIC, NATIVE, Face, NativeProviders, native_config, resource_name
from .importing import is_import_read, our_providers, provider_blobs, provider_classes
from .names import NATIVE_TOKENS, PACKAGE, type_token

if TYPE_CHECKING:
    from ..resources._base import ChartMogulProvider

# The engine runs up to --parallel steps at once (4 x CPUs unless set) and the SDK's host serves 4 of them; ours
# serves as many as ChartMogul takes in flight, so the engine's own bound decides below that. The threads start only
# as calls arrive, and the account's pace (api/pacing.py) keeps them together under its rate.
HOST_WORKERS = MAX_IN_FLIGHT

OVERRIDDEN_RPCS = ("Check", "CheckConfig", "Configure", "Create", "Delete", "Diff", "DiffConfig", "GetPluginInfo",
                   "GetSchema", "Invoke", "Read", "Update")

SdkServicer: Any = sdk_server.module().DynamicResourceProviderServicer
Handler = Callable[[Any, Any, Any], Any]  # an RPC method: (server, request, context)


def _serialize(props: Mapping[str, Any]) -> Any:
    from pulumi.runtime import rpc

    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(rpc.serialize_properties(dict(props), {}))
    finally:
        loop.close()


def _deserialize(struct: Any, keep_unknowns: bool = False) -> dict[str, Any]:
    from pulumi.runtime import rpc

    return dict(rpc.deserialize_properties(struct, keep_unknowns) or {})


# What an RPC of ours returns for a request that is not ours: the SDK's own method answers it, outside our error
# reporting (the SDK sets its own status codes, such as UNIMPLEMENTED for what a dynamic provider cannot do).
TO_SDK: Any = object()


def _reported(rpc_method: Handler) -> Handler:
    """An RPC whose failure reaches the engine as the error's message (ours) or a traceback (anything else)."""

    @functools.wraps(rpc_method)
    def call(self: Any, request: Any, context: Any) -> Any:
        from ..api.errors import ChartMogulError

        try:
            answer = rpc_method(self, request, context)
        except ChartMogulError as exc:
            context.abort(_grpc().StatusCode.UNKNOWN, str(exc))
        except Exception:
            context.abort(_grpc().StatusCode.UNKNOWN, traceback.format_exc())
        if answer is TO_SDK:
            return getattr(SdkServicer, rpc_method.__name__)(self, request, context)
        return answer

    return call


def _grpc() -> Any:
    import grpc

    return grpc


class ChartMogulServer(SdkServicer):  # type: ignore[misc]  # the SDK's class is untyped
    """The SDK's servicer, with every RPC of our resource types (of both faces) answered here."""

    def __init__(self, *, native: bool = False) -> None:
        super().__init__()
        self.native = native
        self._blobs = functools.cache(provider_blobs)
        self._dynamic_types = functools.cache(our_providers)
        self._native = NativeProviders(provider_classes)

    # -- which face, which provider -------------------------------------------------------------------

    def _face(self, token: str) -> Face | None:
        if token in NATIVE_TOKENS:
            return NATIVE
        if token in self._dynamic_types():
            return DYNAMIC
        return None

    def _provider(self, face: Face, token: str, *carriers: Mapping[str, Any]) -> ChartMogulProvider:
        """The native type's configured provider, or the one the dynamic face's pickle names (the first carrier
        whose pickle is known: a preview's new inputs may hold an unknown one)."""
        if face.native:
            return self._native.get(token)
        from pulumi.runtime import rpc

        carrier = next(props for props in carriers if props.get(PROVIDER_KEY) not in (None, rpc.UNKNOWN))
        provider: ChartMogulProvider = sdk_server.module().get_provider(carrier, self._config)
        return provider

    def _stable_outputs(self, face: Face | None, token: str) -> list[str]:
        """The outputs an update of this type keeps (its field policy's ``stable``), as the face names them."""
        if face is None:
            return []
        provider = provider_classes()[NATIVE_TOKENS[token]] if face.native else self._dynamic_types()[token]
        return [face.field(key) for key in sorted(provider.policy.stable)]

    @staticmethod
    def _token(request: Any) -> str:
        return getattr(request, "type", "") or type_token(request.urn)

    def _olds_and_news(self, request: Any, *, keep_unknowns: bool
                       ) -> tuple[Face, ChartMogulProvider, dict[str, Any], dict[str, Any]] | None:
        """For a request of ours that compares (Check, Diff, Update): its face, provider, olds and news as the wire
        has them; None for another type's."""
        token = self._token(request)
        face = self._face(token)
        if face is None:
            return None
        olds, news = _deserialize(request.olds, keep_unknowns), _deserialize(request.news, keep_unknowns)
        return face, self._provider(face, token, news, olds), olds, news

    # -- resources ----------------------------------------------------------------------------------

    @_reported
    def Check(self, request: Any, context: Any) -> Any:
        """Validation before anything is sent: one failure per bad field, named as the program names it."""
        from pulumi.runtime import proto

        ours = self._olds_and_news(request, keep_unknowns=True)
        if ours is None:
            return TO_SDK
        face, provider, olds, news = ours
        declared = face.incoming(news)
        if face.native:
            for field in provider.policy.named_by_resource:
                declared.setdefault(field, resource_name(request.urn))
        result = provider.check(face.incoming(olds), declared)
        inputs = {k: v for k, v in result.inputs.items() if k != PROVIDER_KEY}
        failures = [proto.CheckFailure(property=face.field(f.property), reason=f.reason) for f in result.failures]
        return proto.CheckResponse(inputs=_serialize(face.outgoing(inputs, news)), failures=failures)

    @_reported
    def Diff(self, request: Any, context: Any) -> Any:
        """The provider's decision, and each changed field as an update or a replacement (``detailedDiff``, from the
        rule the provider's diff uses: ``changed_fields``). ``pulumi.dynamic``'s ``DiffResult`` has no field-level
        detail, so the SDK's host answers ``replaces`` alone, and ``pulumi preview --json`` would say that something
        changes, not what."""
        from pulumi.runtime import proto

        ours = self._olds_and_news(request, keep_unknowns=True)
        if ours is None:
            return TO_SDK
        face, provider, olds, news = ours
        olds_in, news_in = face.incoming(olds), face.incoming(news)
        result = provider.diff(request.id, olds_in, news_in)
        if not result.changes:
            return proto.DiffResponse(changes=proto.DiffResponse.DIFF_NONE)
        replaces = list(result.replaces or [])
        changed = provider.changed_fields(olds_in, news_in)
        detail = {face.field(key): proto.PropertyDiff(
            kind=proto.PropertyDiff.UPDATE_REPLACE if key in replaces else proto.PropertyDiff.UPDATE, inputDiff=True)
            for key in changed}
        return proto.DiffResponse(
            changes=proto.DiffResponse.DIFF_SOME, replaces=[face.field(key) for key in replaces],
            deleteBeforeReplace=bool(result.delete_before_replace), diffs=[face.field(key) for key in changed],
            detailedDiff=detail, hasDetailedDiff=True)

    @_reported
    def Create(self, request: Any, context: Any) -> Any:
        """A create; a preview's is answered here with the inputs (the outputs unknown), sending nothing.

        A provider that does not say it supports previews gets none: the engine makes up a preview's outputs from the
        new inputs alone. That is right for a create, but an update's would lose its ``uuid``, and everything declared
        from it would look changed (``Update``). So this server supports previews, and answers them itself."""
        from pulumi.runtime import proto

        if request.preview:  # of any dynamic type too: this server says it supports previews
            return proto.CreateResponse(id="", properties=request.properties)
        token = self._token(request)
        face = self._face(token)
        if face is None:
            return TO_SDK
        props = _deserialize(request.properties)
        result = self._provider(face, token, props).create(face.incoming(props))
        return proto.CreateResponse(id=result.id, properties=_serialize(face.outgoing(result.outs or {}, props)))

    @_reported
    def Update(self, request: Any, context: Any) -> Any:
        """An update; a preview's is answered here: the new inputs plus the outputs the field policy calls stable
        (taken from the old state), so what is declared from them shows no change (without them, turning a data
        source's ``force_destroy`` on previewed each plan in it as a replacement, and renaming a plan previewed its
        plan groups as updates, though the ``up`` does neither)."""
        from google.protobuf import struct_pb2
        from pulumi.runtime import proto

        token = self._token(request)
        face = self._face(token)
        if request.preview:  # of any dynamic type too: this server says it supports previews
            properties = struct_pb2.Struct()
            properties.CopyFrom(request.news)
            for key in self._stable_outputs(face, token):
                if key in request.olds.fields and key not in properties.fields:
                    properties.fields[key].CopyFrom(request.olds.fields[key])
            return proto.UpdateResponse(properties=properties)
        ours = self._olds_and_news(request, keep_unknowns=False)
        if ours is None:
            return TO_SDK
        face, provider, olds, news = ours
        result = provider.update(request.id, face.incoming(olds), face.incoming(news))
        return proto.UpdateResponse(properties=_serialize(face.outgoing(result.outs or {}, news)))

    @_reported
    def Read(self, request: Any, context: Any) -> Any:
        """A refresh, ``get`` or import: the object as ChartMogul holds it, with inputs in the shape check gives them
        (so drift shows in the next diff), or no id when it is gone. An import of the dynamic face gets the provider
        pickle the engine cannot send (pulumi/pulumi#16175)."""
        from pulumi.runtime import proto

        token = self._token(request)
        face = self._face(token)
        if face is None:
            return TO_SDK
        props = _deserialize(request.properties)
        if not props and request.HasField("inputs"):
            props = _deserialize(request.inputs)
        if not face.native and is_import_read(request):
            props = {**props, PROVIDER_KEY: self._blobs()[token]}
        result = self._provider(face, token, props).read(request.id, face.incoming(props))
        if not result.id:
            return proto.ReadResponse()
        inputs = getattr(result, "inputs", None) or {}
        return proto.ReadResponse(id=result.id, properties=_serialize(face.outgoing(result.outs or {}, props)),
                                  inputs=_serialize(face.outgoing(inputs, props)))

    @_reported
    def Delete(self, request: Any, context: Any) -> Any:
        from google.protobuf import empty_pb2

        token = self._token(request)
        face = self._face(token)
        if face is None:
            return TO_SDK
        props = _deserialize(request.properties)
        self._provider(face, token, props).delete(request.id, face.incoming(props))
        return empty_pb2.Empty()

    # -- the native provider itself -----------------------------------------------------------------

    def Configure(self, request: Any, context: Any) -> Any:
        """The dynamic face keeps the stack config for the providers its pickles name (the SDK's); the native face
        configures one provider per type from its own inputs. Both support previews, and take no secrets back."""
        if not self.native:
            response = super().Configure(request, context)
            response.supportsPreview = True
            return response
        from pulumi.runtime import proto, rpc

        args = {k: rpc.unwrap_rpc_secret(v) for k, v in _deserialize(request.args).items()}
        self._native.configure(native_config(args))
        return proto.ConfigureResponse(acceptSecrets=False, supportsPreview=True, acceptResources=False)

    @_reported
    def CheckConfig(self, request: Any, context: Any) -> Any:
        """The provider's config, checked by the rules of the settings (the key's presence is left to the first call
        that needs it, which may find it in the environment)."""
        if not self.native:
            return TO_SDK
        from pulumi.runtime import proto

        from ..api.errors import ConfigurationError
        from ..api.settings import MISSING_KEY_MESSAGE, load_settings

        news = _deserialize(request.news, True)
        config = native_config({k: v for k, v in news.items() if not _unknown(v)})
        failures = []
        try:
            load_settings(config.get)
        except ConfigurationError as exc:
            if exc.message != MISSING_KEY_MESSAGE:
                failures.append(proto.CheckFailure(property=_config_key_named(exc.message), reason=exc.message))
        return proto.CheckResponse(inputs=request.news, failures=failures)

    @_reported
    def DiffConfig(self, request: Any, context: Any) -> Any:
        """A change of key, endpoint or any other setting updates the provider; it never replaces a resource."""
        if not self.native:
            return TO_SDK
        from pulumi.runtime import proto, rpc

        def settings(struct: Any) -> dict[str, Any]:
            return {k: rpc.unwrap_rpc_secret(v) for k, v in _deserialize(struct, True).items() if k != "version"}

        olds, news = settings(request.olds), settings(request.news)
        changed = sorted(key for key in olds.keys() | news.keys() if olds.get(key) != news.get(key))
        if not changed:
            return proto.DiffResponse(changes=proto.DiffResponse.DIFF_NONE)
        return proto.DiffResponse(changes=proto.DiffResponse.DIFF_SOME, diffs=changed)

    @_reported
    def Invoke(self, request: Any, context: Any) -> Any:
        """A lookup (``chartmogul:index:getPlan`` ...), read with the native provider's configuration."""
        if not self.native:
            return TO_SDK
        from .invoke import invoke

        return invoke(request, self._native.get(next(iter(NATIVE_TOKENS))))

    def GetSchema(self, request: Any, context: Any) -> Any:
        if not self.native:
            return super().GetSchema(request, context)
        from pulumi.runtime import proto

        from .schema import schema_json

        return proto.GetSchemaResponse(schema=schema_json())

    def GetPluginInfo(self, request: Any, context: Any) -> Any:
        if not self.native:
            return super().GetPluginInfo(request, context)
        from pulumi.runtime import proto

        return proto.PluginInfo(version=__version__)


def _unknown(value: Any) -> bool:
    from pulumi.runtime.rpc import contains_unknowns

    return bool(contains_unknowns(value))


def _config_key_named(message: str) -> str:
    """The provider input a settings error names (``chartmogul:timeoutSeconds must be ...`` → ``timeoutSeconds``)."""
    from ..api.settings import PROVIDER_CONFIG

    return next((key.name for key in PROVIDER_CONFIG if key.key in message), "")


def serve(*, native: bool = False) -> None:
    """What the SDK's ``main`` does (``sdk_server.SDK_ENTRY_POINT``), with our server on :data:`HOST_WORKERS`
    threads: serve on a free loopback port, tell the engine the port on stdout, and wait."""
    import grpc
    from pulumi.runtime.proto import provider_pb2_grpc

    pool = futures.ThreadPoolExecutor(max_workers=HOST_WORKERS, thread_name_prefix=f"{PACKAGE}-host")
    server = grpc.server(pool, options=sdk_server.module()._GRPC_CHANNEL_OPTIONS)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(ChartMogulServer(native=native), server)
    port = server.add_insecure_port(address="127.0.0.1:0")
    server.start()
    sys.stdout.buffer.write(f"{port}\n".encode())
    sys.stdout.buffer.flush()
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop(0)
