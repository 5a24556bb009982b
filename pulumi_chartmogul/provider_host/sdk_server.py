"""The SDK's dynamic-provider server module (``pulumi/dynamic/__main__.py``), loaded without serving.

That module starts its server when it is executed (its last statement is ``main()``), so it cannot be imported for
its servicer class. It is loaded here from its source with that one statement left out, and nothing else changed:
our host (``server.py``) subclasses its ``DynamicResourceProviderServicer`` and serves it the way its ``main`` does,
with more workers. :data:`SDK_ENTRY_POINT` is what that ``main`` was when our ``serve`` was written; a test fails as
soon as an SDK's differs, so a change there is read before it can slip under our host.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import types

MODULE = "pulumi.dynamic.__main__"
SERVICER = "DynamicResourceProviderServicer"

# The SDK's ``main`` (``ast.unparse``d: comments and layout aside; the same from SDK 3.139 to 3.272): the servicer,
# a gRPC server on a pool of 4 threads with the SDK's channel options, an insecure port on 127.0.0.1 whose number
# goes to stdout, then a wait. ``server.serve`` does the same with our servicer and pool.
SDK_ENTRY_POINT = """\
def main():
    monitor = DynamicResourceProviderServicer()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), options=_GRPC_CHANNEL_OPTIONS)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(monitor, server)
    port = server.add_insecure_port(address='127.0.0.1:0')
    server.start()
    sys.stdout.buffer.write(f'{port}\\n'.encode())
    try:
        Event().wait()
    except KeyboardInterrupt:
        server.stop(0)"""


class UnknownSdkServer(RuntimeError):
    """The installed SDK's dynamic-provider server is not the one this host was written against."""


def _source_tree() -> tuple[ast.Module, str]:
    spec = importlib.util.find_spec(MODULE)
    if spec is None or spec.loader is None or spec.origin is None:
        raise UnknownSdkServer(f"the Pulumi SDK has no module {MODULE}")
    source = spec.loader.get_source(MODULE)  # type: ignore[attr-defined]
    if source is None:
        raise UnknownSdkServer(f"the source of {MODULE} is not installed")
    return ast.parse(source, spec.origin), spec.origin


def entry_point() -> str:
    """The installed SDK's ``main``, unparsed, to hold against :data:`SDK_ENTRY_POINT`."""
    tree, _ = _source_tree()
    main = next((node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "main"), None)
    if main is None:
        raise UnknownSdkServer(f"{MODULE} has no main()")
    return ast.unparse(main)


def _serves_when_run(statement: ast.stmt) -> bool:
    return (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Name) and statement.value.func.id == "main")


@functools.cache
def module() -> types.ModuleType:
    """The SDK's server module, executed but for its closing ``main()``."""
    tree, origin = _source_tree()
    if not tree.body or not _serves_when_run(tree.body[-1]):
        raise UnknownSdkServer(f"{MODULE} no longer ends with main(): read it before serving it")
    tree.body.pop()
    loaded = types.ModuleType(f"{MODULE}_without_main")
    loaded.__file__ = origin
    exec(compile(tree, origin, "exec"), loaded.__dict__)
    if not isinstance(getattr(loaded, SERVICER, None), type):
        raise UnknownSdkServer(f"{MODULE} has no class {SERVICER}")
    return loaded
