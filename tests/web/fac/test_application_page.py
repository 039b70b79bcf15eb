"""The centre's application page (issue 12, point 11): one title throughout, and a viewer never empty."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from frmr.accounts.models import User
from frmr.accreditation import services
from tests.accreditation_helpers import fill_draft, submitted_application

pytestmark = pytest.mark.django_db


def heading(html: str) -> str:
    found = re.search(r"<h1>(.*?)</h1>", html, re.S)
    assert found
    return " ".join(found.group(1).split())


def test_the_title_is_the_same_before_and_after_registration(
    client: Client, worker: User, fac_staff: User
) -> None:
    application = submitted_application(worker)
    client.force_login(fac_staff)
    url = f"/fac/applications/{application.pk}/"
    before = heading(client.get(url).content.decode())
    services.application_register(application=application, actor=fac_staff)
    page = client.get(url).content.decode()
    assert heading(page) == before
    assert before == f"Заявление от {application.submitted_at:%d.%m.%Y}: {worker.person.full_name}"
    assert f"№ {application.pk}" not in before
    application.refresh_from_db()
    assert application.registration_number and f"рег. № {application.registration_number}" in page


def test_the_viewer_opens_the_first_document(client: Client, worker: User, fac_staff: User) -> None:
    application = submitted_application(worker)
    client.force_login(fac_staff)
    page = client.get(f"/fac/applications/{application.pk}/").content.decode()
    viewer = re.search(r'<iframe name="doc-viewer"[^>]*src="([^"]+)"', page)
    assert viewer, "the viewer has a document in it"
    assert viewer.group(1).startswith("/fac/documents/")
    assert application.documents.filter(pk=int(viewer.group(1).rstrip("/").rsplit("/", 1)[1])).exists()


def test_without_documents_a_hint_instead_of_the_viewer(
    client: Client, worker: User, fac_staff: User
) -> None:
    application = services.application_create_draft(actor=worker)
    fill_draft(application, worker)
    application.status = "submitted"
    application.save(update_fields=["status"])
    client.force_login(fac_staff)
    page = client.get(f"/fac/applications/{application.pk}/").content.decode()
    assert "doc-viewer" not in page
    assert "Заявитель не приложил ни одного документа" in page


def test_the_page_stays_closed_to_a_worker(client: Client, worker: User, other_worker: User) -> None:
    application = submitted_application(worker)
    client.force_login(other_worker)
    response = client.get(f"/fac/applications/{application.pk}/")
    assert response.status_code in (403, 404)
    assert "doc-viewer" not in response.content.decode()
