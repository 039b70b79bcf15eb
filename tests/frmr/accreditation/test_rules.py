"""The accreditation rules the pages and the services share: what may be withdrawn, which rows the
worker may change, the document table, the duplicate in progress, the default kind, the upload service,
and the selectors' «not found»."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from frmr.accounts.models import User
from frmr.accreditation import selectors, services
from frmr.accreditation.models import Application, ApplicationStatus
from frmr.accreditation.requirements import KIND_PERIODIC, KIND_PRIMARY, MAX_ROWS, DocType
from frmr.registry.models import AccreditationRecord
from tests.accreditation_helpers import (
    PDF_BYTES,
    attach,
    fill_documents,
    fill_draft,
    make_worker,
    registered_application,
    submitted_application,
)
from tests.factories import AccreditationRecordFactory, SpecialistCertificateFactory

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def returned(application: Application, staff: User, rows: list[str]) -> Application:
    return services.application_return_for_revision(
        application=application, actor=staff, reason="Нечитаемая копия", rows=rows
    )


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


# --- can_withdraw -----------------------------------------------------------------------------------


def test_a_draft_and_a_sent_application_may_be_withdrawn(worker: User) -> None:
    draft = services.application_create_draft(actor=worker)
    assert draft.can_withdraw()
    sent = submitted_application(worker)
    assert sent.can_withdraw()


def test_a_returned_application_may_be_withdrawn_only_before_registration(
    worker: User, other_worker: User, fac_staff: User
) -> None:
    unregistered = returned(submitted_application(worker), fac_staff, ["passport:0"])
    assert unregistered.can_withdraw()
    registered = returned(registered_application(other_worker, fac_staff), fac_staff, ["passport:0"])
    assert registered.registration_number and not registered.can_withdraw()
    # The service refuses exactly what the page does not offer.
    with pytest.raises(ValidationError) as exc:
        services.application_withdraw(application=registered, actor=other_worker)
    assert "на доработку" in exc.value.message_dict["status"][0]


def test_registered_and_withdrawn_applications_may_not_be_withdrawn(worker: User, fac_staff: User) -> None:
    registered = registered_application(worker, fac_staff)
    assert not registered.can_withdraw()
    someone = make_worker()
    withdrawn = services.application_withdraw(application=submitted_application(someone), actor=someone)
    assert not withdrawn.can_withdraw()


# --- row_to_fix / row_editable ----------------------------------------------------------------------


def test_rows_to_fix_name_one_row_or_every_row_of_a_type() -> None:
    application = Application(status=S.RETURNED, rows_to_fix=["passport:0", "course_certificate"])
    assert application.row_to_fix("passport", 0)
    assert not application.row_to_fix("passport", 1)
    assert application.row_to_fix("course_certificate", 0)
    assert application.row_to_fix("course_certificate", 7)
    assert not application.row_to_fix("snils", 0)


def test_a_draft_has_every_row_editable_a_returned_one_only_the_rows_asked() -> None:
    draft = Application(status=S.DRAFT)
    assert draft.row_editable("passport", 0) and draft.row_editable("course_certificate", 3)
    back = Application(status=S.RETURNED, rows_to_fix=["passport:0"])
    assert back.row_editable("passport", 0)
    assert not back.row_editable("snils", 0)
    for status in (S.SUBMITTED, S.REGISTERED, S.WITHDRAWN, S.AT_COMMISSION):
        # Even a listed row is closed once the application has left the worker.
        assert not Application(status=status, rows_to_fix=["passport:0"]).row_editable("passport", 0)


# --- duplicate_in_progress --------------------------------------------------------------------------


def test_a_draft_sees_the_application_in_progress_for_its_specialty(worker: User) -> None:
    sent = submitted_application(worker)
    draft = fill_draft(services.application_create_draft(actor=worker), worker)
    assert selectors.duplicate_in_progress(application=draft) == sent
    fill_documents(draft, worker)
    with pytest.raises(ValidationError) as exc:
        services.application_send_check(application=draft, actor=worker)
    assert exc.value.message_dict["specialty"] == [services.MESSAGE_ALREADY_IN_PROGRESS]


def test_no_duplicate_for_another_specialty_a_withdrawn_one_or_a_sent_application(worker: User) -> None:
    sent = submitted_application(worker)
    assert selectors.duplicate_in_progress(application=sent) is None  # not a draft
    other = fill_draft(services.application_create_draft(actor=worker), worker, specialty_code="1002")
    assert selectors.duplicate_in_progress(application=other) is None
    services.application_withdraw(application=sent, actor=worker)
    other.specialty = sent.specialty
    assert selectors.duplicate_in_progress(application=other) is None


def test_a_draft_without_a_specialty_has_no_duplicate(worker: User) -> None:
    submitted_application(worker)
    draft = services.application_create_draft(actor=worker)
    assert draft.specialty_id is None
    assert selectors.duplicate_in_progress(application=draft) is None


# --- default_kind_code ------------------------------------------------------------------------------


def test_a_practising_specialist_starts_with_periodic_accreditation(worker: User) -> None:
    AccreditationRecordFactory(person=worker.person)
    assert selectors.default_kind_code(person_id=worker.person_id) == KIND_PERIODIC


def test_a_certificate_counts_like_a_previous_accreditation(worker: User) -> None:
    SpecialistCertificateFactory(person=worker.person)
    assert selectors.default_kind_code(person_id=worker.person_id) == KIND_PERIODIC


def test_a_worker_never_accredited_or_not_working_starts_with_primary(worker: User) -> None:
    assert selectors.default_kind_code(person_id=worker.person_id) == KIND_PRIMARY
    not_working = make_worker()  # no employment card
    AccreditationRecordFactory(person=not_working.person)
    assert selectors.default_kind_code(person_id=not_working.person_id) == KIND_PRIMARY


def test_a_user_without_a_file_gets_periodic() -> None:
    assert selectors.default_kind_code(person_id=None) == KIND_PERIODIC


# --- document_groups / document_rows ----------------------------------------------------------------


def test_the_table_shows_the_added_rows_and_offers_another_only_when_all_are_filled(worker: User) -> None:
    application = fill_draft(services.application_create_draft(actor=worker), worker)
    attach(application, worker, DocType.COURSE_CERTIFICATE, 0)
    groups = {group.doc_type: group for group in selectors.document_groups(application=application)}
    courses = groups[DocType.COURSE_CERTIFICATE]
    assert courses.count == 1 and courses.can_add
    assert not groups[DocType.PASSPORT].can_add  # one row only
    groups = {
        group.doc_type: group
        for group in selectors.document_groups(
            application=application, extra={DocType.COURSE_CERTIFICATE: 3, DocType.PASSPORT: 5}
        )
    }
    courses = groups[DocType.COURSE_CERTIFICATE]
    assert [row.row for row in courses.rows] == [0, 1, 2]
    assert not courses.can_add  # rows 1 and 2 are still empty
    assert groups[DocType.PASSPORT].count == 1  # the limit of the type wins over the address
    many = selectors.document_groups(application=application, extra={DocType.COURSE_CERTIFICATE: 1000})
    assert next(group for group in many if group.doc_type == DocType.COURSE_CERTIFICATE).count == MAX_ROWS


def test_a_returned_application_offers_only_the_rows_asked(worker: User, fac_staff: User) -> None:
    application = returned(submitted_application(worker), fac_staff, ["passport:0"])
    rows = {
        row.key: row for group in selectors.document_groups(application=application) for row in group.rows
    }
    assert rows["passport:0"].to_fix and rows["passport:0"].editable
    assert not rows["snils:0"].to_fix and not rows["snils:0"].editable
    # Filled, repeatable, but nothing in it may change: no «Добавить ещё».
    courses = next(
        group
        for group in selectors.document_groups(application=application)
        if group.doc_type == DocType.COURSE_CERTIFICATE
    )
    assert not courses.can_add


def test_document_rows_list_the_filled_rows_and_one_empty_row_per_empty_type(worker: User) -> None:
    application = fill_draft(services.application_create_draft(actor=worker), worker)
    attach(application, worker, DocType.COURSE_CERTIFICATE, 0)
    attach(application, worker, DocType.COURSE_CERTIFICATE, 2)
    rows = selectors.document_rows(application=application)
    courses = [row for row in rows if row.requirement.doc_type == DocType.COURSE_CERTIFICATE]
    assert [row.row for row in courses] == [0, 2]  # the gap at row 1 is not a row of the table
    passport = [row for row in rows if row.requirement.doc_type == DocType.PASSPORT]
    assert [(row.row, row.document) for row in passport] == [(0, None)]
    assert selectors.document_rows(application=services.application_create_draft(actor=make_worker()))


# --- application_document_upload --------------------------------------------------------------------


def pdf(name: str = "скан.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def test_an_upload_is_stored_and_put_into_its_row(worker: User) -> None:
    application = fill_draft(services.application_create_draft(actor=worker), worker)
    document = services.application_document_upload(
        application=application, actor=worker, doc_type=DocType.PASSPORT, row=0, file=pdf("паспорт.pdf")
    )
    assert document.original_name == "паспорт.pdf" and document.page_count == 1
    assert (Path(settings.MEDIA_ROOT) / document.storage_name).exists()


@pytest.mark.parametrize(
    ("case", "expected"),
    [("row", ValidationError), ("owner", PermissionDenied), ("status", ValidationError)],
)
def test_a_refused_upload_leaves_no_file_behind(
    case: str, expected: type[Exception], worker: User, other_worker: User
) -> None:
    application = fill_draft(services.application_create_draft(actor=worker), worker)
    kwargs: dict[str, Any] = {"actor": worker, "doc_type": DocType.PASSPORT, "row": 0}
    if case == "row":
        kwargs["row"] = 1  # the passport has one row
    elif case == "owner":
        kwargs["actor"] = other_worker
    else:
        application = submitted_application(worker)
    files, rows = stored_files(), list(application.documents.values_list("pk", "storage_name"))
    with pytest.raises(expected):
        services.application_document_upload(application=application, file=pdf(), **kwargs)
    assert stored_files() == files
    assert list(application.documents.values_list("pk", "storage_name")) == rows


def test_a_file_that_is_not_a_pdf_is_refused_before_anything_is_stored(worker: User) -> None:
    application = fill_draft(services.application_create_draft(actor=worker), worker)
    before = stored_files()
    with pytest.raises(ValidationError):
        services.application_document_upload(
            application=application,
            actor=worker,
            doc_type=DocType.PASSPORT,
            row=0,
            file=SimpleUploadedFile("скан.pdf", b"not a pdf", content_type="application/pdf"),
        )
    assert stored_files() == before
    assert not application.documents.exists()


# --- selectors: «not found» is DoesNotExist ----------------------------------------------------------


def test_another_workers_application_does_not_exist_for_the_worker(worker: User, other_worker: User) -> None:
    application = services.application_create_draft(actor=worker)
    assert selectors.application_get_for_worker(user=worker, pk=application.pk) == application
    with pytest.raises(Application.DoesNotExist):
        selectors.application_get_for_worker(user=other_worker, pk=application.pk)


def test_a_draft_does_not_exist_for_the_centre(worker: User, fac_staff: User) -> None:
    draft = services.application_create_draft(actor=worker)
    with pytest.raises(Application.DoesNotExist):
        selectors.application_get_for_staff(user=fac_staff, pk=draft.pk)
    sent = submitted_application(worker)
    assert selectors.application_get_for_staff(user=fac_staff, pk=sent.pk) == sent
    with pytest.raises(Application.DoesNotExist):
        selectors.application_get_for_staff(user=worker, pk=sent.pk)
    with pytest.raises(Application.DoesNotExist):
        selectors.applicant_file(user=worker, application=sent)


def test_a_record_of_someone_else_does_not_exist_for_the_worker(worker: User, other_worker: User) -> None:
    record = AccreditationRecordFactory(person=worker.person)
    assert selectors.record_of_worker(user=worker, registry_number=record.registry_number) == record
    with pytest.raises(AccreditationRecord.DoesNotExist):
        selectors.record_of_worker(user=other_worker, registry_number=record.registry_number)
    assert selectors.record_for_public_check(registry_number=record.registry_number) == record
    with pytest.raises(AccreditationRecord.DoesNotExist):
        selectors.record_for_public_check(registry_number="2000-0000000")


# --- application_save_draft -------------------------------------------------------------------------


def typed(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "contact_phone": "8 (912) 345-67-89",
        "contact_email": "new@example.ru",
        "education_level_code": None,
        "specialty_kind_code": None,
        "specialty_code": None,
        "accreditation_kind_code": KIND_PERIODIC,
        "comment": "Временно не работаю.",
        "consent": True,
    }
    return {**values, **overrides}


def test_a_draft_saved_whole_reports_nothing(worker: User) -> None:
    application = services.application_create_draft(actor=worker)
    assert services.application_save_draft(application=application, actor=worker, **typed()) == {}
    application.refresh_from_db()
    assert application.contact_phone == "+79123456789" and application.comment == "Временно не работаю."


def test_a_refused_field_keeps_its_saved_value_and_the_others_are_saved(worker: User) -> None:
    application = fill_draft(services.application_create_draft(actor=worker), worker)
    saved_specialty = application.specialty
    errors = services.application_save_draft(
        application=application,
        actor=worker,
        **typed(
            contact_email="not-an-address",
            education_level_code=application.education_level.code,
            specialty_kind_code="no-such-kind",
            specialty_code=application.specialty.code,
        ),
    )
    assert set(errors) == {"contact_email", "specialty_kind"}
    application.refresh_from_db()
    assert application.contact_email == "worker@example.ru"  # as it was
    assert application.specialty == saved_specialty  # the whole cascade as it was
    assert application.comment == "Временно не работаю."  # the rest is saved


def test_saving_someone_elses_draft_is_refused(worker: User, other_worker: User) -> None:
    application = services.application_create_draft(actor=worker)
    with pytest.raises(PermissionDenied):
        services.application_save_draft(application=application, actor=other_worker, **typed())
    application.refresh_from_db()
    assert application.comment == ""
