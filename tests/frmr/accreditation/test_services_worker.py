from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from frmr.accounts.models import User
from frmr.accreditation import services
from frmr.accreditation.calendar import add_working_days
from frmr.accreditation.models import Application, ApplicationEvent, ApplicationStatus
from frmr.accreditation.requirements import DocType
from frmr.audit.models import AuditEntry
from frmr.notifications.models import Notification
from frmr.nsi import codes
from tests.accreditation_helpers import (
    attach,
    fill_documents,
    fill_draft,
    registered_application,
    submitted_application,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def test_draft_is_prefilled_from_the_file_and_periodic_by_default(worker: User) -> None:
    application = services.application_create_draft(actor=worker)
    assert application.status == S.DRAFT
    assert application.contact_phone == worker.person.phone
    assert application.contact_email == (worker.person.email or worker.email)
    assert application.kind_code == codes.ACCREDITATION_PERIODIC
    # One draft at a time: a second click returns the same draft.
    assert services.application_create_draft(actor=worker).pk == application.pk


def test_user_without_a_file_cannot_start() -> None:
    user = User.objects.create(username="nobody")
    with pytest.raises(ValidationError) as exc:
        services.application_create_draft(actor=user)
    assert "работодатель" in exc.value.message_dict["person"][0]


def test_update_normalizes_phone_and_checks_the_choice_chain(worker: User) -> None:
    application = fill_draft(services.application_create_draft(actor=worker), worker)
    assert application.contact_phone == "+79123456789"
    assert application.consent and application.consent_at is not None
    with pytest.raises(ValidationError) as exc:
        services.application_update_draft(
            application=application,
            actor=worker,
            contact_phone="позвоните",
            contact_email="not-an-address",
            education_level_code=codes.EDUCATION_LEVEL_SECONDARY,
            specialty_kind_code=codes.SPECIALTY_KIND_DOCTORS,
            specialty_code="1001",
            accreditation_kind_code="99",
            comment="",
            consent=True,
        )
    errors = exc.value.message_dict
    assert set(errors) >= {"contact_phone", "contact_email", "specialty_kind", "accreditation_kind"}
    application.refresh_from_db()
    assert application.contact_phone == "+79123456789"  # nothing half-saved


def test_submit_lists_every_missing_field_and_row(worker: User) -> None:
    application = services.application_create_draft(actor=worker)
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=application, actor=worker)
    errors = exc.value.message_dict
    for key in ("specialty", "consent", "passport:0", "snils:0", "course_certificate:0", "portfolio:0"):
        assert key in errors, key
    assert "name_change:0" not in errors  # optional
    assert "retraining_diploma:0" not in errors


def test_submit_sends_without_notification_and_sets_deadline(worker: User) -> None:
    application = submitted_application(worker)
    assert application.status == S.SUBMITTED
    assert application.check_deadline == add_working_days(timezone.localdate(), 20)
    assert Notification.objects.count() == 0
    assert list(application.events.values_list("to_status", flat=True)) == [S.DRAFT, S.SUBMITTED]
    assert AuditEntry.objects.filter(object_id=str(application.pk), action="transition").count() == 2


def test_double_submit_returns_the_same_application(worker: User) -> None:
    application = submitted_application(worker)
    again = services.application_submit(application=application, actor=worker)
    assert again.pk == application.pk and again.status == S.SUBMITTED
    assert Application.objects.count() == 1
    assert ApplicationEvent.objects.filter(to_status=S.SUBMITTED).count() == 1


def test_second_application_for_the_same_specialty_is_refused(worker: User) -> None:
    submitted_application(worker)
    draft = fill_draft(services.application_create_draft(actor=worker), worker)
    fill_documents(draft, worker)
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=draft, actor=worker)
    assert exc.value.message_dict["specialty"] == [services.MESSAGE_ALREADY_IN_PROGRESS]
    # Another specialty is fine.
    draft = fill_draft(draft, worker, specialty_code="1002")
    assert services.application_submit(application=draft, actor=worker).status == S.SUBMITTED


