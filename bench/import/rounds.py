"""Alternating rounds: PostgreSQL's COPY of the file, the import of the file, and the schema's floor.

Usage (from the repository root, after `bash bench/import/run.sh 50000` made the database and file):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/frmr_bench_import PYTHONPATH=. \\
        .venv/bin/python bench/import/rounds.py var/bench/import/employees_50000.csv [ROUNDS]

Each round, in this order, with the 1-minute load average taken before each part:

* `copy`: psql `\\copy` of the file into a plain table of text columns (no checks, no indexes), the
  issue's yardstick;
* `import`: `engine.run_import` of the file into the emptied register (this process and its worker);
* `floor`: the rows the first import wrote (persons, passports, diplomas, cards, audit entries, change
  events), read back once with `COPY … TO`, written again into the emptied register with `COPY … FROM`
  in one transaction — what PostgreSQL alone spends to store them with the schema's indexes, unique
  and check constraints and deferred foreign keys, with no checking, planning or formatting at all.
  No import that writes these rows to this schema can be faster than this.

Prints one line per part and the medians with the ratios import/copy and floor/copy. Peak memory:
the largest resident set of this process and of its worker (`ru_maxrss`, the largest child) after
the first import, before the floor's dumps are read into this process.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from register import bench_organization, empty_register  # bench/import/register.py, beside this script

from frmr.audit.actors import SYSTEM

WRITTEN = (
    "registry_person",
    "registry_identitydocument",
    "registry_professionaleducation",
    "registry_employmentcard",
    "audit_auditentry",
    "changes_changeevent",
)


def load1() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def main() -> None:
    organization = bench_organization()
    from django.conf import settings
    from django.db import connection, transaction

    from frmr.imports import engine

    path = Path(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    db = settings.DATABASES["default"]
    psql = [
        "psql",
        "-h",
        db["HOST"] or "127.0.0.1",
        "-U",
        db["USER"],
        "-d",
        db["NAME"],
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
    ]
    with path.open(encoding="utf-8") as f:
        header = f.readline()
    columns = ", ".join(f"c{i} text" for i in range(1, header.count(";") + 2))

    def copy_file() -> float:
        subprocess.run(
            [*psql, "-c", "DROP TABLE IF EXISTS bench_copy", "-c", f"CREATE TABLE bench_copy ({columns})"],
            check=True,
        )
        start = time.perf_counter()
        subprocess.run(
            [
                *psql,
                "-c",
                f"\\copy bench_copy FROM '{path}' "
                "WITH (FORMAT csv, DELIMITER ';', HEADER true, ENCODING 'UTF8')",
            ],
            check=True,
        )
        return time.perf_counter() - start

    def run_import() -> tuple[float, float, int]:
        with connection.cursor() as cursor:
            empty_register(cursor)
        start, cpu = time.perf_counter(), time.process_time()
        result = engine.run_import(
            organization=organization, actor=SYSTEM, path=path, name=path.name, dry_run=False
        )
        return time.perf_counter() - start, time.process_time() - cpu, result.counts["create"]

    dumps: dict[str, bytes] = {}

    def floor() -> tuple[float, str]:
        if not dumps:
            with connection.cursor() as cursor:
                for table in WRITTEN:
                    with cursor.cursor.copy(f"COPY {table} TO STDOUT") as copy:
                        dumps[table] = b"".join(bytes(block) for block in copy)
        with connection.cursor() as cursor:
            empty_register(cursor)
        parts = []
        start = time.perf_counter()
        with transaction.atomic():
            with connection.cursor() as cursor:
                for table, data in dumps.items():
                    began = time.perf_counter()
                    with cursor.cursor.copy(f"COPY {table} FROM STDIN") as copy:
                        copy.write(data)
                    parts.append(f"{table.split('_', 1)[1]}={time.perf_counter() - began:.2f}")
            began = time.perf_counter()
        # The COMMIT runs the deferred foreign-key checks.
        parts.append(f"commit={time.perf_counter() - began:.2f}")
        return time.perf_counter() - start, " ".join(parts)

    times: dict[str, list[float]] = {"copy": [], "import": [], "floor": []}
    for n in range(1, rounds + 1):
        load = load1()
        seconds = copy_file()
        times["copy"].append(seconds)
        print(f"round={n} part=copy wall={seconds:.2f} load1={load}", flush=True)
        load = load1()
        seconds, cpu, created = run_import()
        times["import"].append(seconds)
        print(
            f"round={n} part=import wall={seconds:.2f} main_cpu={cpu:.2f} created={created} load1={load}",
            flush=True,
        )
        if n == 1:  # before the floor's dumps are held in this process
            own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        load = load1()
        seconds, parts = floor()
        times["floor"].append(seconds)
        print(f"round={n} part=floor wall={seconds:.2f} {parts} load1={load}", flush=True)
    median = {part: statistics.median(values) for part, values in times.items()}
    print(
        f"RESULT file={path.name} rounds={rounds} "
        f"copy_s={median['copy']:.2f} import_s={median['import']:.2f} "
        f"floor_s={median['floor']:.2f} import/copy={median['import'] / median['copy']:.1f}x "
        f"floor/copy={median['floor'] / median['copy']:.1f}x "
        f"peak_rss_main_mb={own} peak_rss_child_mb={child} cores={os.cpu_count()}"
    )


if __name__ == "__main__":
    main()
