"""Command line: ``python -m pulumi_chartmogul.emulator [--host] [--port] [--db] [--api-key] ...``.

The first line on stdout is the API root, printed once the server accepts connections; nothing else is
written to stdout, so a parent process can read the root with one ``readline()``. Logs go to stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import signal
import socket
import sys

import uvicorn

from .account import Account
from .app import create_app
from .cli import parse_args
from .controls import Controls
from .store import Store


async def serve(args: argparse.Namespace) -> None:
    store = Store(args.db, seed=args.seed)
    controls = Controls(rate_limit=args.rate_limit, max_connections=args.max_connections)
    app = create_app(store, controls, api_key=args.api_key, latency_ms=args.latency_ms,
                     account=Account(id=args.account_id, name=args.account_name))
    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # uvicorn writes headers and body separately; without NODELAY (inherited by accepted sockets on Linux)
    # Nagle's algorithm meets the client's delayed ACK and every response costs ~40 ms.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((args.host, args.port))
    host, port = sock.getsockname()[:2]
    # uvicorn's default config sends the access log to stdout; the parent reads only the first line, so the
    # pipe would fill up and block the server. Every log line goes to stderr.
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config["handlers"]["access"]["stream"] = "ext://sys.stderr"
    config = uvicorn.Config(app, log_config=log_config, log_level="info", access_log=True, timeout_keep_alive=30,
                            lifespan="off", server_header=False, date_header=True)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                await task  # startup failed: surface the error
                return
            await asyncio.sleep(0.01)
        shown_host = f"[{host}]" if family == socket.AF_INET6 else host
        print(f"http://{shown_host}:{port}/v1", flush=True)
        await task
    finally:
        # Every write is committed as it happens; closing checkpoints the WAL into the file.
        store.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # uvicorn re-raises SIGTERM after its graceful shutdown; with the default disposition that kills the
    # process (exit 143) before the store is closed. Treat it like Ctrl-C instead: clean close, exit 0.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
