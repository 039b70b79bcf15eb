"""Issue 12.1 / 13.8: the template's example never reaches a person; a change of ФИО or birth date by an
import is shown in the check and applied only when confirmed; the application has a confirmation step."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import reverse

from frmr.accounts.models import User
from frmr.audit.actors import SYSTEM
from frmr.audit.models import AuditEntry
from frmr.core.validators import validate_snils
from frmr.imports.columns import COLUMNS, EXAMPLE_SNILS, HEADERS
from frmr.imports.models import ImportJob, ImportStatus
from frmr.registry.models import (
    EmploymentCard,
    IdentityDocument,
    Organization,
    Person,
    ProfessionalEducation,
)
from tests.factories import EmploymentCardFactory, PersonFactory, valid_snils

MODELS: tuple[type[models.Model], ...] = (
    Person,
    IdentityDocument,
    ProfessionalEducation,
    EmploymentCard,
    AuditEntry,
)


@pytest.fixture
def ivanova(org_a: Organization) -> Person:
    """The demo doctor: her СНИЛС is the one the old template's example carried."""
    person = PersonFactory(
        snils="11223344595",
        last_name="Иванова",
        first_name="Анна",
        patronymic="Сергеевна",
        gender=2,
        birth_date=datetime.date(1985, 3, 14),
    )
    EmploymentCardFactory(
        person=person,
        organization=org_a,
        department=org_a.departments.get(),
        begin_date=datetime.date(2019, 3, 1),
    )
    return person


def register_state() -> dict[str, Any]:
    """Everything an import may touch: every row of every model, as stored."""
    return {model.__name__: sorted(map(repr, model._default_manager.values())) for model in MODELS}


def upload(client: Client, name: str, content: bytes) -> ImportJob:
    response = client.post(reverse("mo:import"), {"file": SimpleUploadedFile(name, content)})
    job = ImportJob.objects.latest("created_at")
    assert response.status_code == 302 and job.status == ImportStatus.CHECKED, job.failure
    return job


def apply(client: Client, job: ImportJob, **data: Any) -> ImportJob:
    response = client.post(reverse("mo:import_apply", args=[job.pk]), {"confirm": "1", **data})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.failure
    return job


