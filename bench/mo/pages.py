"""Time the employer cabinet's pages for the largest organization of a generated register.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/frmr_bench_api DJANGO_DEBUG=1 \
      .venv/bin/python bench/mo/pages.py [--repeat 3]

DJANGO_DEBUG=1 only so that Django records the queries (their count and the slowest two are printed);
the times are the best of `--repeat` requests through Django's test client (no HTTP server), with a
throw-away operator of that organization created on the first run (user `bench-operator`).
"""

from __future__ import annotations

import argparse
import os
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
from frmr.registry.models import EmploymentCard, Organization  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    biggest = EmploymentCard.objects.values("organization").annotate(n=Count("id")).order_by("-n").first()
    if biggest is None:
        raise SystemExit("no employment cards: generate a register first (bench/run_1m.sh)")
    org = Organization.objects.get(pk=biggest["organization"])
    user, _ = User.objects.get_or_create(
        username="bench-operator", defaults={"last_name": "Замеров", "first_name": "Оператор"}
    )
    RoleGrant.objects.get_or_create(user=user, role=Role.OPERATOR, organization=org)
    client = Client()
    client.force_login(user)
    card = EmploymentCard.objects.filter(organization=org).select_related("person").order_by("-id").first()
    assert card is not None
    person = card.person
    typo = person.last_name[:-3] + person.last_name[-2] + person.last_name[-3] + person.last_name[-1]
    urls = [
        "/mo/",
        "/mo/?page=500",
        f"/mo/?q={person.last_name}",
        f"/mo/?q={typo}",
        f"/mo/?q={person.last_name}+{person.first_name}",
        f"/mo/?q={person.snils}",
        f"/mo/?department={card.department_id}",
        "/mo/?status=dismissed",
        "/mo/?status=current",
        f"/mo/employees/{person.oid}/",
        f"/mo/employees/{person.oid}/history/",
        "/mo/corrections/",
        "/mo/organization/",
    ]
    print(f"{org} ({org.oid}): {biggest['n']} cards; {connection.vendor}")
    for url in urls:
        best = float("inf")
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                best = min(best, time.perf_counter() - started)
        count = len(queries.captured_queries)
        print(f"{response.status_code} {best * 1000:8.1f} ms {count:3d} queries  {url}")
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:2]:
            if float(query["time"]) > 0.05:
                print(f"      {float(query['time']) * 1000:.0f} ms: {query['sql'][:160]}…")


if __name__ == "__main__":
    main()
