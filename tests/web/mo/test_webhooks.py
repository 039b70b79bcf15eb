"""The employer cabinet's webhooks: who may open them, only the organization's own, the log, replay."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from frmr.accounts.models import User
from frmr.registry.models import Organization
from frmr.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from frmr.webhooks.services import webhook_endpoint_create


@pytest.fixture(autouse=True)
def private_allowed(settings: Any) -> None:
    settings.FRMR_WEBHOOKS_ALLOW_PRIVATE = True


def _endpoint(organization: Organization, operator: User, name: str) -> WebhookEndpoint:
    return webhook_endpoint_create(
        organization=organization,
        actor=operator,
        name=name,
        url="http://127.0.0.1:8522/hook",
        entity_types=[],
    )


def _delivery(endpoint: WebhookEndpoint, position: int, codes: list[int]) -> WebhookDelivery:
    now = timezone.now()
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        position=position,
        message_id=f"msg_{endpoint.pk}_{position}",
        event_type="person.updated",
        payload={"type": "person.updated"},
        status=DeliveryStatus.FAILED,
        attempts=len(codes),
        created_at=now,
        due_at=now,
    )
    for code in codes:
        WebhookAttempt.objects.create(delivery=delivery, at=now, status_code=code)
    return delivery


def _count(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_lists_only_own_endpoints_in_fixed_queries(
    operator_client: Client, operator_a: User, operator_b: User, org_a: Organization, org_b: Organization
) -> None:
    mine = _endpoint(org_a, operator_a, "МИС больницы")
    _endpoint(org_b, operator_b, "Чужая система поликлиники")
    few, page = _count(operator_client, reverse("mo:webhooks"))
    assert "МИС больницы" in page and "Чужая система поликлиники" not in page
    for n in range(4):
        _endpoint(org_a, operator_a, f"Ещё {n}")
    many, page = _count(operator_client, reverse("mo:webhooks"))
    assert many == few and "Ещё 3" in page
    detail = reverse("mo:webhook", args=[mine.pk])
    _delivery(mine, 1, [500])
    few, page = _count(operator_client, detail)
    assert mine.secret in page and "500" in page
    for position in range(2, 7):
        _delivery(mine, position, [503, 200])
    many, page = _count(operator_client, detail)
    assert many == few and "503" in page


def test_the_kinds_of_change_are_one_labelled_group_of_checkboxes(operator_client: Client) -> None:
    page = operator_client.get(reverse("mo:webhooks")).content.decode()
    group = page.split('id="id_entity_types-field"', 1)[1].split("</fieldset>", 1)[0]
    assert '<legend class="field__label">Какие изменения присылать</legend>' in group
    assert "Ничего не отмечено — все изменения" in group
    assert '<label for="id_entity_types_0">Личные данные</label>' in group


def test_register_from_the_cabinet(operator_client: Client, org_a: Organization) -> None:
    response = operator_client.post(
        reverse("mo:webhooks"),
        {"name": "МИС", "url": "http://127.0.0.1:8523/in", "entity_types": ["registry.person"]},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("mo:webhook", args=[endpoint.pk])
    assert endpoint.organization == org_a and endpoint.entity_types == ["registry.person"]
    page = operator_client.post(reverse("mo:webhooks"), {"name": "Без адреса", "url": ""}).content.decode()
    assert "Укажите адрес получателя" in page and 'value="Без адреса"' in page


def test_refused_address_keeps_the_input(operator_client: Client, settings: Any) -> None:
    settings.FRMR_WEBHOOKS_ALLOW_PRIVATE = False
    page = operator_client.post(
        reverse("mo:webhooks"), {"name": "Внутренний", "url": "https://10.0.0.7/hook"}
    ).content.decode()
    assert "внутреннюю сеть" in page and 'value="Внутренний"' in page
    assert not WebhookEndpoint.objects.exists()


def test_replay_and_switch(
    operator_client: Client, operator_a: User, org_a: Organization, django_capture_on_commit_callbacks: Any
) -> None:
    endpoint = _endpoint(org_a, operator_a, "МИС")
    delivery = _delivery(endpoint, 1, [500])
    delivery.status = DeliveryStatus.GAVE_UP
    delivery.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(reverse("mo:webhook_replay", args=[endpoint.pk, delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    # Queued again; the test settings' immediate task backend ran it at once against a closed port.
    assert delivery.attempts == 2 and delivery.status == DeliveryStatus.FAILED
    operator_client.post(reverse("mo:webhook_active", args=[endpoint.pk]), {"active": "0"})
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    operator_client.post(reverse("mo:webhook_active", args=[endpoint.pk]), {"active": "1"})
    endpoint.refresh_from_db()
    assert endpoint.is_active


def test_other_organizations_endpoints_are_not_found(
    operator_client: Client, operator_b: User, org_b: Organization
) -> None:
    theirs = _endpoint(org_b, operator_b, "Чужой")
    delivery = _delivery(theirs, 1, [500])
    assert operator_client.get(reverse("mo:webhook", args=[theirs.pk])).status_code == 404
    assert (
        operator_client.post(reverse("mo:webhook_replay", args=[theirs.pk, delivery.pk])).status_code == 404
    )
    assert (
        operator_client.post(reverse("mo:webhook_active", args=[theirs.pk]), {"active": "0"}).status_code
        == 404
    )
    theirs.refresh_from_db()
    delivery.refresh_from_db()
    assert theirs.is_active and delivery.attempts == 1


def test_worker_403_and_anonymous_to_login(client: Client, worker: User) -> None:
    for url in [reverse("mo:webhooks"), reverse("mo:webhook", args=[1])]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    client.force_login(worker)
    for url in [reverse("mo:webhooks"), reverse("mo:webhook", args=[1])]:
        assert client.get(url).status_code == 403, url
