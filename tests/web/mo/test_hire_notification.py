"""Hiring in the cabinet tells the worker (issue 13, point 15; rule: frmr/registry/services/hires.py)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from frmr.accounts.models import User
from frmr.notifications.models import Notification
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry
from frmr.registry.models import Organization


def _hire(client: Client, user: User, org: Organization, rate: str) -> int:
    assert user.person is not None
    client.post(reverse("mo:add"), {"snils": user.person.snils})
    response = client.post(
        reverse("mo:hire", args=[user.person.oid]),
        {
            "department": org.departments.get().pk,
            "position": DictionaryEntry.objects.of(oids.POSITIONS).get(code="1001").pk,
            "position_type": DictionaryEntry.objects.of(oids.POSITION_TYPES).get(code="1").pk,
            "rate": rate,
            "begin_date": "2025-02-03",
        },
    )
    return response.status_code


def test_a_hire_in_the_cabinet_notifies_the_worker(
    operator_client: Client, other_worker: User, org_a: Organization
) -> None:
    assert _hire(operator_client, other_worker, org_a, "0.30") == 200  # refused: shown again
    assert not Notification.objects.exists()
    assert _hire(operator_client, other_worker, org_a, "1.00") == 302
    notification = Notification.objects.get()
    assert notification.recipient == other_worker
    assert notification.title == f"Приём на работу: {org_a.name_short}"
    assert "с 03.02.2025" in notification.body and "видит ваше личное дело" in notification.body

    # The worker reads it in their cabinet; another worker does not.
    operator_client.force_login(other_worker)
    assert notification.title in operator_client.get(reverse("lk:notifications")).content.decode()
