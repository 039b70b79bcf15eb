"""Pages of the worker's cabinet: who may open them, what they show, and what the forms refuse."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frmr.accounts.models import User
from frmr.audit.actors import SYSTEM
from frmr.audit.models import AuditEntry
from frmr.corrections.models import CorrectionRequest, CorrectionStatus, FileSection
from frmr.corrections.services import correction_request_answer, correction_request_create
from frmr.notifications.models import Notification
from frmr.notifications.services import notification_create
from tests.factories import AccreditationRecordFactory, AdditionalEducationFactory, UserFactory
from tests.pdfs import PNG_BYTES, pdf_bytes
from tests.web.lk.conftest import fill_file

SECTION_URLS = [f"/lk/file/{section.value}/" for section in FileSection]
# Pages of the worker's own cabinet without an object id.
OWN_PAGES = [
    "/lk/",
    *SECTION_URLS,
    "/lk/contacts/",
    "/lk/corrections/",
    "/lk/corrections/new/",
    "/lk/notifications/",
]


def send_request(worker: User, **overrides: object) -> CorrectionRequest:
    data: dict[str, object] = {
        "organization": worker.person.cards.get(end_date__isnull=True).organization,
        "section": FileSection.EDUCATION,
        "text": "Год окончания 2009",
        "expected_value": "Год окончания 2008",
    }
    data.update(overrides)
    return correction_request_create(actor=worker, **data)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------- access


@pytest.mark.parametrize("url", [*OWN_PAGES, "/lk/corrections/1/", "/lk/corrections/1/proof/"])
def test_anonymous_is_sent_to_login(client: Client, db: None, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/login/?next={url}")


@pytest.mark.parametrize(
    "url", ["/lk/notifications/read-all/", "/lk/notifications/1/read/", "/lk/corrections/1/close/"]
)
def test_anonymous_post_is_sent_to_login(client: Client, db: None, url: str) -> None:
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", [u for u in OWN_PAGES if u != "/lk/notifications/"])
def test_user_without_record_goes_to_no_data_page(client: Client, db: None, url: str) -> None:
    client.force_login(UserFactory(username="nobody"))
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == "/no-data/"


@pytest.mark.parametrize("url", OWN_PAGES)
def test_worker_opens_every_page(worker_client: Client, url: str) -> None:
    assert worker_client.get(url).status_code == 200


def test_personal_data_shows_the_real_register_fields_that_are_filled_in(
    worker_client: Client, worker: User
) -> None:
    person = worker.person
    assert person is not None
    person.oksm_code, person.is_disabled, person.disabled_date = "643", True, datetime.date(2016, 1, 22)
    person.save()
    page = worker_client.get("/lk/file/personal/").content.decode()
    assert "<dt>Страна (код ОКСМ)</dt><dd>643</dd>" in page
    assert "<dt>Инвалидность</dt><dd>да</dd>" in page
    assert "<dt>Инвалидность установлена</dt><dd>22.01.2016</dd>" in page
    assert "Отношение к военной службе" not in page  # not stated: no line at all


def test_unknown_section_is_404(worker_client: Client) -> None:
    assert worker_client.get("/lk/file/salary/").status_code == 404


def test_another_worker_gets_404_for_every_object_url(worker, other_client: Client, tmp_path) -> None:
    correction = send_request(
        worker, proof=SimpleUploadedFile("скан.pdf", pdf_bytes(), content_type="application/pdf")
    )
    notification = notification_create(recipient=worker, kind="test", title="Личное", body="Только для вас")
    for url in (
        f"/lk/corrections/{correction.pk}/",
        f"/lk/corrections/{correction.pk}/proof/",
    ):
        assert other_client.get(url).status_code == 404, url
    assert other_client.post(f"/lk/corrections/{correction.pk}/close/").status_code == 404
    assert other_client.post(f"/lk/notifications/{notification.pk}/read/").status_code == 404
    correction.refresh_from_db()
    notification.refresh_from_db()
    assert correction.status == CorrectionStatus.SENT and notification.read_at is None
    # Nor do the lists show them.
    assert "Год окончания 2009" not in other_client.get("/lk/corrections/").content.decode()
    assert "Только для вас" not in other_client.get("/lk/notifications/").content.decode()


def test_file_pages_show_only_own_data(worker, other_worker, worker_client: Client) -> None:
    fill_file(other_worker.person, other_worker.person.cards.get().organization, rows=1)
    for url in SECTION_URLS:
        html = worker_client.get(url, {"person": other_worker.person.pk}).content.decode()
        assert other_worker.person.full_name not in html, url
        assert other_worker.person.snils not in html, url
        assert "Городская поликлиника № 2" not in html, url


# ------------------------------------------------------------------------------------- the file


def test_every_section_shows_its_records_and_who_entered_them(worker, org_a, worker_client: Client) -> None:
    fill_file(worker.person, org_a, rows=1)
    expected = {
        "personal": [worker.person.last_name, "Гражданин Российской Федерации"],
        "documents": ["Паспорт гражданина Российской Федерации", "750-001"],
        "addresses": ["ул. Тверская", "д. 1"],
        "education": ["Лечебное дело", "Читинская государственная медицинская академия"],
        "postgraduate": ["Ординатура: Терапия"],
        "additional": ["Актуальные вопросы терапии", "из 144 ч"],
        "certificates": ["РМАНПО", "01.12.2021"],
        "accreditations": ["Номер реестровой записи", "01.03.2027"],
        "categories": ["Высшая категория"],
        "awards": ["Почётная грамота Министерства здравоохранения"],
        "employment": ["Городская больница № 1", "Терапевтическое отделение", "по собственному желанию",
                       "Отпуск по беременности и родам", "текущее место работы"],
    }  # fmt: skip
    for slug, texts in expected.items():
        html = worker_client.get(f"/lk/file/{slug}/").content.decode()
        for text in texts:
            assert text in html, (slug, text)
        if slug != "personal":
            assert "Внесено: Городская больница № 1" in html, slug
        assert f'href="/lk/corrections/new/?section={slug}"' in html, slug


def test_empty_section_says_so(worker_client: Client) -> None:
    html = worker_client.get("/lk/file/awards/").content.decode()
    assert 'id="section-empty"' in html


def test_additional_education_counts_hours_of_last_five_years(worker, org_a, worker_client: Client) -> None:
    today = timezone.localdate()
    AdditionalEducationFactory(person=worker.person, organization=org_a, hours=72, doc_date=today)
    AdditionalEducationFactory(
        person=worker.person, organization=org_a, hours=500, doc_date=today - datetime.timedelta(days=6 * 366)
    )
    html = worker_client.get("/lk/file/additional/").content.decode()
    assert "<strong>72</strong> из 144 ч" in html
    assert "не хватает 72 ч" in html


# ------------------------------------------------------------------------------------ main page


def test_main_page_warns_about_accreditation_expiring_within_a_year(worker, worker_client: Client) -> None:
    today = timezone.localdate()
    AccreditationRecordFactory(
        person=worker.person,
        pass_date=today - datetime.timedelta(days=1700),
        end_date=today + datetime.timedelta(days=100),
    )
    html = worker_client.get("/lk/").content.decode()
    assert "истекает" in html and (today + datetime.timedelta(days=100)).strftime("%d.%m.%Y") in html
    assert 'class="warning-box"' in html
    # The application (issue 5) is installed on this branch: the warning links to it.
    assert '<a class="button button--primary" href="/lk/application/new/">' in html


def test_main_page_quiet_when_accreditation_is_far_from_expiry(worker, worker_client: Client) -> None:
    today = timezone.localdate()
    AccreditationRecordFactory(
        person=worker.person, pass_date=today, end_date=today + datetime.timedelta(days=1500)
    )
    html = worker_client.get("/lk/").content.decode()
    assert 'class="warning-box"' not in html and "действует" in html


def test_main_page_links_every_section_and_counts_unread(worker, worker_client: Client) -> None:
    notification_create(recipient=worker, kind="test", title="Первое", body="…")
    notification_create(recipient=worker, kind="test", title="Второе", body="…")
    html = worker_client.get("/lk/").content.decode()
    for url in SECTION_URLS:
        assert f'href="{url}"' in html
    assert '<strong id="home-unread">2</strong>' in html
    assert 'id="header-unread">2</span>' in html


# ------------------------------------------------------------------------------------ contacts


def test_contacts_change_saved_and_audited(worker, worker_client: Client) -> None:
    response = worker_client.post("/lk/contacts/", {"phone": "8 912 345 67 89", "email": "nina@example.ru"})
    assert response.status_code == 302 and response["Location"] == "/lk/file/personal/"
    worker.person.refresh_from_db()
    assert (worker.person.phone, worker.person.email) == ("+79123456789", "nina@example.ru")
    assert AuditEntry.objects.filter(object_type="registry.person", actor=worker).exists()
    html = worker_client.get("/lk/file/personal/").content.decode()
    assert "+7 912 345-67-89" in html and "Контактные данные сохранены." in html


def test_contacts_wrong_phone_refused_input_kept(worker, worker_client: Client) -> None:
    response = worker_client.post("/lk/contacts/", {"phone": "+7 495 123-45-67", "email": "nina@example.ru"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html and 'href="#id_phone"' in html
    assert "Нужен номер мобильного телефона" in html
    assert 'value="+7 495 123-45-67"' in html and 'value="nina@example.ru"' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_phone-hint id_phone-error"' in html
    assert "<title>Ошибка:" in html
    worker.person.refresh_from_db()
    assert worker.person.phone == "" and worker.person.email == ""


def test_contacts_wrong_email_refused(worker, worker_client: Client) -> None:
    html = worker_client.post("/lk/contacts/", {"phone": "", "email": "nina@"}).content.decode()
    assert "name@example.ru" in html and 'href="#id_email"' in html


def test_contacts_form_labels_every_field(worker_client: Client) -> None:
    html = worker_client.get("/lk/contacts/").content.decode()
    assert '<label class="field__label" for="id_phone">' in html
    assert '<label class="field__label" for="id_email">' in html


# ----------------------------------------------------------------------------- correction requests


def test_correction_form_prefills_section_and_only_employer(worker, org_a, worker_client: Client) -> None:
    html = worker_client.get("/lk/corrections/new/?section=awards").content.decode()
    assert '<option value="awards" selected>' in html
    assert f'<option value="{org_a.pk}" selected>' in html
    assert "Городская поликлиника № 2" not in html
    for name in ("organization", "section", "text", "expected_value", "proof"):
        assert f'for="id_{name}"' in html


def test_correction_sent_and_shown(worker, org_a, worker_client: Client) -> None:
    response = worker_client.post(
        "/lk/corrections/new/",
        {
            "organization": org_a.pk,
            "section": "education",
            "text": "Год окончания 2009",
            "expected_value": "2008",
            "proof": SimpleUploadedFile("диплом.pdf", pdf_bytes(), content_type="application/pdf"),
        },
    )
    correction = CorrectionRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/lk/corrections/{correction.pk}/"
    assert correction.person == worker.person and correction.has_proof
    html = worker_client.get(response["Location"]).content.decode()
    assert "Год окончания 2009" in html and "Ответа пока нет" in html and "диплом.pdf" in html
    proof = worker_client.get(f"/lk/corrections/{correction.pk}/proof/")
    assert proof.status_code == 200 and proof["Content-Type"] == "application/pdf"
    assert b"".join(proof.streaming_content).startswith(b"%PDF-")
    assert "Запрос № " in worker_client.get("/lk/corrections/").content.decode()


def test_correction_errors_listed_input_kept(worker, org_a, org_b, worker_client: Client) -> None:
    response = worker_client.post(
        "/lk/corrections/new/",
        {"organization": org_b.pk, "section": "", "text": "Опечатка в фамилии", "expected_value": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200
    for field in ("organization", "section", "expected_value"):
        assert f'href="#id_{field}"' in html
    assert "Опечатка в фамилии" in html
    assert not CorrectionRequest.objects.exists()


def test_correction_proof_must_be_a_pdf(worker, org_a, worker_client: Client) -> None:
    html = worker_client.post(
        "/lk/corrections/new/",
        {
            "organization": org_a.pk,
            "section": "education",
            "text": "Год 2009",
            "expected_value": "Год 2008",
            "proof": SimpleUploadedFile("фото.pdf", PNG_BYTES, content_type="application/pdf"),
        },
    ).content.decode()
    assert "не является документом PDF" in html and 'href="#id_proof"' in html
    assert "Год 2009" in html
    assert not CorrectionRequest.objects.exists()


def test_correction_proof_over_the_limit_refused_fields_kept(
    worker, org_a, worker_client: Client, settings
) -> None:
    settings.DOCUMENT_MAX_BYTES = 50_000
    from tests.pdfs import big_pdf_bytes

    html = worker_client.post(
        "/lk/corrections/new/",
        {
            "organization": org_a.pk,
            "section": "education",
            "text": "Год 2009",
            "expected_value": "Год 2008",
            "proof": SimpleUploadedFile("big.pdf", big_pdf_bytes(60_000), content_type="application/pdf"),
        },
    ).content.decode()
    assert "Файл больше" in html and 'href="#id_proof"' in html
    assert "Год 2009" in html
    assert not CorrectionRequest.objects.exists()


def test_worker_withdraws_request(worker, worker_client: Client) -> None:
    correction = send_request(worker)
    response = worker_client.post(f"/lk/corrections/{correction.pk}/close/")
    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.CLOSED
    html = worker_client.get(f"/lk/corrections/{correction.pk}/").content.decode()
    assert "Закрыт" in html and "Отозвать запрос" not in html


def test_close_needs_post(worker, worker_client: Client) -> None:
    correction = send_request(worker)
    assert worker_client.get(f"/lk/corrections/{correction.pk}/close/").status_code == 405


def test_answer_visible_to_worker(worker, operator_a, worker_client: Client) -> None:
    correction = correction_request_answer(
        actor=operator_a, correction=send_request(worker), answer="Исправили год окончания."
    )
    html = worker_client.get(f"/lk/corrections/{correction.pk}/").content.decode()
    assert "Исправили год окончания." in html and "Получен ответ" in html


def test_proof_absent_is_404(worker, worker_client: Client) -> None:
    assert worker_client.get(f"/lk/corrections/{send_request(worker).pk}/proof/").status_code == 404


# --------------------------------------------------------------------------------- notifications


def test_notifications_newest_first_unread_marked(worker, worker_client: Client) -> None:
    old = notification_create(recipient=worker, kind="test", title="Старое", body="…")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=1))
    notification_create(recipient=worker, kind="test", title="Новое уведомление", body="…")
    html = worker_client.get("/lk/notifications/").content.decode()
    assert html.index("Новое уведомление") < html.index("Старое")
    assert html.count("notice-item--unread") == 2


def test_mark_one_and_all_read(worker, worker_client: Client) -> None:
    first = notification_create(recipient=worker, kind="test", title="Первое", body="…")
    notification_create(recipient=worker, kind="test", title="Второе", body="…")
    response = worker_client.post(f"/lk/notifications/{first.pk}/read/")
    assert response.status_code == 302 and response["Location"] == "/lk/notifications/"
    first.refresh_from_db()
    assert first.read_at is not None
    assert 'id="header-unread">1</span>' in worker_client.get("/lk/notifications/").content.decode()
    worker_client.post("/lk/notifications/read-all/")
    assert not Notification.objects.filter(recipient=worker, read_at__isnull=True).exists()
    assert "Все уведомления прочитаны." in worker_client.get("/lk/notifications/").content.decode()


def test_mark_read_needs_post(worker, worker_client: Client) -> None:
    notification = notification_create(recipient=worker, kind="test", title="Первое", body="…")
    assert worker_client.get(f"/lk/notifications/{notification.pk}/read/").status_code == 405
    assert worker_client.get("/lk/notifications/read-all/").status_code == 405


def test_notifications_page_for_staff_without_record(client: Client, operator_a) -> None:
    client.force_login(operator_a)
    assert client.get("/lk/notifications/").status_code == 200


# ------------------------------------------------------------------------------- query counts


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [*OWN_PAGES, "correction", "notifications-many"])
def test_queries_do_not_grow_with_the_file(
    worker, org_a, worker_client: Client, url: str, django_assert_num_queries
) -> None:
    def grow(rows: int) -> None:
        fill_file(worker.person, org_a, rows=rows)
        for n in range(rows):
            send_request(worker, text=f"Ошибка {rows}-{n}")
            notification_create(recipient=worker, kind="test", title=f"№ {rows}-{n}", body="…")

    grow(1)
    target = url
    if url == "correction":
        target = f"/lk/corrections/{CorrectionRequest.objects.first().pk}/"
    elif url == "notifications-many":
        target = "/lk/notifications/"
    few = _count(worker_client, target)
    grow(6)
    with django_assert_num_queries(few):
        worker_client.get(target)


def test_contacts_form_opened_before_an_employers_change_is_refused_input_kept(
    worker, worker_client: Client, org_a
) -> None:
    import re

    from frmr.registry.services import person_update

    page = worker_client.get("/lk/contacts/").content.decode()
    state = re.search(r'name="loaded_state" value="([^"]+)"', page).group(1)
    person_update(actor=SYSTEM, organization=org_a, person=worker.person, data={"email": "hr@example.ru"})
    response = worker_client.post(
        "/lk/contacts/", {"phone": "8 912 345 67 89", "email": "", "loaded_state": state}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "«Электронная почта»: сейчас в регистре «hr@example.ru», у вас было загружено «пусто»" in html
    assert 'value="8 912 345 67 89"' in html
    worker.person.refresh_from_db()
    assert (worker.person.phone, worker.person.email) == ("", "hr@example.ru")
    # Saved again with the renewed state, the worker's values go in on purpose.
    renewed = re.search(r'name="loaded_state" value="([^"]+)"', html).group(1)
    assert renewed != state
    again = worker_client.post(
        "/lk/contacts/", {"phone": "8 912 345 67 89", "email": "", "loaded_state": renewed}
    )
    assert again.status_code == 302
