"""Fault tests of the task worker: a real `manage.py task_worker` against the test database, and the
database outage (PostgreSQL only: the worker is another process and must see the test's data).

The outage: by default every connection to the test database is terminated and new ones refused for
a few seconds (`pg_terminate_backend`, `ALLOW_CONNECTIONS false`), which touches no other database
on the server (other test runs may share it). With FRMR_FAULT_PG_RESTART=1 (CI, a server of its own)
the whole server is restarted instead (`pg_ctlcluster … restart`), as in production.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
PG_RESTART = os.environ.get("FRMR_FAULT_PG_RESTART") == "1"
PG_CLUSTER = os.environ.get("FRMR_FAULT_PG_CLUSTER", "15 main").split()


def wait_for(predicate: Callable[[], Any], *, timeout: float, what: str, log: Path | None = None) -> Any:
    """Poll until `predicate()` is truthy; fail with `what` (and the worker's log) after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    detail = (
        f"\n--- worker log ---\n{log.read_text(errors='replace')[-6000:]}" if log and log.exists() else ""
    )
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}{detail}")


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class WorkerProcess:
    """`manage.py task_worker` in a subprocess with short heartbeat, lease and sweep periods."""

    def __init__(self, log: Path, worker_id: str, command: str = "task_worker", **env: str) -> None:
        self.log_path = log
        self.worker_id = worker_id
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url(),
            "FRMR_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "FRMR_TASKS_BACKEND": "frmr.taskqueue.backend.DatabaseBackend",
            "FRMR_WORKER_HEARTBEAT_SECONDS": "1",
            "FRMR_WORKER_LEASE_SECONDS": "4",
            "FRMR_WORKER_SWEEP_SECONDS": "1",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        self._log = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", command, "--no-reload", "--no-startup-delay",
             "--interval", "0.2", "--worker-id", worker_id],
            cwd=ROOT, env=environment, stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill9(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def database_outage(seconds: float) -> None:
    """Take the test database away for about `seconds`, then bring it back (see the module's doc)."""
    if PG_RESTART:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *PG_CLUSTER, "stop"], check=True)
        time.sleep(seconds)
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *PG_CLUSTER, "start"], check=True)
        connection.close()  # the test's own connection went with the server
        return
    db = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (own_pid,) = cursor.fetchone()
    # From another database: PostgreSQL refuses to close the database one is connected to.
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f'ALTER DATABASE "{db["NAME"]}" ALLOW_CONNECTIONS false')
        try:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
                [db["NAME"], own_pid],
            )
            time.sleep(seconds)
        finally:
            admin.execute(f'ALTER DATABASE "{db["NAME"]}" ALLOW_CONNECTIONS true')
