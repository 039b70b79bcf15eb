from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frmr.accounts.models import User
from frmr.accreditation import services
from frmr.accreditation.models import Application, ApplicationStatus
from frmr.audit.models import AuditEntry
from tests.accreditation_helpers import (
    PDF_BYTES,
    at_commission_application,
    make_worker,
    registered_application,
    submitted_application,
)
from web.auth.templatetags.snils import snils_format

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def logged_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_login_and_others_get_403(
    client: Client, worker: User, operator_a: User
) -> None:
    application = submitted_application(worker)
    for url in ("/fac/", f"/fac/applications/{application.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]
    for user in (worker, operator_a):
        client.force_login(user)
        assert client.get("/fac/").status_code == 403
        assert client.get(f"/fac/applications/{application.pk}/").status_code == 403
        assert client.post(f"/fac/applications/{application.pk}/register/").status_code == 403
    application.refresh_from_db()
    assert application.status == S.SUBMITTED


def test_queue_oldest_first_with_overdue_highlighted(client: Client, worker: User, fac_staff: User) -> None:
    old = submitted_application(worker)
    new = submitted_application(make_worker(), specialty_code="1002")
    Application.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=60),
        check_deadline=timezone.localdate() - datetime.timedelta(days=10),
    )
    withdrawn = submitted_application(make_worker())
    services.application_withdraw(application=withdrawn, actor=withdrawn.applicant)
    draft = services.application_create_draft(actor=make_worker())
    text = logged_in(client, fac_staff).get("/fac/").content.decode()
    assert text.index(f"/fac/applications/{old.pk}/") < text.index(f"/fac/applications/{new.pk}/")
    assert "row--overdue" in text and "просрочено на" in text
    assert f"/fac/applications/{draft.pk}/" not in text
    assert f"/fac/applications/{withdrawn.pk}/" not in text
    # Filters.
    text = client.get("/fac/", {"specialty": "1002"}).content.decode()
    assert f"/fac/applications/{new.pk}/" in text and f"/fac/applications/{old.pk}/" not in text
    text = client.get("/fac/", {"status": "registered"}).content.decode()
    assert "Заявлений с такими условиями нет" in text


def test_queue_filters_by_the_employers_region(client: Client, worker: User, fac_staff: User) -> None:
    application = submitted_application(worker)
    region = worker.person.cards.get().organization.region
    text = logged_in(client, fac_staff).get("/fac/", {"region": region.code}).content.decode()
    assert f"/fac/applications/{application.pk}/" in text
    other = "01" if region.code != "01" else "02"
    assert (
        f"/fac/applications/{application.pk}/" not in client.get("/fac/", {"region": other}).content.decode()
    )


def test_queue_query_count_does_not_grow(client: Client, fac_staff: User) -> None:
    logged_in(client, fac_staff)
    submitted_application(make_worker())
    client.get("/fac/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/fac/").status_code == 200
    for _ in range(6):
        submitted_application(make_worker())
    with CaptureQueriesContext(connection) as many:
        client.get("/fac/")
    assert len(many) == len(few)


def test_the_queue_tab_names_the_register_like_every_cabinet(client: Client, fac_staff: User) -> None:
    logged_in(client, fac_staff)
    text = client.get("/fac/").content.decode()
    title = text.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.strip().endswith("— кабинет аккредитационного центра — ФРМР")


