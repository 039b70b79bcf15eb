"""What the import benchmarks' scripts share: Django set up on the bench database, its organization,
and emptying the register between runs (PYTHONPATH=. from the repository root)."""

from __future__ import annotations

import os
from typing import Any

BENCH_ORGANIZATION_OID = "1.2.643.5.1.13.13.12.2.77.9999"  # created by run.sh and profile.sh
TABLES = (
    "audit_auditentry, changes_changeevent, registry_employmentcard, registry_professionaleducation, "
    "registry_identitydocument, registry_person"
)


def bench_organization() -> Any:
    """Set Django up and return the organization the benchmark imports into."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from frmr.registry.models import Organization

    return Organization.objects.get(oid=BENCH_ORGANIZATION_OID)


def empty_register(cursor: Any) -> None:
    cursor.execute(f"TRUNCATE {TABLES} CASCADE")