def csv_file(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADERS)
    for values in rows:
        writer.writerow([values.get(column.key, "") for column in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def example(**values: str) -> dict[str, str]:
    row = {column.key: column.example for column in COLUMNS}
    row["department"] = "Терапевтическое отделение"
    row.update(values)
    return row


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_untouched_template_changes_nothing(operator_client: Client, ivanova: Person, fmt: str) -> None:
    """«Done when»: download the template, upload it untouched, apply — the register is as before."""
    before = register_state()
    entries = AuditEntry.objects.filter(person=ivanova).count()
    content = operator_client.get(reverse("mo:import_template", args=[fmt])).content
    job = upload(operator_client, f"template.{fmt}", content)
    page = operator_client.get(reverse("mo:import_job", args=[job.pk])).content.decode()
    if fmt == "csv":
        assert "Это строка-образец из шаблона: удалите её" in page
        assert job.check_result["counts"]["error"] == 1
    else:
        assert "В файле нет строк с сотрудниками" in page
        assert job.check_result["total"] == 0
    job = apply(operator_client, job)
    assert job.apply_result["counts"]["create"] == job.apply_result["counts"]["update"] == 0
    assert register_state() == before
    ivanova.refresh_from_db()
    assert (ivanova.last_name, ivanova.first_name, ivanova.birth_date) == (
        "Иванова",
        "Анна",
        datetime.date(1985, 3, 14),
    )
    assert AuditEntry.objects.filter(person=ivanova).count() == entries


def test_the_template_keeps_its_example_apart_and_invalid(operator_client: Client) -> None:
    content = operator_client.get(reverse("mo:import_template", args=["xlsx"])).content
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Сотрудники", "Образец"]
    assert [c.value for c in book["Сотрудники"][1]] == HEADERS
    assert book["Сотрудники"].max_row == 1  # the sheet to fill holds the headers only
    sample = book["Образец"]
    assert sample.cell(row=2, column=1).value == "123-456-789 00"
    assert "не загружаются" in sample.cell(row=4, column=1).value
    data = operator_client.get(reverse("mo:import_template", args=["csv"])).content.decode("utf-8-sig")
    assert "112-233-445 95" not in data and "11223344595" not in data
    assert data.splitlines()[1].startswith("123-456-789 00;")
    # No person can ever hold the example's СНИЛС: its control number is wrong.
    with pytest.raises(Exception, match="Контрольное число"):
        validate_snils(EXAMPLE_SNILS)


def test_a_copied_or_old_example_row_is_refused(operator_client: Client, ivanova: Person) -> None:
    """The current example (among real rows), and the example of templates downloaded before the fix:
    the demo doctor's СНИЛС under «Кузнецова Анна Сергеевна»."""
    before = register_state()
    old = example(
        snils="112-233-445 95",
        last_name="Кузнецова",
        email="kuznetsova@example.ru",
    )
    content = csv_file([example(), old, example(snils=valid_snils(77), last_name="Лебедева")])
    job = upload(operator_client, "staff.csv", content)
    messages = {(e["row"], e["message"]) for e in job.check_result["errors"]}
    assert messages == {
        (2, "Это строка-образец из шаблона: удалите её и впишите своих сотрудников."),
        (3, "Это строка-образец из шаблона: удалите её и впишите своих сотрудников."),
    }
    assert job.check_result["counts"]["create"] == 1
    apply(operator_client, job)
    ivanova.refresh_from_db()
    assert ivanova.last_name == "Иванова"
    assert IdentityDocument.objects.filter(person=ivanova).count() == 0
    assert Person.objects.count() == len(before["Person"]) + 1


def test_a_change_of_identity_is_shown_and_skipped_unless_confirmed(
    operator_client: Client, ivanova: Person
) -> None:
    rename = example(snils="112-233-445 95", last_name="Петрова")
    job = upload(operator_client, "staff.csv", csv_file([rename, example(snils=valid_snils(78))]))
    assert job.check_result["identity_count"] == 1
    page = operator_client.get(reverse("mo:import_job", args=[job.pk])).content.decode()
    assert "Смена ФИО или даты рождения: 1 строка" in page
    assert "фамилия: «Иванова» → «<strong>Петрова</strong>»" in page
    assert 'name="identity"' in page and "Подтверждаю смену в строке 2" in page
    before = register_state()

    # The first step only shows what will happen: nothing is queued or written.
    step = operator_client.post(reverse("mo:import_apply", args=[job.pk]))
    text = step.content.decode()
    assert step.status_code == 200 and "Подтвердить загрузку" in text and "Отмена" in text
    assert "Не подтверждены и будут пропущены целиком" in text
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and register_state() == before

    # Applied without the tick: the row is skipped whole and reported.
    job = apply(operator_client, job)
    assert job.apply_result["counts"]["skipped"] == 1 and job.apply_result["counts"]["create"] == 1
    ivanova.refresh_from_db()
    assert ivanova.last_name == "Иванова"
    assert not IdentityDocument.objects.filter(person=ivanova).exists()
    assert EmploymentCard.objects.filter(person=ivanova).count() == 1
    page = operator_client.get(reverse("mo:import_job", args=[job.pk])).content.decode()
    assert "Пропущено строк со сменой ФИО или даты рождения без подтверждения: <strong>1</strong>" in page
    assert "пропущена: смена ФИО или даты рождения не подтверждена" in page

    # Confirmed: the row is applied.
    job = upload(operator_client, "staff.csv", csv_file([rename]))
    key = job.check_result["identity"][0]["identity_key"]
    step = operator_client.post(reverse("mo:import_apply", args=[job.pk]), {"identity": key})
    assert "Вы подтвердили смену ФИО или даты рождения в 1 строке" in step.content.decode()
    assert f'name="identity" value="{key}"' in step.content.decode()
    # «Вернуться к проверке» keeps the tick.
    back = operator_client.post(reverse("mo:import_apply", args=[job.pk]), {"identity": key, "back": "1"})
    assert f'value="{key}" id="identity-2" checked' in back.content.decode()
    job = apply(operator_client, job, identity=key)
    ivanova.refresh_from_db()
    assert ivanova.last_name == "Петрова"
    assert job.identity_confirmed == [key]


def test_confirming_all_rows_at_once_and_unknown_keys(operator_client: Client, ivanova: Person) -> None:
    rows = [
        example(snils="112-233-445 95", last_name="Петрова"),
        example(snils="112-233-445 95", last_name="Петрова", birth_date="15.03.1985"),
    ]
    job = upload(operator_client, "staff.csv", csv_file(rows))
    assert job.check_result["identity_count"] == 2
    page = operator_client.get(reverse("mo:import_job", args=[job.pk])).content.decode()
    assert "Подтверждаю изменение личных данных во всех 2 строках выше" in page
    # A key that is not one of the file's rows confirms nothing.
    apply(operator_client, job, identity="0" * 32)
    ivanova.refresh_from_db()
    assert ivanova.last_name == "Иванова" and job.apply_result["counts"]["skipped"] == 2
    job = upload(operator_client, "staff.csv", csv_file(rows))
    apply(operator_client, job, identity_all="1")
    ivanova.refresh_from_db()
    assert ivanova.last_name == "Петрова" and ivanova.birth_date == datetime.date(1985, 3, 15)


def test_the_confirmation_step_is_the_operators_own(
    client: Client, operator_a: User, operator_b: User, worker: User, dictionaries: None
) -> None:
    client.force_login(operator_a)
    job = upload(client, "staff.csv", csv_file([example(snils=valid_snils(79))]))
    url = reverse("mo:import_apply", args=[job.pk])
    client.force_login(operator_b)
    assert client.post(url).status_code == 404
    assert client.post(url, {"confirm": "1"}).status_code == 404
    client.force_login(worker)
    assert client.post(url, {"confirm": "1"}).status_code == 403
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and not Person.objects.filter(snils=valid_snils(79)).exists()
    client.force_login(operator_a)
    assert client.get(url).status_code == 405
    apply(client, job)
    assert Person.objects.filter(snils=valid_snils(79)).exists()
    # A loaded file is not offered again: the step refuses before asking.
    again = client.post(url, follow=True).content.decode()
    assert "загрузить можно только проверенный файл" in again and "Подтвердить загрузку" not in again


def test_no_way_into_the_register_accepts_the_example_snils(db: None) -> None:
    from django.core.exceptions import ValidationError

    from frmr.registry.services import person_create

    data = {
        "snils": "123-456-789 00",
        "last_name": "Образцова",
        "first_name": "Анна",
        "gender": 2,
        "birth_date": datetime.date(1985, 3, 14),
    }
    with pytest.raises(ValidationError) as caught:
        person_create(actor=SYSTEM, organization=None, data=data)
    assert "Контрольное число СНИЛС" in caught.value.message_dict["snils"][0]
    assert not Person.objects.filter(snils=EXAMPLE_SNILS).exists()
