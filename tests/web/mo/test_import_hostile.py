"""Hostile input around the import in the employer cabinet: names with control characters, bombs."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from frmr.accounts.models import User
from frmr.imports.models import ImportJob, ImportStatus
from frmr.imports.readers import MESSAGE_ZIP_BOMB
from frmr.imports.template import EXAMPLE_SHEET
from frmr.registry.models import Organization
from tests import hostile
from tests.factories import DepartmentFactory


def test_the_template_survives_a_department_name_with_control_characters(
    operator_client: Client, org_a: Organization
) -> None:
    # Sorted first, so the example row names it; NUL is left out (PostgreSQL cannot store it at all).
    DepartmentFactory(organization=org_a, oid=f"{org_a.oid}.0.9", name="Акушерское\x07 отделение\x1b\x7f")
    xlsx = operator_client.get(reverse("mo:import_template", args=["xlsx"]))
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))[EXAMPLE_SHEET]
    values = [cell.value for cell in sheet[2]]
    assert "Акушерское отделение" in values
    text = operator_client.get(reverse("mo:import_template", args=["csv"]))
    assert text.status_code == 200
    assert "Акушерское отделение;" in text.content.decode("utf-8-sig")


def test_an_uploaded_xlsx_bomb_gives_a_finished_job_with_the_message(operator_client: Client) -> None:
    bomb = SimpleUploadedFile("сотрудники.xlsx", hostile.xlsx_sheet_bomb(2 * 1024 * 1024))
    response = operator_client.post(reverse("mo:import"), {"file": bomb})
    job = ImportJob.objects.latest("created_at")
    assert response["Location"] == reverse("mo:import_job", args=[job.pk])
    assert job.status == ImportStatus.FAILED and job.failure == MESSAGE_ZIP_BOMB
    page = operator_client.get(response["Location"]).content.decode()
    assert "Загрузка не удалась" in page and "Файл XLSX устроен подозрительно" in page
    status = operator_client.get(reverse("mo:import_status", args=[job.pk])).json()
    assert status["running"] is False and status["status"] == "failed"


def test_another_organization_does_not_see_the_refused_job(operator_client: Client, operator_b: User) -> None:
    bomb = SimpleUploadedFile("сотрудники.xlsx", hostile.xlsx_sheet_bomb(1024 * 1024))
    operator_client.post(reverse("mo:import"), {"file": bomb})
    job = ImportJob.objects.latest("created_at")
    other = Client()
    other.force_login(operator_b)
    assert other.get(reverse("mo:import_job", args=[job.pk])).status_code == 404
