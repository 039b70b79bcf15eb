"""Page through every PractitionerRole of one organization over HTTP, timing each page, in rounds that
alternate with a floor: the cheapest authenticated read of the same server (`Organization/<id>`).

    .venv/bin/python bench/fhir/page_through.py --base http://127.0.0.1:8470/fhir --token T --mo OID \
        [--count 100] [--rounds 5] [--floor 200] [--include]

Only the standard library: one keep-alive HTTP connection, as a МИС syncing its copy would use.
Prints a ROUND line per round (with the load average) and a RESULT line: per-page p50/p95/max, the
floor's p50/p95, and the ratio of the p95s. bench/fhir/README.md explains the numbers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import time
from urllib.parse import urlsplit


def load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


class Session:
    def __init__(self, base: str, token: str) -> None:
        parts = urlsplit(base)
        self.conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=60)
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/fhir+json"}

    def get(self, path: str) -> tuple[float, dict]:
        start = time.perf_counter()
        self.conn.request("GET", path, headers=self.headers)
        response = self.conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            raise SystemExit(f"{path}: HTTP {response.status} {body[:300]!r}")
        return elapsed, json.loads(body)


def page_through(session: Session, first: str) -> tuple[list[float], int]:
    times: list[float] = []
    roles = 0
    path: str | None = first
    while path is not None:
        elapsed, bundle = session.get(path)
        times.append(elapsed)
        roles += sum(1 for e in bundle.get("entry", []) if e["search"]["mode"] == "match")
        nxt = next((link["url"] for link in bundle["link"] if link["relation"] == "next"), None)
        path = None
        if nxt is not None:
            parts = urlsplit(nxt)
            path = f"{parts.path}?{parts.query}"
    return times, roles


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--mo", required=True)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--floor", type=int, default=200, help="floor requests per round")
    parser.add_argument("--include", action="store_true", help="_include=PractitionerRole:practitioner")
    args = parser.parse_args()
    session = Session(args.base, args.token)
    prefix = urlsplit(args.base).path.rstrip("/")
    floor_path = f"{prefix}/Organization/{args.mo}"
    first = f"{prefix}/PractitionerRole?organization=Organization/{args.mo}&_count={args.count}"
    if args.include:
        first += "&_include=PractitionerRole:practitioner"
    session.get(floor_path)  # connect, and let the server warm its token memory
    pages: list[float] = []
    floors: list[float] = []
    for n in range(1, args.rounds + 1):
        before = load()
        round_floor = [session.get(floor_path)[0] for _ in range(args.floor)]
        round_pages, roles = page_through(session, first)
        floors += round_floor
        pages += round_pages
        print(
            f"ROUND {n}: {len(round_pages)} pages, {roles} roles; page p50 "
            f"{statistics.median(round_pages) * 1000:.1f} ms p95 {p95(round_pages) * 1000:.1f} ms; "
            f"floor p50 {statistics.median(round_floor) * 1000:.1f} ms p95 {p95(round_floor) * 1000:.1f} ms; "
            f"load {before} -> {load()}",
            flush=True,
        )
    print(
        f"RESULT _count={args.count}{' _include' if args.include else ''}: {len(pages)} pages; page p50 "
        f"{statistics.median(pages) * 1000:.1f} ms, p95 {p95(pages) * 1000:.1f} ms, "
        f"max {max(pages) * 1000:.1f} ms; "
        f"floor p50 {statistics.median(floors) * 1000:.1f} ms, p95 {p95(floors) * 1000:.1f} ms; "
        f"ratio of p95s {p95(pages) / p95(floors):.1f}"
    )


if __name__ == "__main__":
    main()
