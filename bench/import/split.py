"""One import, with the CPU of each party: this process, the worker process, the PostgreSQL backend.

Usage (from the repository root, after `bash bench/import/run.sh 50000` made the database and file):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/frmr_bench_import PYTHONPATH=. \\
        .venv/bin/python bench/import/split.py var/bench/import/employees_50000.csv [--sequential]

The register's tables are emptied first. PostgreSQL must run on this machine (its backend's CPU is read
from /proc). On 2 cores the wall time cannot go below half the sum of the three.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

from register import bench_organization, empty_register  # bench/import/register.py, beside this script

from frmr.audit.actors import SYSTEM


def main() -> None:
    organization = bench_organization()
    from django.db import connection

    from frmr.imports import engine

    path = Path(sys.argv[1])
    with connection.cursor() as cursor:
        empty_register(cursor)
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    def backend_cpu() -> float:
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    load = Path("/proc/loadavg").read_text().split()[0]
    server = backend_cpu()
    wall, cpu = time.perf_counter(), time.process_time()
    result = engine.run_import(
        organization=organization,
        actor=SYSTEM,
        path=path,
        name=path.name,
        dry_run=False,
        pipeline=False if "--sequential" in sys.argv else None,
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"wall={wall:.2f} main_cpu={cpu:.2f} worker_cpu={children.ru_utime + children.ru_stime:.2f} "
        f"postgres_cpu={backend_cpu() - server:.2f} load1={load} created={result.counts['create']}"
    )


if __name__ == "__main__":
    main()
