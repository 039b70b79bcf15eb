"""Starting a server process for a test and waiting until it answers over HTTP."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_serving(process: subprocess.Popen[bytes], url: str, log_path: Path, *, name: str) -> None:
    """Return once `url` answers; raise with the process's log if it exits or stays silent for 90 s.

    Each attempt waits up to 15 s for its answer: a first request may be slow on a loaded machine (the
    API builds its OpenAPI document on first use), and giving up on it after a second only queues more
    requests behind it in a single-threaded server.
    """
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited: {log_path.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(url, timeout=15):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(f"{name} did not answer within 90 s: {log_path.read_text(errors='replace')}")
