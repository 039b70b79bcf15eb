from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from frmr.accounts.models import User
from frmr.accreditation import services
from frmr.accreditation.models import ApplicationStatus
from frmr.accreditation.services.centre import add_years
from frmr.audit.models import AuditEntry
from frmr.notifications.models import Notification
from frmr.registry.models import AccreditationRecord
from tests.accreditation_helpers import (
    at_commission_application,
    registered_application,
    submitted_application,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def test_register_assigns_a_number_and_notifies_once(
    worker: User, fac_staff: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        application = registered_application(worker, fac_staff)
    year = timezone.localdate().year
    assert application.registration_number == f"{year}-ПРА-000001"
    assert application.status == S.REGISTERED
    notifications = list(Notification.objects.filter(recipient=worker))
    assert len(notifications) == 1  # the first one about the application
    assert (
        "зарегистрировано, регистрационный номер " + application.registration_number in notifications[0].body
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["worker@example.ru"]
    entry = AuditEntry.objects.filter(
        object_id=str(application.pk), changes__status=["submitted", "registered"]
    )
    assert entry.get().actor == fac_staff
    # Registering again is refused and notifies nobody again.
    with pytest.raises(ValidationError) as exc:
        services.application_register(application=application, actor=fac_staff)
    assert exc.value.message_dict["status"] == [
        "Нельзя зарегистрировать заявление: заявление уже зарегистрировано."
    ]
    assert Notification.objects.count() == 1


def test_numbers_run_per_kind(worker: User, other_worker: User, fac_staff: User) -> None:
    first = registered_application(worker, fac_staff)
    second = registered_application(other_worker, fac_staff)
    third = registered_application(worker, fac_staff, specialty_code="1002", kind_code="1")
    assert [first.registration_number[-6:], second.registration_number[-6:]] == ["000001", "000002"]
    assert re.fullmatch(r"\d{4}-ПА-000001", third.registration_number)


def test_a_stale_copy_cannot_act_twice(worker: User, fac_staff: User) -> None:
    application = submitted_application(worker)
    stale = type(application).objects.get(pk=application.pk)
    services.application_register(application=application, actor=fac_staff)
    # Another staff member pressing «Отказать» on the page they opened earlier.
    with pytest.raises(ValidationError) as exc:
        services.application_refuse_registration(application=stale, actor=fac_staff, reason="Дубль")
    assert "уже зарегистрировано" in exc.value.message_dict["status"][0]


def test_refusal_needs_a_reason_and_tells_what_next(worker: User, fac_staff: User) -> None:
    application = submitted_application(worker)
    with pytest.raises(ValidationError) as exc:
        services.application_refuse_registration(application=application, actor=fac_staff, reason="  ")
    assert "reason" in exc.value.message_dict
    application = services.application_refuse_registration(
        application=application, actor=fac_staff, reason="Документы другого человека"
    )
    assert application.status == S.REFUSED_REGISTRATION
    notice = Notification.objects.get(recipient=worker)
    assert "Документы другого человека" in notice.body and "подайте новое заявление" in notice.body


def test_return_needs_reason_and_known_rows(worker: User, fac_staff: User) -> None:
    application = registered_application(worker, fac_staff)
    with pytest.raises(ValidationError) as exc:
        services.application_return_for_revision(
            application=application, actor=fac_staff, reason="x", rows=[]
        )
    assert "rows" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.application_return_for_revision(
            application=application, actor=fac_staff, reason="x", rows=["foreign_recognition:0"]
        )
    services.application_return_for_revision(
        application=application, actor=fac_staff, reason="Скан обрезан", rows=["snils:0", "snils:0"]
    )
    application.refresh_from_db()
    assert application.rows_to_fix == ["snils:0"]
    notice = Notification.objects.filter(recipient=worker).first()
    assert notice is not None and "СНИЛС" in notice.body and "Отправить повторно" in notice.body


def test_pass_to_commission_sets_its_deadline(worker: User, fac_staff: User) -> None:
    submitted = submitted_application(worker)
    with pytest.raises(ValidationError):
        services.application_pass_to_commission(application=submitted, actor=fac_staff)
    application = at_commission_application(worker, fac_staff, specialty_code="1002")
    assert application.status == S.AT_COMMISSION and application.commission_deadline is not None


def test_positive_decision_creates_the_record(worker: User, fac_staff: User, secretary: User) -> None:
    application = at_commission_application(worker, fac_staff)
    day = timezone.localdate() - datetime.timedelta(days=1)
    application = services.application_record_decision(
        application=application, actor=secretary, accredited=True, protocol_number="17", protocol_date=day
    )
    assert application.status == S.ACCREDITED
    record = AccreditationRecord.objects.get(person=worker.person)
    assert application.accreditation_record == record
    assert record.pass_date == day and record.end_date == add_years(day, 5)
    assert record.protocol_number == "17" and record.specialty == application.specialty
    assert re.fullmatch(r"\d{4}-\d{7}", record.registry_number)
    assert Notification.objects.filter(recipient=worker, title="Вы аккредитованы").count() == 1
    with pytest.raises(ValidationError):
        services.application_record_decision(
            application=application,
            actor=secretary,
            accredited=False,
            protocol_number="18",
            protocol_date=day,
            reason="x",
        )


def test_negative_decision_needs_a_reason(worker: User, fac_staff: User, secretary: User) -> None:
    application = at_commission_application(worker, fac_staff)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.application_record_decision(
            application=application,
            actor=secretary,
            accredited=False,
            protocol_number="",
            protocol_date=today,
        )
    assert set(exc.value.message_dict) == {"protocol_number", "reason"}
    with pytest.raises(ValidationError) as exc:
        services.application_record_decision(
            application=application,
            actor=secretary,
            accredited=True,
            protocol_number="1",
            protocol_date=today + datetime.timedelta(days=1),
        )
    assert "protocol_date" in exc.value.message_dict
    application = services.application_record_decision(
        application=application,
        actor=secretary,
        accredited=False,
        protocol_number="5",
        protocol_date=today,
        reason="Портфолио не соответствует требованиям",
    )
    assert application.status == S.NOT_ACCREDITED
    assert not AccreditationRecord.objects.exists()
    # The specialty is free again.
    assert submitted_application(worker).status == S.SUBMITTED


def test_roles_are_checked(worker: User, fac_staff: User, secretary: User) -> None:
    application = submitted_application(worker)
    for actor in (worker, secretary):
        with pytest.raises(PermissionDenied):
            services.application_register(application=application, actor=actor)
    application = at_commission_application(worker, fac_staff, specialty_code="1002")
    with pytest.raises(PermissionDenied):
        services.application_record_decision(
            application=application,
            actor=fac_staff,
            accredited=True,
            protocol_number="1",
            protocol_date=timezone.localdate(),
        )


def test_add_years_handles_leap_day() -> None:
    assert add_years(datetime.date(2024, 2, 29), 5) == datetime.date(2029, 2, 28)
    assert add_years(datetime.date(2026, 3, 1), 5) == datetime.date(2031, 3, 1)
