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


class AppServer:
    """The site under gunicorn (config.wsgi: site and API) in a subprocess, on its own port and settings.

    `env` adds to (or overrides) this process's environment: DATABASE_URL and the like. Stopped with
    `stop()`; its log is kept in `log_path` for a failing test's message.
    """

    def __init__(self, log_path: Path, port: int, *, threads: int = 4, workers: int = 1, **env: str) -> None:
        import os
        import sys

        self.port = port
        self.log_path = log_path
        self.url = f"http://127.0.0.1:{port}"
        root = Path(__file__).resolve().parents[1]
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self._log = log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--threads", str(threads), "--timeout", "120"],
            cwd=root, env=environment, stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until_serving(self.process, f"{self.url}/healthz", log_path, name=f"gunicorn :{port}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def ci_only_reason() -> str | None:
    """The named reason a test that starts servers of its own is skipped outside CI, or None in CI."""
    import os

    if os.environ.get("CI") != "true":
        return "starts its own PostgreSQL servers and processes: runs under CI=true (scripts/test.sh)"
    return None


_app_ports: list[int] = []


def next_app_port() -> int:
    """A port for a test's own app server: FRMR_TEST_HTTP_PORT_BASE and up when set, a free one otherwise."""
    import os

    base = int(os.environ.get("FRMR_TEST_HTTP_PORT_BASE", "0") or 0)
    if not base:
        return free_port()
    _app_ports.append(base + len(_app_ports))
    return _app_ports[-1]
