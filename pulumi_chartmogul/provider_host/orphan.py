"""The host ends with the engine that started it.

The SDK's server waits forever once it serves (``pulumi/dynamic/__main__.py``), and the CLI starts plugins in
their own process group: an engine killed with SIGKILL (a cancelled CI job) leaves its provider host running
for good. The engine is the host's parent (the launcher ``exec``s Python), so a new parent means it is gone.
"""

from __future__ import annotations

import os
import threading
import time

POLL_SECONDS = 1.0


def exit_with_parent(poll_seconds: float = POLL_SECONDS) -> threading.Thread:
    """A daemon thread that ends this process as soon as its parent process is no longer the one it started with."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_seconds)
        os._exit(0)  # nothing to flush: the engine that would read it is gone

    thread = threading.Thread(target=watch, name="exit-with-engine", daemon=True)
    thread.start()
    return thread
