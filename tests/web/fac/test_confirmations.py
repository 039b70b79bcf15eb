"""Issue 12.2: «Зарегистрировать» and «Внести решение» take a confirmation step saying what will happen."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from frmr.accounts.models import User
from frmr.accreditation.models import ApplicationStatus
from frmr.audit.models import AuditEntry
from frmr.notifications.models import Notification
from tests.accreditation_helpers import at_commission_application, submitted_application

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def traces(user: User) -> tuple[int, int]:
    """What an action leaves behind: audit entries other than views, notifications of the applicant."""
    return (
        AuditEntry.objects.exclude(action="view").count(),
        Notification.objects.filter(recipient=user).count(),
    )


def test_register_asks_first_and_registers_on_confirmation(
    client: Client, worker: User, fac_staff: User
) -> None:
    application = submitted_application(worker)
    client.force_login(fac_staff)
    url = f"/fac/applications/{application.pk}/register/"
    before = traces(worker)
    step = client.post(url)
    text = step.content.decode()
    assert step.status_code == 200
    title = f"Заявление от {application.submitted_at:%d.%m.%Y}: {worker.person.full_name}"
    assert f"Подтвердите регистрацию: {title}" in text
    assert "После регистрации заявление нельзя вернуть в черновик" in text
    assert "Подтвердить регистрацию" in text and "Отмена" in text
    application.refresh_from_db()
    assert application.status == S.SUBMITTED and not application.registration_number
    assert traces(worker) == before
    client.post(url, {"confirm": "1"})
    application.refresh_from_db()
    assert application.status == S.REGISTERED and application.registration_number


@pytest.mark.parametrize("visitor", ["worker", "operator_a", "secretary"])
def test_only_the_centre_reaches_the_registration_step(
    client: Client, worker: User, visitor: str, request: pytest.FixtureRequest
) -> None:
    application = submitted_application(worker)
    client.force_login(request.getfixturevalue(visitor))
    response = client.post(f"/fac/applications/{application.pk}/register/")
    assert response.status_code == 403 and "Подтвердить" not in response.content.decode()


def test_decision_asks_first_keeps_the_entered_data_and_records_on_confirmation(
    client: Client, worker: User, fac_staff: User, secretary: User
) -> None:
    application = at_commission_application(worker, fac_staff)
    client.force_login(secretary)
    url = f"/fac/applications/{application.pk}/decision/"
    day = timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "decision-accredited": "yes",
        "decision-protocol_number": "17-А",
        "decision-protocol_date": day.isoformat(),
    }
    before = traces(worker)
    step = client.post(url, data)
    text = step.content.decode()
    assert step.status_code == 200
    title = f"Заявление от {application.submitted_at:%d.%m.%Y}: {worker.person.full_name}"
    assert f"Подтвердите решение комиссии: {title}" in text
    assert "Аккредитован" in text and f"№ 17-А от {day:%d.%m.%Y}" in text
    assert f"действующая до {day.replace(year=day.year + 5):%d.%m.%Y}" in text
    assert "нельзя изменить или отменить в кабинете" in text
    assert 'name="decision-protocol_number" value="17-А"' in text and "Подтвердить решение" in text
    application.refresh_from_db()
    assert application.status == S.AT_COMMISSION and application.accreditation_record is None
    assert traces(worker) == before
    # «Изменить» shows the form again, filled in as it was.
    back = client.post(url, {**data, "back": "1"}).content.decode()
    assert "Решение аккредитационной комиссии" in back and 'value="17-А"' in back
    application.refresh_from_db()
    assert application.status == S.AT_COMMISSION
    client.post(url, {**data, "confirm": "1"})
    application.refresh_from_db()
    assert application.status == S.ACCREDITED and application.protocol_number == "17-А"


def test_a_negative_decision_names_its_reason_and_a_bad_one_is_refused_before_the_step(
    client: Client, worker: User, fac_staff: User, secretary: User
) -> None:
    application = at_commission_application(worker, fac_staff)
    client.force_login(secretary)
    url = f"/fac/applications/{application.pk}/decision/"
    data = {
        "decision-accredited": "no",
        "decision-protocol_number": "18",
        "decision-protocol_date": timezone.localdate().isoformat(),
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and "Укажите причину отрицательного решения" in refused.content.decode()
    step = client.post(url, {**data, "decision-reason": "Не сдан второй этап"}).content.decode()
    assert "Не аккредитован" in step and "Не сдан второй этап" in step
    assert "получит уведомление с причиной" in step
    application.refresh_from_db()
    assert application.status == S.AT_COMMISSION
