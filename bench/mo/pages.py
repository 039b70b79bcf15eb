"""Time the employer cabinet's pages for the largest organization of a generated register.

    DATABASE_URL=postgres://postgres@127.0.0.1:8461/frmr_mo_bench .venv/bin/python bench/mo/pages.py \
        [--rounds 30] [--markdown]

Every page is requested through Django's test client (no HTTP server) by a throw-away operator of the
organization with the most roster rows (user `bench-operator`, created on the first run). Rounds
alternate: in each round every page is requested once, in the same order, next to the floor — a bare
primary-key lookup of one roster row through the same connection — so that a change of the machine's
load moves both. Prints p50 and p95 of each page, its ratio to the floor's p50, its number of SQL
queries (fixed whatever the page), the p50 of the time its queries took (as Django measures them: the
database's share of the page), and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from frmr.accounts.models import RoleGrant, User  # noqa: E402
from frmr.accounts.roles import Role  # noqa: E402
from frmr.registry.models import EmploymentCard, Organization, RosterEntry, RosterStatus  # noqa: E402
from frmr.registry.search import _encode  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def pages_for(org: Organization) -> list[tuple[str, str]]:
    entries = RosterEntry.objects.filter(organization=org)
    total = entries.count()
    middle = entries.order_by("search_name", "person_id")[total // 2]
    # A working employee with an ordinary surname, a few pages in (the typo swaps two letters).
    sample = entries.filter(status=RosterStatus.WORKING).order_by("-person_id").first()
    assert sample is not None
    last, first = sample.name.split()[:2]
    typo = last[:-3] + last[-2] + last[-3] + last[-1]
    card = EmploymentCard.objects.filter(organization=org, person_id=sample.person_id).first()
    assert card is not None
    deep = _encode("n", [middle.search_name, middle.person_id])
    return [
        ("employees, first page", "/mo/"),
        (f"deep page (row {total // 2:,} of {total:,})", f"/mo/?after={deep}"),
        ("surname", f"/mo/?q={last}"),
        ("surname + first name", f"/mo/?q={last}+{first}"),
        ("typo in the surname", f"/mo/?q={typo}"),
        ("СНИЛС", f"/mo/?q={sample.snils}"),
        ("department", f"/mo/?department={card.department_id}"),
        ("position", f"/mo/?position={card.position_id}"),
        ("status=current", "/mo/?status=current"),
        ("status=dismissed", "/mo/?status=dismissed"),
        ("surname + status=dismissed", f"/mo/?q={last}&status=dismissed"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--markdown", action="store_true", help="print the result as a Markdown table")
    args = parser.parse_args()
    biggest = RosterEntry.objects.values("organization").annotate(n=Count("id")).order_by("-n").first()
    if biggest is None:
        raise SystemExit("empty roster: generate a register first (bench/README.md)")
    org = Organization.objects.get(pk=biggest["organization"])
    user, _ = User.objects.get_or_create(
        username="bench-operator", defaults={"last_name": "Замеров", "first_name": "Оператор"}
    )
    RoleGrant.objects.get_or_create(user=user, role=Role.OPERATOR, organization=org)
    client = Client()
    client.force_login(user)
    pages = pages_for(org)
    floor_pk = RosterEntry.objects.filter(organization=org).values_list("pk", flat=True).first()

    def floor() -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM registry_rosterentry WHERE id = %s", [floor_pk])
            cursor.fetchone()
        return time.perf_counter() - started

    load_before = os.getloadavg()
    times: dict[str, list[float]] = {url: [] for _, url in pages}
    sql: dict[str, list[float]] = {url: [] for _, url in pages}
    floors: list[float] = []
    queries: dict[str, int] = {}
    found: dict[str, str] = {}
    for _, url in pages:  # warm-up, and the count of queries
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries[url] = len(captured.captured_queries)
        text = response.content.decode()
        found[url] = text.split("Найдено: ")[1].split("<")[0] if "Найдено: " in text else "?"
    for _ in range(args.rounds):
        for _, url in pages:
            floors.append(floor())
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                client.get(url)
                times[url].append(time.perf_counter() - started)
            sql[url].append(sum(float(q["time"]) for q in captured.captured_queries))
    load_after = os.getloadavg()
    floor_p50 = statistics.median(floors) * 1000
    settings = {}
    with connection.cursor() as cursor:
        for name in ("jit", "shared_buffers", "work_mem", "random_page_cost"):
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    print(
        f"{org.name_short} ({org.oid}): {biggest['n']:,} roster rows; {connection.vendor}; "
        f"{args.rounds} rounds; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after; "
        f"floor (primary-key lookup) p50 {floor_p50:.2f} ms; "
        + ", ".join(f"{k}={v}" for k, v in settings.items())
    )
    if args.markdown:
        print("| page | found | p50 ms | p95 ms | p50 / floor | SQL p50 ms | queries |")
        print("|---|---|---|---|---|---|---|")
    for label, url in pages:
        p50 = statistics.median(times[url]) * 1000
        p95 = percentile(times[url], 0.95) * 1000
        ratio = p50 / floor_p50
        db = statistics.median(sql[url]) * 1000
        if args.markdown:
            print(
                f"| {label} | {found[url]} | {p50:.1f} | {p95:.1f} | {ratio:.0f}× "
                f"| {db:.0f} | {queries[url]} |"
            )
        else:
            print(
                f"{p50:7.1f} {p95:7.1f} ms  ×{ratio:5.0f}  SQL {db:5.0f} ms  {queries[url]:2d} q  "
                f"{found[url]:>12}  {label}"
            )


if __name__ == "__main__":
    main()
