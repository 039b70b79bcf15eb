"""The patterns every cabinet shares (issue 12, point 8), as the server renders them."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from frmr.accounts.models import User

pytestmark = pytest.mark.django_db


def field_html(page: str, field_id: str) -> str:
    found = re.search(rf'<div class="field[^"]*" id="{field_id}-field">(.*?)</div>', page, re.S)
    assert found, field_id
    return found.group(1)


def test_the_import_file_is_the_styled_control_and_marked_required(client: Client, operator_a: User) -> None:
    client.force_login(operator_a)
    page = client.get("/mo/import/").content.decode()
    field = field_html(page, "id_file")
    assert "data-file-pick" in field and 'class="file-pick__choose"' in field
    assert 'aria-required="true"' in field and 'class="field__required"' in field
    assert "Clear" not in field and "clear" not in field  # not the ClearableFileInput any more


def test_an_empty_import_shows_the_message_under_the_heading(client: Client, operator_a: User) -> None:
    client.force_login(operator_a)
    response = client.post("/mo/import/", {})
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert re.search(r'<h2 id="upload-title">[^<]*</h2>\s*<div class="error-summary"', page)
    assert "Выберите файл XLSX или CSV." in page


def test_the_import_page_stays_closed_to_a_worker(client: Client, worker: User) -> None:
    client.force_login(worker)
    assert client.get("/mo/import/").status_code in (403, 404)


def test_the_correction_proof_is_the_styled_control(client: Client, worker: User) -> None:
    client.force_login(worker)
    page = client.get("/lk/corrections/new/").content.decode()
    assert "data-file-pick" in field_html(page, "id_proof")


def test_the_worker_error_summary_comes_after_the_heading(client: Client, worker: User) -> None:
    client.force_login(worker)
    page = client.post("/lk/corrections/new/", {}).content.decode()
    assert re.search(r"<h1>Сообщить об ошибке</h1>\s*<div class=\"error-summary\"", page)


def test_a_token_name_the_service_requires_shows_a_star(client: Client, operator_a: User) -> None:
    client.force_login(operator_a)
    field = field_html(client.get("/mo/tokens/").content.decode(), "id_name")
    assert 'aria-required="true"' in field and 'class="field__required"' in field
