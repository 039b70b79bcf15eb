"""Private downloads: a document of an application and the extract, for every kind of visitor.

Only the owner (and, for documents of a sent application, the centre's staff and the commission's
secretaries) gets the file; everyone else gets 404 as if it did not exist, an anonymous visitor of the
cabinet's extract the login page.
"""

from __future__ import annotations

import io
from typing import Any

import pikepdf
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from frmr.accounts.models import User
from frmr.accreditation import services
from frmr.accreditation.models import Application
from frmr.nsi import oids
from frmr.nsi.services import dictionaries_load
from tests.accreditation_helpers import PDF_BYTES, at_commission_application

pytestmark = pytest.mark.django_db

VISITORS = ["owner", "other_worker", "operator_a", "fac_staff", "secretary", "anonymous"]


@pytest.fixture(autouse=True)
def dictionaries(db: None) -> None:
    dictionaries_load(
        only=[oids.EDUCATION_LEVELS, oids.SPECIALTY_KINDS, oids.SPECIALTIES, oids.ACCREDITATION_KINDS]
    )


@pytest.fixture
def accredited(worker: User, fac_staff: User, secretary: User) -> Application:
    return services.application_record_decision(
        application=at_commission_application(worker, fac_staff),
        actor=secretary,
        accredited=True,
        protocol_number="3",
        protocol_date=timezone.localdate(),
    )


def client_of(visitor: str, request: pytest.FixtureRequest) -> Client:
    client = Client()
    if visitor != "anonymous":
        client.force_login(request.getfixturevalue("worker" if visitor == "owner" else visitor))
    return client


@pytest.mark.parametrize("visitor", VISITORS)
def test_extract(visitor: str, accredited: Application, request: pytest.FixtureRequest) -> None:
    assert accredited.accreditation_record is not None
    number = accredited.accreditation_record.registry_number
    response = client_of(visitor, request).get(reverse("lk:extract", kwargs={"registry_number": number}))
    if visitor == "owner":
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "no-store"
        pdf = pikepdf.open(io.BytesIO(response.content))
        assert len(pdf.pages) == 1
    elif visitor == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/login/?next=")
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("visitor", VISITORS)
def test_document(
    visitor: str, accredited: Application, request: pytest.FixtureRequest, settings: Any
) -> None:
    document = accredited.documents.get(doc_type="passport")
    default_storage.save(document.storage_name, ContentFile(PDF_BYTES))
    response = client_of(visitor, request).get(reverse("lk:document_download", kwargs={"pk": document.pk}))
    if visitor in ("owner", "fac_staff", "secretary"):
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    else:
        assert response.status_code == 404


def test_an_unknown_number_is_404_to_the_owner(worker: User, accredited: Application) -> None:
    client = Client()
    client.force_login(worker)
    assert client.get(reverse("lk:extract", kwargs={"registry_number": "2000-0000000"})).status_code == 404
