from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from frmr.accounts.models import User
from frmr.audit.models import AuditEntry
from frmr.corrections.models import CorrectionStatus
from frmr.corrections.services import correction_request_create
from frmr.imports.models import ImportJob, ImportStatus
from frmr.integration.models import ApiToken
from frmr.integration.services import token_hash
from frmr.notifications.models import Notification
from frmr.registry.models import Organization, Person


def template_with_bad_row(client: Client) -> bytes:
    """The downloaded CSV template's example made real (a valid СНИЛС), plus a copy with a wrong one."""
    data = client.get(reverse("mo:import_template", args=["csv"])).content
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    good = list(rows[1])
    good[0] = "112-233-445 95"
    bad = list(rows[1])
    bad[0] = "112-233-445 96"
    bad[1] = "Соколова"
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([rows[0], good, bad])
    return out.getvalue().encode("utf-8-sig")


def test_templates_download_and_check(operator_client: Client) -> None:
    for fmt in ("xlsx", "csv"):
        content = operator_client.get(reverse("mo:import_template", args=[fmt])).content
        response = operator_client.post(
            reverse("mo:import"), {"file": SimpleUploadedFile(f"template.{fmt}", content)}
        )
        job = ImportJob.objects.latest("created_at")
        assert response["Location"] == reverse("mo:import_job", args=[job.pk])
        assert job.status == ImportStatus.CHECKED
        assert job.check_result["counts"]["create"] == 0, job.check_result
    assert operator_client.get(reverse("mo:import_template", args=["pdf"])).status_code == 404


def test_dry_run_reports_the_bad_row_and_apply_loads_the_good_ones(
    operator_client: Client, operator_a: User, org_a: Organization
) -> None:
    upload = SimpleUploadedFile("staff.csv", template_with_bad_row(operator_client))
    operator_client.post(reverse("mo:import"), {"file": upload})
    job = ImportJob.objects.get()
    page = operator_client.get(reverse("mo:import_job", args=[job.pk])).content.decode()
    assert "Контрольное число СНИЛС не совпадает" in page
    assert '<td data-label="Строка">3</td>' in page and "112-233-445 96" in page
    assert "Загрузить 1 строку без ошибок" in page
    assert not Person.objects.filter(snils="11223344595").exists()  # a dry run writes nothing
    status = operator_client.get(reverse("mo:import_status", args=[job.pk])).json()
    assert status["status"] == "checked" and status["running"] is False
    response = operator_client.post(reverse("mo:import_apply", args=[job.pk]), {"confirm": "1"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    person = Person.objects.get(snils="11223344595")
    assert not Person.objects.filter(last_name="Соколова").exists()
    entries = AuditEntry.objects.filter(person=person)
    assert entries.count() == 4
    assert {(e.actor_id, e.organization_id, e.reason) for e in entries} == {
        (operator_a.pk, org_a.pk, "Импорт файла staff.csv")
    }
    page = operator_client.get(reverse("mo:import_job", args=[job.pk])).content.decode()
    assert "Загрузка завершена" in page
    # A second confirmation is refused: the file is already loaded.
    operator_client.post(reverse("mo:import_apply", args=[job.pk]), {"confirm": "1"})
    assert Person.objects.filter(snils="11223344595").count() == 1


def test_upload_refusals(operator_client: Client) -> None:
    page = operator_client.post(reverse("mo:import"), {}).content.decode()
    assert "Выберите файл XLSX или CSV." in page
    page = operator_client.post(
        reverse("mo:import"), {"file": SimpleUploadedFile("staff.pdf", b"%PDF-1.4")}
    ).content.decode()
    assert "Загрузите файл в формате XLSX или CSV" in page


def test_answering_a_correction_notifies_the_worker_once(
    operator_client: Client, worker: User, org_a: Organization
) -> None:
    correction = correction_request_create(
        actor=worker,
        organization=org_a,
        section="personal",
        text="Опечатка в отчестве",
        expected_value="Петровна",
    )
    inbox = operator_client.get(reverse("mo:corrections")).content.decode()
    assert "Опечатка в отчестве" in inbox
    url = reverse("mo:correction", args=[correction.pk])
    page = operator_client.post(url, {"answer": ""}).content.decode()
    assert "Напишите ответ работнику." in page
    assert operator_client.post(url, {"answer": "Исправили отчество."}).status_code == 302
    operator_client.post(url, {"answer": "Ещё раз."})
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.ANSWERED and correction.answer == "Исправили отчество."
    notifications = Notification.objects.filter(recipient=worker)
    assert notifications.count() == 1 and "Исправили отчество." in notifications.get().body
    assert operator_client.post(reverse("mo:correction_close", args=[correction.pk])).status_code == 302
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.CLOSED


def test_token_is_shown_once_listed_and_revoked(operator_client: Client, org_a: Organization) -> None:
    response = operator_client.post(reverse("mo:tokens"), {"name": "МИС поликлиники"})
    page = response.content.decode()
    token = ApiToken.objects.get()
    raw = page.split('id="raw-token" class="mo-token" value="')[1].split('"')[0]
    assert token_hash(raw) == token.secret_hash and "Скопируйте токен сейчас" in page
    listing = operator_client.get(reverse("mo:tokens")).content.decode()
    assert raw not in listing and token.prefix in listing and "не использовался" in listing
    confirm = operator_client.get(reverse("mo:token_revoke", args=[token.pk])).content.decode()
    assert "Отозвать токен «МИС поликлиники»?" in confirm
    operator_client.post(reverse("mo:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    page = operator_client.post(reverse("mo:tokens"), {"name": ""}).content.decode()
    assert "Укажите название токена" in page


@pytest.mark.parametrize(
    ("count", "word"),
    [(1, "строку"), (2, "строки"), (4, "строки"), (5, "строк"), (11, "строк"), (12, "строк"), (21, "строку"),
     (22, "строки"), (111, "строк"), (1000, "строк")],
)  # fmt: skip
def test_russian_plural_of_rows(count: int, word: str) -> None:
    # The import pages write the count with `blocktranslate count`; the forms come from locale/ru.
    rendered = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} строку"
        "{% plural %}{{ counter }} строк{% endblocktranslate %}"
    ).render(Context({"n": count}))
    assert rendered == f"{count} {word}"