def test_application_page_shows_file_and_documents_and_is_audited(
    client: Client, worker: User, fac_staff: User
) -> None:
    application = submitted_application(worker)
    response = logged_in(client, fac_staff).get(f"/fac/applications/{application.pk}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert snils_format(worker.person.snils) in text and "Городская больница № 1" in text
    assert "Паспорт" in text and "Зарегистрировать" in text and "История заявления" in text
    assert AuditEntry.objects.filter(action="view", actor=fac_staff, person=worker.person).exists()
    # A draft is nobody's business but the worker's.
    draft = services.application_create_draft(actor=make_worker())
    assert client.get(f"/fac/applications/{draft.pk}/").status_code == 404
    assert client.get("/fac/applications/999999/").status_code == 404


def test_register_then_a_second_click_shows_a_message(client: Client, worker: User, fac_staff: User) -> None:
    application = submitted_application(worker)
    logged_in(client, fac_staff)
    url = f"/fac/applications/{application.pk}/register/"
    response = client.post(url, {"confirm": "1"}, follow=True)
    assert "зарегистрировано" in response.content.decode()
    application.refresh_from_db()
    assert application.status == S.REGISTERED and application.registration_number
    response = client.post(url, {"confirm": "1"}, follow=True)
    assert "Нельзя зарегистрировать заявление: заявление уже зарегистрировано." in response.content.decode()
    # The confirmation step refuses the same way, before asking.
    response = client.post(url, follow=True)
    assert "Нельзя зарегистрировать заявление: заявление уже зарегистрировано." in response.content.decode()


def test_refuse_needs_a_reason(client: Client, worker: User, fac_staff: User) -> None:
    application = submitted_application(worker)
    logged_in(client, fac_staff)
    response = client.post(f"/fac/applications/{application.pk}/refuse/", {"refuse-reason": ""})
    assert response.status_code == 400
    assert "Укажите причину отказа" in response.content.decode()
    client.post(f"/fac/applications/{application.pk}/refuse/", {"refuse-reason": "Чужие документы"})
    application.refresh_from_db()
    assert application.status == S.REFUSED_REGISTRATION and application.status_reason == "Чужие документы"


def test_return_with_rows(client: Client, worker: User, fac_staff: User) -> None:
    application = registered_application(worker, fac_staff)
    logged_in(client, fac_staff)
    response = client.post(f"/fac/applications/{application.pk}/return/", {"return-reason": "Нечитаемо"})
    assert response.status_code == 400 and "Отметьте хотя бы один документ" in response.content.decode()
    client.post(
        f"/fac/applications/{application.pk}/return/",
        {"return-reason": "Нечитаемо", "return-rows": ["passport:0", "course_certificate"]},
    )
    application.refresh_from_db()
    assert application.status == S.RETURNED
    assert application.rows_to_fix == ["passport:0", "course_certificate"]


def test_commission_and_decision_by_the_right_roles(
    client: Client, worker: User, fac_staff: User, secretary: User
) -> None:
    application = registered_application(worker, fac_staff)
    logged_in(client, fac_staff).post(f"/fac/applications/{application.pk}/commission/")
    application.refresh_from_db()
    assert application.status == S.AT_COMMISSION
    data = {
        "decision-accredited": "yes",
        "decision-protocol_number": "12",
        "decision-protocol_date": timezone.localdate().isoformat(),
    }
    assert client.post(f"/fac/applications/{application.pk}/decision/", data).status_code == 403
    logged_in(client, secretary)
    page = client.get(f"/fac/applications/{application.pk}/").content.decode()
    assert "Решение аккредитационной комиссии" in page
    assert client.post(f"/fac/applications/{application.pk}/register/").status_code in (302, 403)
    bad = client.post(f"/fac/applications/{application.pk}/decision/", {**data, "decision-accredited": "no"})
    assert bad.status_code == 400 and "Укажите причину отрицательного решения" in bad.content.decode()
    client.post(f"/fac/applications/{application.pk}/decision/", {**data, "confirm": "1"})
    application.refresh_from_db()
    assert application.status == S.ACCREDITED and application.accreditation_record is not None


def test_document_opens_inline_for_staff_only(
    client: Client, worker: User, other_worker: User, operator_a: User, fac_staff: User, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    application = at_commission_application(worker, fac_staff)
    document = application.documents.get(doc_type="passport")
    default_storage.save(document.storage_name, ContentFile(PDF_BYTES))
    url = f"/fac/documents/{document.pk}/"
    response = logged_in(client, fac_staff).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    for user in (worker, other_worker, operator_a):
        assert logged_in(Client(), user).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_document_selector_hides_others_documents(worker: User, other_worker: User, operator_a: User) -> None:
    from frmr.accreditation.models import ApplicationDocument
    from frmr.accreditation.selectors import document_get_for_user

    application = submitted_application(worker)
    document = application.documents.first()
    assert document_get_for_user(user=worker, pk=document.pk) == document
    for user in (other_worker, operator_a):
        with pytest.raises(ApplicationDocument.DoesNotExist):
            document_get_for_user(user=user, pk=document.pk)
