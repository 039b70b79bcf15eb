"""Every view of the back office, allowed and denied, for every kind of visitor.

Anonymous visitors go to the login page; a logged-in user without the centre's roles gets the 403 page
(a document: 404); the centre's staff process applications, the commission's secretaries decide.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from frmr.accounts.models import User
from frmr.accreditation.models import Application, ApplicationStatus
from tests.accreditation_helpers import (
    PDF_BYTES,
    at_commission_application,
    registered_application,
    submitted_application,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus

VISITORS = ["anonymous", "worker", "other_worker", "operator_a", "fac_staff", "secretary"]


@dataclass(frozen=True)
class Case:
    method: str
    path: str  # with {pk} of the application (or of its passport scan for the document)
    start: S  # the status the application needs for the action to be possible
    allowed: tuple[str, ...]
    ok_status: int
    data: tuple[tuple[str, str], ...] = ()
    becomes: S | None = None  # the status after an allowed action


CASES = {
    "home": Case("get", "/fac/", S.SUBMITTED, ("fac_staff", "secretary"), 200),
    "application": Case("get", "/fac/applications/{pk}/", S.SUBMITTED, ("fac_staff", "secretary"), 200),
    "register": Case(
        "post",
        "/fac/applications/{pk}/register/",
        S.SUBMITTED,
        ("fac_staff",),
        302,
        (("confirm", "1"),),
        S.REGISTERED,
    ),
    # The first step of an irreversible action: a confirmation page, nothing changes.
    "register-step": Case("post", "/fac/applications/{pk}/register/", S.SUBMITTED, ("fac_staff",), 200),
    "refuse": Case(
        "post",
        "/fac/applications/{pk}/refuse/",
        S.SUBMITTED,
        ("fac_staff",),
        302,
        (("refuse-reason", "Документы другого человека"),),
        S.REFUSED_REGISTRATION,
    ),
    "return": Case(
        "post",
        "/fac/applications/{pk}/return/",
        S.REGISTERED,
        ("fac_staff",),
        302,
        (("return-reason", "Скан паспорта нечитаем"), ("return-rows", "passport:0")),
        S.RETURNED,
    ),
    "commission": Case(
        "post",
        "/fac/applications/{pk}/commission/",
        S.REGISTERED,
        ("fac_staff",),
        302,
        becomes=S.AT_COMMISSION,
    ),
    "decision": Case(
        "post",
        "/fac/applications/{pk}/decision/",
        S.AT_COMMISSION,
        ("secretary",),
        302,
        (("decision-accredited", "yes"), ("decision-protocol_number", "7"), ("confirm", "1")),
        S.ACCREDITED,
    ),
    "decision-step": Case(
        "post",
        "/fac/applications/{pk}/decision/",
        S.AT_COMMISSION,
        ("secretary",),
        200,
        (("decision-accredited", "yes"), ("decision-protocol_number", "7")),
    ),
    "document": Case("get", "/fac/documents/{pk}/", S.SUBMITTED, ("fac_staff", "secretary"), 200),
}


def application_in(status: S, worker: User, staff: User) -> Application:
    if status == S.SUBMITTED:
        return submitted_application(worker)
    if status == S.REGISTERED:
        return registered_application(worker, staff)
    return at_commission_application(worker, staff)


@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("name", list(CASES))
def test_fac_view_access(
    name: str, visitor: str, request: pytest.FixtureRequest, worker: User, fac_staff: User, settings: Any
) -> None:
    case = CASES[name]
    application = application_in(case.start, worker, fac_staff)
    pk = application.pk
    if name == "document":
        document = application.documents.get(doc_type="passport")
        default_storage.save(document.storage_name, ContentFile(PDF_BYTES))
        pk = document.pk
    client = Client()
    if visitor != "anonymous":
        client.force_login(request.getfixturevalue(visitor))
    data = dict(case.data)
    if name.startswith("decision"):
        data["decision-protocol_date"] = timezone.localdate().isoformat()
    url = case.path.format(pk=pk)
    response = client.get(url) if case.method == "get" else client.post(url, data)
    application.refresh_from_db()

    if visitor == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/login/?next=")
    elif visitor in case.allowed:
        assert response.status_code == case.ok_status, response.content.decode()[:500]
        if case.becomes is not None:
            assert application.status == case.becomes
        else:
            assert application.status == case.start
        if name == "document":
            assert response["Content-Disposition"].startswith("inline")
            assert response["Content-Security-Policy"] == "sandbox"
            assert b"".join(response.streaming_content).startswith(b"%PDF")
    elif name == "document":
        assert response.status_code == 404
    else:
        assert response.status_code == 403
    if visitor not in case.allowed:
        assert application.status == case.start


def test_a_draft_is_404_even_to_the_centre(worker: User, fac_staff: User) -> None:
    from frmr.accreditation import services

    draft = services.application_create_draft(actor=worker)
    client = Client()
    client.force_login(fac_staff)
    assert client.get(f"/fac/applications/{draft.pk}/").status_code == 404
    assert client.post(f"/fac/applications/{draft.pk}/register/").status_code == 404


def test_the_header_menu_leads_staff_to_the_back_office(
    client: Client, fac_staff: User, worker: User
) -> None:
    client.force_login(fac_staff)
    page = client.get("/").content.decode()
    assert '<a href="/fac/">Заявления на аккредитацию</a>' in page
    client.force_login(worker)
    assert 'href="/fac/"' not in client.get("/lk/").content.decode()
