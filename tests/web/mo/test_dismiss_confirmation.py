"""Issue 12.2: «Уволить» takes a confirmation step that names the person, the date and the reason."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from frmr.accounts.models import User
from frmr.audit.models import AuditEntry
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry
from frmr.registry.models import Person


@pytest.fixture
def reason(dictionaries: None) -> DictionaryEntry:
    return DictionaryEntry.objects.get(dictionary=oids.DISMISSAL_REASONS, code="2")


def test_dismissal_asks_first_and_dismisses_on_confirmation(
    operator_client: Client, employee: Person, reason: DictionaryEntry
) -> None:
    card = employee.cards.get()
    url = reverse("mo:dismiss", args=[card.pk])
    data = {"end_date": "2024-01-31", "end_reason": reason.pk}
    entries = AuditEntry.objects.filter(person=employee).count()
    step = operator_client.post(url, data)
    text = step.content.decode()
    assert step.status_code == 200
    assert "Подтвердите увольнение: Кузнецова Мария Викторовна" in text
    assert "31.01.2024" in text and reason.name in text and card.position.name in text
    assert "Отменить увольнение в кабинете нельзя" in text
    assert "Подтвердить увольнение" in text and "Отмена" in text
    card.refresh_from_db()
    assert card.end_date is None and AuditEntry.objects.filter(person=employee).count() == entries
    # «Изменить»: the form again with what was entered.
    back = operator_client.post(url, {**data, "back": "1"}).content.decode()
    assert 'value="2024-01-31"' in back and f'value="{reason.pk}" selected' in back
    card.refresh_from_db()
    assert card.end_date is None
    response = operator_client.post(url, {**data, "confirm": "1"})
    assert response.status_code == 302
    card.refresh_from_db()
    assert str(card.end_date) == "2024-01-31" and card.end_reason == reason
    # A second attempt is refused before any confirmation is asked.
    again = operator_client.post(url, {"end_date": "2024-02-29", "end_reason": reason.pk}).content.decode()
    assert "Работник уже уволен с этой должности 31.01.2024." in again and "Подтвердить" not in again


def test_the_dismissal_step_is_the_employers_own(
    client: Client, employee: Person, operator_b: User, worker: User, reason: DictionaryEntry
) -> None:
    card = employee.cards.get()
    url = reverse("mo:dismiss", args=[card.pk])
    data = {"end_date": "2024-01-31", "end_reason": reason.pk}
    client.force_login(operator_b)
    assert client.post(url, data).status_code == 404
    assert client.post(url, {**data, "confirm": "1"}).status_code == 404
    client.force_login(worker)
    assert client.post(url, data).status_code == 403
    assert client.post(url, {**data, "confirm": "1"}).status_code == 403
    card.refresh_from_db()
    assert card.end_date is None
