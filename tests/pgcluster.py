"""PostgreSQL servers of a test's own: a primary and its streaming replicas in a temporary directory.

Tests that stop, kill or lag a server must never touch the shared one (other test runs use it): these
are started with initdb/pg_ctl on their own ports (FRMR_TEST_PG_PORT_BASE, then the next ones; free
ports otherwise), as the `postgres` system user when run as root (initdb refuses root), and removed
afterwards. Durability is switched off (fsync), the replication is the real one: `pg_basebackup -R`
and WAL streaming.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

from tests.servers import free_port

_bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
PG_BIN = Path(os.environ.get("FRMR_TEST_PG_BIN", _bins[-1] if _bins else "/usr/bin"))
_PORT_BASE = int(os.environ.get("FRMR_TEST_PG_PORT_BASE", "0") or 0)
_ports = itertools.count(_PORT_BASE)


def next_port() -> int:
    # Without a base every server takes a free port (counting up from 0 would give port 1, 2, …).
    return next(_ports) if _PORT_BASE else free_port()


def available() -> str | None:
    """Why own servers cannot be started here, or None."""
    for name in ("initdb", "pg_ctl", "pg_basebackup", "pg_dump", "psql"):
        if not (PG_BIN / name).exists() and not shutil.which(name):
            return f"{name} not found (FRMR_TEST_PG_BIN: the PostgreSQL binaries)"
    return None


def _tool(name: str) -> str:
    path = PG_BIN / name
    return str(path) if path.exists() else name


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Server:
    def __init__(self, root: Path, name: str, port: int) -> None:
        self.root, self.name, self.port = root, name, port
        self.data = root / name
        self.log = root / f"{name}.log"

    def url(self, dbname: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, autocommit=True
        )

    def start(self, *settings: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off " + " ".join(
            f"-c {setting}" for setting in settings
        )
        subprocess.run(
            _as_postgres([_tool("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                          "-o", options, "start"]),
            check=True, capture_output=True,
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            _as_postgres([_tool("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop"]),
            check=False, capture_output=True,
        )  # fmt: skip

    def running(self) -> bool:
        pid_file = self.data / "postmaster.pid"
        return pid_file.exists()


class Cluster:
    """A primary (wal_level=replica) and replicas made from it by pg_basebackup -R."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="frmr-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self.primary = Server(self.root, "primary", next_port())
        self.replicas: list[Server] = []

    def start_primary(self) -> Server:
        subprocess.run(
            _as_postgres([_tool("initdb"), "-D", str(self.primary.data), "--auth=trust", "-U", "postgres",
                          "-E", "UTF8", "--locale=C.UTF-8"]),
            check=True, capture_output=True,
        )  # fmt: skip
        self.primary.start(
            "wal_level=replica", "max_wal_senders=8", "wal_keep_size=256MB", "shared_buffers=32MB"
        )
        return self.primary

    def add_replica(self) -> Server:
        replica = Server(self.root, f"replica{len(self.replicas) + 1}", next_port())
        subprocess.run(
            _as_postgres([_tool("pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary.port), "-U",
                          "postgres", "-D", str(replica.data), "-R", "-X", "stream", "-c", "fast"]),
            check=True, capture_output=True,
        )  # fmt: skip
        replica.start("shared_buffers=32MB", "hot_standby=on")
        self.replicas.append(replica)
        return replica

    def copy_database(self, *, source_url: str, dbname: str) -> None:
        """The source database (schema and committed rows) as `dbname` on the primary."""
        with self.primary.connect() as admin:
            admin.execute(f'CREATE DATABASE "{dbname}"')
        dump = subprocess.run(
            [_tool("pg_dump"), "--no-owner", "-d", source_url], check=True, capture_output=True
        )
        subprocess.run(
            [_tool("psql"), "-q", "-v", "ON_ERROR_STOP=1", "-d", self.primary.url(dbname)],
            input=dump.stdout, check=True, capture_output=True,
        )  # fmt: skip

    def wait_replayed(self, replica: Server, *, timeout: float = 60) -> None:
        """Until the replica has replayed everything the primary has written so far."""
        with self.primary.connect() as primary:
            target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]  # type: ignore[index]
        deadline = time.monotonic() + timeout
        with replica.connect() as standby:
            while time.monotonic() < deadline:
                row = standby.execute(
                    "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s) >= 0", [target]
                ).fetchone()
                if row and row[0]:
                    return
                time.sleep(0.1)
        raise AssertionError(f"{replica.name} did not replay {target} within {timeout} s")

    def destroy(self) -> None:
        for server in [*self.replicas, self.primary]:
            server.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)
