"""Reading applications, always scoped to the user who reads: an object outside the scope is "not found"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from frmr.accreditation.calendar import working_days_between
from frmr.accreditation.models import Application, ApplicationDocument, ApplicationEvent, ApplicationStatus
from frmr.accreditation.permissions import can_read_applications
from frmr.accreditation.requirements import Requirement, requirements_for

S = ApplicationStatus

QUEUE_STATUSES = [S.SUBMITTED, S.REGISTERED, S.AT_COMMISSION]


def applications_of_worker(*, user: Any) -> QuerySet[Application]:
    """The worker's own applications, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    return (
        Application.objects.filter(applicant=user)
        .select_related("specialty", "accreditation_kind")
        .order_by("-created_at", "-pk")
    )


def application_get_for_worker(*, user: Any, pk: int) -> Application:
    application = applications_of_worker(user=user).filter(pk=pk).first()
    if application is None:
        raise Http404("Заявление не найдено.")
    return application


def application_get_for_staff(*, user: Any, pk: int) -> Application:
    """Any application, for the centre's staff and the commission's secretaries."""
    if not can_read_applications(user):
        raise Http404("Заявление не найдено.")
    application = (
        Application.objects.select_related(
            "person",
            "applicant",
            "education_level",
            "specialty_kind",
            "specialty",
            "accreditation_kind",
            "accreditation_record",
        )
        .filter(pk=pk)
        .exclude(status=S.DRAFT)
        .first()
    )
    if application is None:
        raise Http404("Заявление не найдено.")
    return application


def document_get_for_user(*, user: Any, pk: int) -> ApplicationDocument:
    """A document its owner may read at any time, and staff once the application is sent; else 404."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("Документ не найден.")
    scope = Q(application__applicant=user)
    if can_read_applications(user):
        scope |= ~Q(application__status=S.DRAFT)
    document = ApplicationDocument.objects.select_related("application").filter(scope, pk=pk).first()
    if document is None:
        raise Http404("Документ не найден.")
    return document


def application_history(*, application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.select_related("actor").order_by("at", "pk")


@dataclass
class DocumentRow:
    """One row of the document table: what is asked, and the file in it (if any)."""

    requirement: Requirement
    row: int
    document: ApplicationDocument | None
    to_fix: bool

    @property
    def key(self) -> str:
        return f"{self.requirement.doc_type}:{self.row}"


def document_rows(*, application: Application) -> list[DocumentRow]:
    """The rows the form and the back office show, in the order of the requirements table: every
    filled row, and one empty row for a type that has none yet."""
    from frmr.accreditation.services.worker import _row_asked

    by_type: dict[str, list[ApplicationDocument]] = {}
    for document in application.documents.all():
        by_type.setdefault(document.doc_type, []).append(document)
    rows: list[DocumentRow] = []
    for requirement in requirements_for(application.kind_code):
        documents = sorted(by_type.get(requirement.doc_type, []), key=lambda item: item.row)
        if not documents:
            rows.append(
                DocumentRow(
                    requirement, 0, None, _row_asked(application.rows_to_fix, requirement.doc_type, 0)
                )
            )
        for document in documents:
            rows.append(
                DocumentRow(
                    requirement,
                    document.row,
                    document,
                    _row_asked(application.rows_to_fix, requirement.doc_type, document.row),
                )
            )
    return rows


def deadline_of(application: Application) -> datetime.date | None:
    """The deadline that runs now: the commission's once passed to it, the centre's before."""
    if application.status == S.AT_COMMISSION:
        return application.commission_deadline
    if application.status in (S.SUBMITTED, S.REGISTERED):
        return application.check_deadline
    return None


def working_days_left(application: Application, today: datetime.date | None = None) -> int | None:
    deadline = deadline_of(application)
    if deadline is None:
        return None
    return working_days_between(today or timezone.localdate(), deadline)
