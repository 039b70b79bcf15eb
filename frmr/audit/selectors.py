"""Reading the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from frmr.audit.models import AuditEntry

if TYPE_CHECKING:
    from frmr.registry.models import Person


def audit_for_person(*, person: Person) -> QuerySet[AuditEntry]:
    """Everything recorded about one personal file, newest first, in one query however long."""
    return (
        AuditEntry.objects.filter(person=person)
        .select_related("actor", "organization")
        .order_by("-at", "-id")
    )


def audit_for_object(*, obj_type: str, object_id: str) -> QuerySet[AuditEntry]:
    return (
        AuditEntry.objects.filter(object_type=obj_type, object_id=object_id)
        .select_related("actor", "organization")
        .order_by("-at", "-id")
    )
