"""Time the directory's other requests once each (after a warm-up) for the largest organization.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/frmr_fhir_bench FRMR_API_RATE_PER_MINUTE=1000000000 \
        .venv/bin/python bench/fhir/others.py [--since 2026-12-07T00:00:00Z]

Through Django's test client, no HTTP server: single measurements that point at slow queries
(bench/fhir/README.md, «Other requests»), not a benchmark with a floor. Issues a throw-away API token.
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

from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from frmr.audit.actors import SYSTEM  # noqa: E402
from frmr.integration.services import api_token_create  # noqa: E402
from frmr.registry.models import EmploymentCard, Organization  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--since", default="2026-12-01T00:00:00Z", help="_since and _lastUpdated=ge…")
    args = parser.parse_args()
    biggest = EmploymentCard.objects.values("organization").annotate(n=Count("id")).order_by("-n").first()
    if biggest is None:
        raise SystemExit("no employment cards: generate a register first (bench/fhir/README.md)")
    org = Organization.objects.get(pk=biggest["organization"])
    _, raw = api_token_create(organization=org, actor=SYSTEM, name="bench fhir others")
    client = Client()
    headers = {"Authorization": f"Bearer {raw}"}
    snils = EmploymentCard.objects.filter(organization=org).values_list("person__snils", flat=True).first()
    for url in [
        "/fhir/Practitioner?_count=100",
        "/fhir/Practitioner?name=Иван&_count=50",
        f"/fhir/Practitioner?identifier={snils}",
        f"/fhir/PractitionerRole/_history?_since={args.since}&_count=100",
        f"/fhir/Practitioner/_history?_since={args.since}&_count=100",
        f"/fhir/Practitioner?_lastUpdated=ge{args.since}&_count=100",
        f"/fhir/Location?organization={org.oid}",
        "/fhir/Organization",
    ]:
        client.get(url, headers=headers)
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        elapsed = (time.perf_counter() - start) * 1000
        print(f"{elapsed:8.1f} ms  HTTP {response.status_code}  {len(response.content):7d} bytes  {url}")
    with open("/proc/loadavg") as load:
        print(f"load average {' '.join(load.read().split()[:3])}")


if __name__ == "__main__":
    main()
