"""Time the accreditation centre's queue (`/fac/`) on a generated year of applications.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/frmr_fac_bench DJANGO_DEBUG=1 \
      .venv/bin/python bench/fac/pages.py [--rounds 20]

Needs a register and applications (bench/fac/README.md: generate_register, generate_applications).
Requests go through Django's test client (no HTTP server) as a throw-away centre employee
(`bench-fac-staff`, created on the first run). Rounds alternate: each round asks every page once, and
the floor — one primary-key lookup of an application through the same connection, the least a page
can cost — once between pages, so the load of the machine falls on all of them alike. Printed per
page: p50 and p95 over the rounds, the p50 as a multiple of the floor's p50, the query count (the
same in every round, or the run fails), the status; the load average before and after.
DJANGO_DEBUG=1 only so that Django records the queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from frmr.accounts.models import Role, RoleGrant, User  # noqa: E402
from frmr.accreditation.models import IN_WORK, Application  # noqa: E402
from frmr.accreditation.queue import KEYS, QueueFilters, queue_filtered  # noqa: E402
from frmr.core import keyset  # noqa: E402


def cursor_at(user: User, filters: QueueFilters, offset: int) -> str:
    """The cursor of the row `offset` rows into the list: the link «Дальше →» of a deep page."""
    applications = queue_filtered(user=user, filters=filters).queryset
    row = applications.order_by(*keyset.ordering(KEYS, forward=True))[offset]
    return keyset.encode("q", [getattr(row, name) for name, _ in KEYS])


def typo(word: str) -> str:
    """Swap two letters in the middle: «Иванова» → «Ивнаова»."""
    i = len(word) // 2
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def pages(user: User) -> list[tuple[str, str]]:
    sent = Application.objects.filter(submitted_at__isnull=False)
    in_work = sent.filter(status__in=IN_WORK).count()
    total = sent.count()
    common = sent.filter(status__in=IN_WORK).order_by("pk").values_list("name_words", flat=True).first()
    assert common, "no applications in work: run generate_applications first"
    surname, first, patronymic = [*common, "", ""][:3]
    top_surname = (
        sent.filter(status__in=IN_WORK)
        .values("applicant_name")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("applicant_name", flat=True)
        .first()
    )
    frequent = (top_surname or surname).split()[0].upper()
    registered = sent.exclude(registration_number=None).order_by("-registered_at").first()
    assert registered is not None
    specialty = sent.values("specialty__code").annotate(n=Count("id")).order_by("-n")[0]["specialty__code"]
    region = sent.values("region__code").annotate(n=Count("id")).order_by("n")[0]["region__code"]

    def url(**params: str) -> str:
        return "/fac/" + ("?" + urlencode(params) if params else "")

    return [
        ("в работе, стр. 1", url()),
        (f"в работе, глубоко ({in_work - 30:,})", url(after=cursor_at(user, QueueFilters(), in_work - 30))),
        ("все, стр. 1", url(status="all")),
        (
            f"все, глубоко ({total - 30:,})",
            url(status="all", after=cursor_at(user, QueueFilters(status="all"), total - 30)),
        ),
        ("статус: в комиссии", url(status="at_commission")),
        ("статус: аккредитован", url(status="accredited")),
        ("срок: просрочено", url(deadline="overdue")),
        ("срок: 3 раб. дня", url(deadline="3")),
        ("специальность", url(specialty=specialty)),
        ("регион (самый малый)", url(region=region)),
        ("специальность + регион + все", url(specialty=specialty, region=region, status="all")),
        ("вид: первичная", url(kind="1")),
        (f"фамилия частая ({frequent})", url(q=frequent)),
        ("фамилия частая, все", url(q=frequent, status="all")),
        ("фамилия с опечаткой", url(q=typo(frequent))),
        ("фамилия с опечаткой, все", url(q=typo(frequent), status="all")),
        ("ФИО", url(q=f"{surname} {first} {patronymic}")),
        ("ФИО с опечатками, все", url(q=f"{typo(surname)} {first} {typo(patronymic)}", status="all")),
        ("имя отчество фамилия", url(q=f"{first} {patronymic} {surname}", status="all")),
        ("рег. номер", url(q=registered.registration_number or "", status="all")),
        ("номер без года", url(q=(registered.registration_number or "")[-6:].lstrip("0"), status="all")),
        ("СНИЛС", url(q=registered.applicant_snils, status="all")),
    ]


def floor(pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, status, applicant_name FROM accreditation_application WHERE id = %s", [pk])
        cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    user, _ = User.objects.get_or_create(
        username="bench-fac-staff", defaults={"last_name": "Замеров", "first_name": "Сотрудник"}
    )
    RoleGrant.objects.get_or_create(user=user, role=Role.FAC_STAFF, organization=None)
    client = Client()
    client.force_login(user)
    urls = pages(user)
    some = Application.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert some is not None
    sent = Application.objects.filter(submitted_at__isnull=False).count()
    load_before = os.getloadavg()
    for _, url in urls:  # warm the cache and the plans once
        client.get(url)
    times: dict[str, list[float]] = {url: [] for _, url in urls}
    floors: list[float] = []
    counts: dict[str, set[int]] = {url: set() for _, url in urls}
    statuses: dict[str, int] = {}
    shown: dict[str, int] = {}
    for _ in range(args.rounds):
        for _, url in urls:
            started = time.perf_counter()
            floor(some)
            floors.append(time.perf_counter() - started)
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times[url].append(time.perf_counter() - started)
            counts[url].add(len(queries.captured_queries))
            statuses[url] = response.status_code
            shown[url] = response.content.decode().count('href="/fac/applications/')
    load_after = os.getloadavg()
    floor_p50 = statistics.median(floors)
    print(f"{sent:,} sent applications; {connection.vendor}; {args.rounds} rounds")
    print(
        f"load average before {load_before[0]:.2f} {load_before[1]:.2f}, "
        f"after {load_after[0]:.2f} {load_after[1]:.2f}"
    )
    print(f"floor (pk lookup): p50 {floor_p50 * 1000:.2f} ms")
    print("| page | rows | p50 ms | p95 ms | p50 / floor | queries | status |")
    print("|---|---|---|---|---|---|---|")
    worst = 0.0
    for name, url in urls:
        series = sorted(times[url])
        p50 = statistics.median(series)
        p95 = series[min(len(series) - 1, round(0.95 * (len(series) - 1)))]
        worst = max(worst, p95)
        count = "/".join(str(c) for c in sorted(counts[url]))
        print(
            f"| {name} | {shown[url]} | {p50 * 1000:.1f} | {p95 * 1000:.1f} | {p50 / floor_p50:.0f} "
            f"| {count} | {statuses[url]} |"
        )
    print(f"worst p95: {worst * 1000:.1f} ms (target < 100 ms)")
    if any(len(c) != 1 for c in counts.values()):
        raise SystemExit("the query count changed between rounds")


if __name__ == "__main__":
    main()
