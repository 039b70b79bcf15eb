from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from frmr.accounts.models import User
from frmr.accreditation import services
from tests.accreditation_helpers import at_commission_application

pytestmark = pytest.mark.django_db


def test_only_the_owner_downloads_the_extract(
    client: Client, worker: User, other_worker: User, fac_staff: User, secretary: User
) -> None:
    application = services.application_record_decision(
        application=at_commission_application(worker, fac_staff),
        actor=secretary,
        accredited=True,
        protocol_number="3",
        protocol_date=timezone.localdate(),
    )
    number = application.accreditation_record.registry_number
    url = reverse("lk:extract", kwargs={"registry_number": number})
    assert url == f"/lk/accreditation/{number}/extract.pdf"
    assert client.get(url).status_code == 302
    client.force_login(other_worker)
    assert client.get(url).status_code == 404
    client.force_login(worker)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
