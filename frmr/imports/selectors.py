from __future__ import annotations

from django.db.models import QuerySet

from frmr.imports.models import ImportJob
from frmr.registry.models import Organization


def import_jobs_of_organization(*, organization: Organization) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(organization=organization).select_related("actor").order_by("-created_at")


def import_job_get(*, organization: Organization, job_id: str) -> ImportJob:
    """The organization's job; another organization's answers DoesNotExist (→ 404)."""
    return import_jobs_of_organization(organization=organization).get(pk=job_id)
