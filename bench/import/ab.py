"""Import one file several times in a row on one database, to compare under the same machine load.

Usage (from the repository root, after `bash bench/import/profile.sh 10000` made the database and file):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/frmr_bench_import_profile PYTHONPATH=. \\
        .venv/bin/python bench/import/ab.py var/bench/import/employees_10000.csv 1000 5000 1000

Each argument is one run with that chunk size; before each run the register's tables are emptied.
"""

from __future__ import annotations

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
    for size in sys.argv[2:]:
        with connection.cursor() as cursor:
            empty_register(cursor)
        load = Path("/proc/loadavg").read_text().split()[0]
        wall, cpu = time.perf_counter(), time.process_time()
        result = engine.run_import(
            organization=organization,
            actor=SYSTEM,
            path=path,
            name=path.name,
            dry_run=False,
            chunk_size=int(size),
        )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"chunk={size:6s} wall={wall:.2f} cpu={cpu:.2f} load1={load} created={result.counts['create']}")


if __name__ == "__main__":
    main()
