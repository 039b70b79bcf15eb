"""Reading applications, always scoped to the user who reads.

An object outside the reader's scope does not exist for them: the `…_get_…` selectors raise the model's
`DoesNotExist`, and the interfaces translate it to their «not found» (404 on a page).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from frmr.accounts.permissions import can_read_applications
from frmr.accreditation.calendar import working_days_between
from frmr.accreditation.models import (
    IN_PROGRESS,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationStatus,
)
from frmr.accreditation.requirements import (
    KIND_PERIODIC,
    KIND_PRIMARY,
    Requirement,
    requirements_for,
    row_key,
)
from frmr.registry.models import (
    AccreditationRecord,
    AdditionalEducation,
    EmploymentCard,
    Person,
    ProfessionalEducation,
    SpecialistCertificate,
)

S = ApplicationStatus


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
    """The worker's own application; anybody else's raises `Application.DoesNotExist`."""
    return applications_of_worker(user=user).get(pk=pk)


def application_get_for_staff(*, user: Any, pk: int) -> Application:
    """Any sent application, for the centre's staff and the commission's secretaries; a draft, or any
    application for anybody else, raises `Application.DoesNotExist`."""
    if not can_read_applications(user):
        raise Application.DoesNotExist(_("Заявление не найдено."))
    return (
        Application.objects.select_related(
            "person",
            "applicant",
            "education_level",
            "specialty_kind",
            "specialty",
            "accreditation_kind",
            "accreditation_record",
        )
        .exclude(status=S.DRAFT)
        .get(pk=pk)
    )


def document_get_for_user(*, user: Any, pk: int) -> ApplicationDocument:
    """A document its owner may read at any time, and staff once the application is sent; for anybody
    else `ApplicationDocument.DoesNotExist`."""
    if not getattr(user, "is_authenticated", False):
        raise ApplicationDocument.DoesNotExist(_("Документ не найден."))
    scope = Q(application__applicant=user)
    if can_read_applications(user):
        scope |= ~Q(application__status=S.DRAFT)
    return ApplicationDocument.objects.select_related("application").filter(scope).get(pk=pk)


def duplicate_in_progress(*, application: Application) -> Application | None:
    """The worker's other application in the same specialty still being processed, which a draft may not
    be sent beside (the form says so at once; submission refuses it). None when there is none, or when
    the application is not a draft with a specialty chosen."""
    if application.specialty_id is None or application.status != S.DRAFT:
        return None
    return (
        Application.objects.filter(
            person_id=application.person_id, specialty_id=application.specialty_id, status__in=IN_PROGRESS
        )
        .exclude(pk=application.pk)
        .first()
    )


def default_kind_code(*, person_id: int | None) -> str:
    """The kind a new application starts with: periodic for a practising specialist (a current card and
    a previous accreditation or certificate), primary for everyone else. The worker may change it."""
    if person_id is None:
        return KIND_PERIODIC
    working = EmploymentCard.objects.filter(person_id=person_id, end_date__isnull=True).exists()
    accredited = (
        AccreditationRecord.objects.filter(person_id=person_id).exists()
        or SpecialistCertificate.objects.filter(person_id=person_id).exists()
    )
    return KIND_PERIODIC if working and accredited else KIND_PRIMARY


def application_history(*, application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.select_related("actor").order_by("at", "pk")


@dataclass
class DocumentRow:
    """One row of the document table: what is asked, the file in it (if any), and what the worker may
    do with it (`Application.row_to_fix` / `Application.row_editable`)."""

    requirement: Requirement
    row: int
    document: ApplicationDocument | None
    to_fix: bool
    editable: bool = False

    @property
    def key(self) -> str:
        return row_key(self.requirement.doc_type, self.row)


@dataclass
class DocumentGroup:
    """The rows 0..count-1 of one document type, in the order of the requirements table."""

    requirement: Requirement
    rows: list[DocumentRow] = field(default_factory=list)

    @property
    def doc_type(self) -> str:
        return str(self.requirement.doc_type)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def can_add(self) -> bool:
        """«Добавить ещё»: a repeatable type below its limit whose rows are all filled and editable."""
        return (
            self.requirement.repeatable
            and self.count < self.requirement.max_rows
            and all(item.document is not None for item in self.rows)
            and any(item.editable for item in self.rows)
        )


def document_groups(
    *, application: Application, extra: Mapping[str, int] | None = None
) -> list[DocumentGroup]:
    """The document table of the application's kind, one group per type: rows 0..n-1, where n covers
    every stored file and the rows the worker added with «Добавить ещё» (`extra`: rows to show per
    type), at least one row and no more than the type allows."""
    extra = extra or {}
    by_type: dict[str, dict[int, ApplicationDocument]] = {}
    for document in application.documents.all():
        by_type.setdefault(document.doc_type, {})[document.row] = document
    groups: list[DocumentGroup] = []
    for requirement in requirements_for(application.kind_code):
        doc_type = str(requirement.doc_type)
        documents = by_type.get(doc_type, {})
        count = min(max(extra.get(doc_type, 0), 1), requirement.max_rows)
        # A stored file always has its row, whatever the limit says.
        count = max(count, max(documents, default=-1) + 1)
        group = DocumentGroup(requirement)
        for index in range(count):
            group.rows.append(
                DocumentRow(
                    requirement,
                    index,
                    documents.get(index),
                    to_fix=application.row_to_fix(doc_type, index),
                    editable=application.row_editable(doc_type, index),
                )
            )
        groups.append(group)
    return groups


def document_rows(*, application: Application) -> list[DocumentRow]:
    """The rows the detail pages and the back office show, in the order of the requirements table: every
    filled row, and the first (empty) row of a type that has none yet."""
    rows: list[DocumentRow] = []
    for group in document_groups(application=application):
        filled = [item for item in group.rows if item.document is not None]
        rows.extend(filled or group.rows[:1])
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
    return AccreditationRecord.objects.select_related("person", "kind", "specialty").get(
        registry_number=registry_number
    )


def record_of_worker(*, user: Any, registry_number: str) -> AccreditationRecord:
    """An accreditation record in the user's own file; someone else's raises
    `AccreditationRecord.DoesNotExist`."""
    person_id = getattr(user, "person_id", None) if getattr(user, "is_authenticated", False) else None
    if not person_id:
        raise AccreditationRecord.DoesNotExist(_("Запись об аккредитации не найдена."))
    return AccreditationRecord.objects.select_related("person", "kind", "specialty").get(
        registry_number=registry_number, person_id=person_id
    )


def is_valid_on(record: AccreditationRecord, day: datetime.date | None = None) -> bool:
    day = day or timezone.localdate()
    return record.passed and record.pass_date <= day <= record.end_date


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
    """Read by staff only (for anybody else the application does not exist); the caller records the
    reading in the audit log."""
    if not can_read_applications(user):
        raise Application.DoesNotExist(_("Заявление не найдено."))
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