def test_database_refuses_a_second_in_progress_application(worker: User) -> None:
    from django.db import IntegrityError, transaction

    first = submitted_application(worker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            person=first.person,
            applicant=worker,
            specialty=first.specialty,
            accreditation_kind=first.accreditation_kind,
            consent=True,
            status=S.REGISTERED,
        )


@pytest.mark.parametrize("how", ["withdraw", "refuse"])
def test_withdrawn_or_refused_application_frees_the_specialty(
    worker: User, fac_staff: User, how: str
) -> None:
    first = submitted_application(worker)
    if how == "withdraw":
        services.application_withdraw(application=first, actor=worker)
    else:
        services.application_refuse_registration(application=first, actor=fac_staff, reason="Не тот паспорт")
    second = submitted_application(worker)
    assert second.status == S.SUBMITTED


def test_withdraw_rules(worker: User, fac_staff: User) -> None:
    application = submitted_application(worker)
    assert services.application_withdraw(application=application, actor=worker).status == S.WITHDRAWN
    # Twice is harmless.
    assert services.application_withdraw(application=application, actor=worker).status == S.WITHDRAWN
    registered = registered_application(worker, fac_staff)
    with pytest.raises(ValidationError) as exc:
        services.application_withdraw(application=registered, actor=worker)
    assert "зарегистрировано" in exc.value.message_dict["status"][0]


def test_only_the_owner_changes_an_application(worker: User, other_worker: User) -> None:
    application = services.application_create_draft(actor=worker)
    with pytest.raises(PermissionDenied):
        services.application_submit(application=application, actor=other_worker)
    with pytest.raises(PermissionDenied):
        attach(application, other_worker, DocType.PASSPORT, 0)


def test_rows_follow_the_requirements_table(worker: User) -> None:
    application = fill_draft(services.application_create_draft(actor=worker), worker)
    attach(application, worker, DocType.COURSE_CERTIFICATE, 0)
    attach(application, worker, DocType.COURSE_CERTIFICATE, 1)  # «добавить ещё»
    with pytest.raises(ValidationError) as exc:
        attach(application, worker, DocType.PASSPORT, 1)
    assert "одна строка" in exc.value.message_dict["passport:1"][0]
    with pytest.raises(ValidationError):
        attach(application, worker, DocType.FOREIGN_RECOGNITION, 0)  # not asked for periodic


def test_replacing_a_row_keeps_one_file(worker: User, django_capture_on_commit_callbacks) -> None:
    application = fill_draft(services.application_create_draft(actor=worker), worker)
    first = attach(application, worker, DocType.PASSPORT, 0, name="old.pdf")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        second = attach(application, worker, DocType.PASSPORT, 0, name="new.pdf")
    assert first.pk == second.pk and second.original_name == "new.pdf"
    assert application.documents.count() == 1
    assert len(callbacks) == 1  # the old file is removed after commit
    services.application_document_remove(application=application, actor=worker, doc_type="passport", row=0)
    assert application.documents.count() == 0


def test_changing_the_kind_keeps_the_files_until_the_application_is_sent(worker: User) -> None:
    application = fill_draft(services.application_create_draft(actor=worker), worker)
    attach(application, worker, DocType.PORTFOLIO, 0)
    attach(application, worker, DocType.PASSPORT, 0)
    fill_draft(application, worker, kind_code=codes.ACCREDITATION_PRIMARY)
    # Issue 12.6: a change of kind loses no file; changing it back shows the portfolio again.
    assert sorted(application.documents.values_list("doc_type", flat=True)) == ["passport", "portfolio"]
    attach(application, worker, DocType.SNILS, 0)
    attach(application, worker, DocType.DIPLOMA, 0)
    services.application_submit(application=application, actor=worker)
    # What the sent kind does not ask for does not travel with the application.
    assert sorted(application.documents.values_list("doc_type", flat=True)) == [
        "diploma",
        "passport",
        "snils",
    ]


