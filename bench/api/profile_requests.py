"""Profile GET /api/frmr/person?snils= in-process: a loop of WSGI requests, timed and profiled.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/frmr_bench_api DJANGO_DEBUG=0 \
      .venv/bin/python bench/api/profile_requests.py --token T --mo OID --snils-file var/bench/api/snils.txt \
      [--n 2000] [--wsgi config.wsgi] [--profiler pyinstrument|cprofile|none]

Requests go through the WSGI application itself (no sockets), so what is measured is the server-side
Python and the database round trips, the part gunicorn's workers spend per request.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _environ(path: str, query: str, token: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--token", required=True)
    parser.add_argument("--mo", required=True)
    parser.add_argument("--snils-file", required=True)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--wsgi", default="config.wsgi")
    parser.add_argument("--profiler", default="pyinstrument", choices=["pyinstrument", "cprofile", "none"])
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    application = importlib.import_module(args.wsgi).application
    snils = Path(args.snils_file).read_text().split()

    def one(i: int) -> float:
        started = time.perf_counter()
        status: list[str] = []
        body = application(
            _environ("/api/frmr/person", f"mo={args.mo}&snils={snils[i % len(snils)]}", args.token),
            lambda s, h, exc_info=None: status.append(s),
        )
        b"".join(body)
        if hasattr(body, "close"):
            body.close()
        if not status[0].startswith("200"):
            raise SystemExit(f"request {i}: {status[0]}")
        return (time.perf_counter() - started) * 1000

    for i in range(50):  # warm-up: imports, connection, caches
        one(i)
    times: list[float] = []
    cpu_started = time.process_time()
    if args.profiler == "pyinstrument":
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        profiler.start()
        times = [one(i) for i in range(args.n)]
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    elif args.profiler == "cprofile":
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        times = [one(i) for i in range(args.n)]
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
    else:
        times = [one(i) for i in range(args.n)]
    cpu = (time.process_time() - cpu_started) * 1000 / args.n
    times.sort()
    print(
        f"PROFILE wsgi={args.wsgi} n={args.n} median_ms={statistics.median(times):.2f} "
        f"p99_ms={times[int(len(times) * 0.99)]:.2f} client_cpu_ms_per_request={cpu:.2f}"
    )


if __name__ == "__main__":
    main()
