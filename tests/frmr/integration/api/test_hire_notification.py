"""Hiring through the API tells the worker, as the cabinet and the import do."""

from __future__ import annotations

import pytest

from frmr.accounts.models import User
from frmr.notifications.models import Notification
from frmr.registry.models import Organization
from tests.frmr.integration.api.conftest import assert_envelope_error

pytestmark = pytest.mark.django_db


def test_an_api_hire_notifies_the_worker(api_b, worker: User, org_b: Organization) -> None:
    person = worker.person
    assert person is not None
    hire = {
        "nrPmuDepartId": org_b.departments.get().oid,
        "postId": 1001,
        "positionTypeId": 1,
        "rate": 0.3,
        "beginDate": "2024-01-10",
    }
    assert_envelope_error(api_b.post("person/card", hire, snils=person.snils, lastName=person.last_name), 422)
    assert not Notification.objects.exists()
    created = api_b.post("person/card", {**hire, "rate": 1}, snils=person.snils, lastName=person.last_name)
    assert created.status_code == 200, created.content.decode()
    notification = Notification.objects.get()
    assert notification.recipient == worker and org_b.name_short in notification.title
    assert notification.dedup_key == f"card:{created.json_body['content']['entityId']}:hired"
