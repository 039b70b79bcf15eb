"""The employer cabinet's change of a worker's file tells the worker once per saved form."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from frmr.accounts.models import User
from frmr.notifications.file_changes import KIND
from frmr.notifications.models import Notification
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry


def test_cabinet_change_tells_the_worker(
    operator_client: Client, worker: User, django_capture_on_commit_callbacks: Any
) -> None:
    assert worker.person is not None
    data = {
        "education_type": DictionaryEntry.objects.get(dictionary=oids.EDUCATION_TYPES, code="1").pk,
        "institution_name": "Читинская государственная медицинская академия",
        "begin_year": "2002",
        "end_year": "2008",
        "doc_number": "ВСГ 0123456",
        "doc_date": "2008-06-30",
        "specialty_name": "Лечебное дело",
    }
    url = reverse("mo:section_add", args=[worker.person.oid, "education"])
    with django_capture_on_commit_callbacks(execute=True):
        assert operator_client.post(url, data).status_code == 302
    [notice] = Notification.objects.filter(recipient=worker, kind=KIND)
    assert "Профессиональное образование" in notice.title
    assert "operator_a" in notice.body and "Городская больница № 1" in notice.body
    # A refused form changes nothing and tells nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert operator_client.post(url, {**data, "end_year": "2001"}).status_code == 200
    assert Notification.objects.filter(recipient=worker, kind=KIND).count() == 1
