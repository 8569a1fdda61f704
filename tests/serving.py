"""A real `kyr serve` (uvicorn on 127.0.0.1) in a thread of the test process, and polling without sleeps."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from generator.preview import Preview
from generator.serve import Server, app, listen


def until(condition: Callable[[], object], timeout: float = 30.0, what: str = "the condition") -> object:
    """Poll ``condition`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    event = threading.Event()
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        event.wait(0.02)  # a bounded wait between polls, not a sleep that stands for a result


@contextlib.contextmanager
def serving(root: Path, watch: bool = True, check: bool = False) -> Iterator[tuple[str, Preview]]:
    """The preview of ``root`` on a free port; yields its base URL and its Preview. The first
    build has finished when it yields."""
    import uvicorn

    sock = listen(0)
    port = sock.getsockname()[1]
    preview = Preview(root, check=check)
    config = uvicorn.Config(app(Server(preview, port), watch=watch), log_level="warning", lifespan="on", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        until(lambda: server.started and preview.state.built_at or preview.state.error, 120, "the first build")
        yield f"http://127.0.0.1:{port}", preview
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()
