"""Reading applications, always scoped to the user who reads: an object outside the scope is "not found"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from frmr.accounts.permissions import can_read_applications
from frmr.accreditation.calendar import working_days_between
from frmr.accreditation.models import Application, ApplicationDocument, ApplicationEvent, ApplicationStatus
from frmr.accreditation.requirements import Requirement, requirements_for
from frmr.registry.models import (
    AccreditationRecord,
    AdditionalEducation,
    Address,
    EmploymentCard,
    Person,
    ProfessionalEducation,
    SpecialistCertificate,
)

S = ApplicationStatus

QUEUE_STATUSES = [S.SUBMITTED, S.REGISTERED, S.AT_COMMISSION]


def applications_of_worker(*, user: Any) -> QuerySet[Application]:
    """The worker's own applications, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    return (
        Application.objects.filter(applicant=user)
        .select_related("specialty", "accreditation_kind", "accreditation_record")
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


def record_for_public_check(*, registry_number: str) -> AccreditationRecord:
    """A register entry by its number, for the public verification page (anyone may ask)."""
    record = (
        AccreditationRecord.objects.select_related("person", "kind", "specialty")
        .filter(registry_number=registry_number)
        .first()
    )
    if record is None:
        raise Http404("Реестровая запись не найдена.")
    return record


def record_of_worker(*, user: Any, registry_number: str) -> AccreditationRecord:
    """An accreditation record in the user's own file; someone else's is "not found"."""
    person_id = getattr(user, "person_id", None) if getattr(user, "is_authenticated", False) else None
    record = (
        AccreditationRecord.objects.select_related("person", "kind", "specialty")
        .filter(registry_number=registry_number, person_id=person_id)
        .first()
        if person_id
        else None
    )
    if record is None:
        raise Http404("Запись об аккредитации не найдена.")
    return record


def is_valid_on(record: AccreditationRecord, day: datetime.date | None = None) -> bool:
    day = day or timezone.localdate()
    return record.passed and record.pass_date <= day <= record.end_date


def queue_for_staff(
    *,
    user: Any,
    status: str = "",
    kind: str = "",
    specialty: str = "",
    region: str = "",
) -> QuerySet[Application]:
    """The back office's queue: sent applications still being processed, oldest first. Filters take
    dictionary codes; the region is that of the applicant's current employer or of their address."""
    if not can_read_applications(user):
        return Application.objects.none()
    statuses = [status] if status in QUEUE_STATUSES else QUEUE_STATUSES
    current_cards = EmploymentCard.objects.filter(person=OuterRef("person"), end_date__isnull=True).order_by(
        "-begin_date", "-pk"
    )
    queryset = (
        Application.objects.filter(status__in=statuses)
        .select_related("person", "specialty", "accreditation_kind")
        .annotate(
            employer_name=Subquery(current_cards.values("organization__name_short")[:1]),
            region_name=Subquery(current_cards.values("organization__region__name")[:1]),
        )
        .order_by("submitted_at", "pk")
    )
    if kind:
        queryset = queryset.filter(accreditation_kind__code=kind)
    if specialty:
        queryset = queryset.filter(specialty__code=specialty)
    if region:
        queryset = queryset.filter(
            Exists(
                EmploymentCard.objects.filter(
                    person=OuterRef("person"), end_date__isnull=True, organization__region__code=region
                )
            )
            | Exists(Address.objects.filter(person=OuterRef("person"), region__code=region))
        )
    return queryset


@dataclass
class ApplicantFile:
    """The parts of the personal file the centre checks the documents against."""

    person: Person
    cards: list[EmploymentCard]
    professional_education: list[ProfessionalEducation]
    additional_education: list[AdditionalEducation]
    certificates: list[SpecialistCertificate]
    accreditations: list[AccreditationRecord]


def applicant_file(*, user: Any, application: Application) -> ApplicantFile:
    """Read by staff only; the caller records the reading in the audit log."""
    if not can_read_applications(user):
        raise Http404("Заявление не найдено.")
    person = application.person
    return ApplicantFile(
        person=person,
        cards=list(
            EmploymentCard.objects.filter(person=person, end_date__isnull=True).select_related(
                "organization", "position"
            )
        ),
        professional_education=list(ProfessionalEducation.objects.filter(person=person)),
        additional_education=list(AdditionalEducation.objects.filter(person=person).select_related("kind")),
        certificates=list(SpecialistCertificate.objects.filter(person=person).select_related("specialty")),
        accreditations=list(
            AccreditationRecord.objects.filter(person=person).select_related("kind", "specialty")
        ),
    )