def test_documents_cannot_change_after_submission(worker: User) -> None:
    application = submitted_application(worker)
    with pytest.raises(ValidationError) as exc:
        attach(application, worker, DocType.PASSPORT, 0)
    assert "status" in exc.value.message_dict


def test_return_and_resubmit_round_trip(worker: User, fac_staff: User) -> None:
    application = registered_application(worker, fac_staff)
    number = application.registration_number
    application = services.application_return_for_revision(
        application=application, actor=fac_staff, reason="Паспорт нечитаем", rows=["passport:0"]
    )
    assert application.status == S.RETURNED and application.rows_to_fix == ["passport:0"]
    # Only the rows asked for may change.
    with pytest.raises(ValidationError):
        attach(application, worker, DocType.SNILS, 0)
    # Resubmitting without replacing the row is refused at that row.
    with pytest.raises(ValidationError) as exc:
        services.application_resubmit(application=application, actor=worker)
    assert "passport:0" in exc.value.message_dict
    attach(application, worker, DocType.PASSPORT, 0)
    application = services.application_resubmit(application=application, actor=worker)
    assert application.status == S.REGISTERED and application.registration_number == number
    assert application.rows_to_fix == []
    # A double click on «Отправить повторно».
    assert services.application_resubmit(application=application, actor=worker).status == S.REGISTERED
    history = list(application.events.values_list("to_status", flat=True))
    assert history == [S.DRAFT, S.SUBMITTED, S.REGISTERED, S.RETURNED, S.REGISTERED]


def test_returned_application_keeps_its_specialty(worker: User, fac_staff: User) -> None:
    application = submitted_application(worker)
    services.application_return_for_revision(
        application=application, actor=fac_staff, reason="Нет страницы", rows=["course_certificate"]
    )
    with pytest.raises(ValidationError) as exc:
        fill_draft(application, worker, specialty_code="1002")
    assert "отзовите" in exc.value.message_dict["specialty"][0]
    # The whole type was asked: a new row may be added.
    attach(application, worker, DocType.COURSE_CERTIFICATE, 1)
    application = services.application_resubmit(application=application, actor=worker)
    assert application.status == S.SUBMITTED  # it had no number yet


def test_returned_unregistered_application_can_be_withdrawn(worker: User, fac_staff: User) -> None:
    application = submitted_application(worker)
    services.application_return_for_revision(
        application=application, actor=fac_staff, reason="Нет страницы", rows=["passport"]
    )
    assert services.application_withdraw(application=application, actor=worker).status == S.WITHDRAWN


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("8 (912) 345-67-89", "+79123456789"),
        ("+7.912.345.67.89", "+79123456789"),
        ("4951234567", "+74951234567"),
    ],
)
def test_contact_phone_is_read_as_every_phone_of_the_register(worker: User, typed: str, stored: str) -> None:
    from frmr.core.validators import normalize_phone

    application = fill_draft(services.application_create_draft(actor=worker), worker)
    application = services.application_update_draft(
        application=application,
        actor=worker,
        contact_phone=typed,
        contact_email=application.contact_email,
        education_level_code=application.education_level.code if application.education_level else "",
        specialty_kind_code=application.specialty_kind.code if application.specialty_kind else "",
        specialty_code=application.specialty.code if application.specialty else "",
        accreditation_kind_code=application.accreditation_kind.code if application.accreditation_kind else "",
        comment="",
        consent=True,
    )
    assert application.contact_phone == stored == normalize_phone(typed)


def test_contact_phone_outside_the_plus_7_zone_is_refused_as_everywhere(worker: User) -> None:
    application = fill_draft(services.application_create_draft(actor=worker), worker)
    with pytest.raises(ValidationError) as exc:
        services.application_update_draft(
            application=application,
            actor=worker,
            contact_phone="+1 212 555 0100",
            contact_email="worker@example.ru",
            education_level_code="",
            specialty_kind_code="",
            specialty_code="",
            accreditation_kind_code="",
            comment="",
            consent=True,
        )
    assert "10 цифр после +7" in exc.value.message_dict["contact_phone"][0]
