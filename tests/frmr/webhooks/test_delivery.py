"""Webhooks over real HTTP: signed as Standard Webhooks says, retried with back-off, replayed, refused
for internal addresses in production (docs/sync.md «Вебхуки»)."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from prometheus_client import REGISTRY

from frmr.accounts.models import User
from frmr.notifications.models import Notification
from frmr.registry.models import Organization, Person
from frmr.registry.services import person_update
from frmr.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from frmr.webhooks.services import (
    retry_delay,
    webhook_delivery_attempt,
    webhook_delivery_replay,
    webhook_endpoint_create,
    webhooks_fan_out_all,
)
from tests.changes_helpers import wait_settled
from tests.factories import EmploymentCardFactory, PersonFactory
from tests.frmr.webhooks.receiver import Received, Receiver

pytestmark = pytest.mark.django_db(transaction=True)


def verified(secret: str, request: Received, *, now: int, tolerance: int = 300) -> bool:
    """The receiver's check, written from the Standard Webhooks specification: the key is the base64
    after `whsec_`; the signed content is `{webhook-id}.{webhook-timestamp}.{body}`; the header holds
    space-separated `v1,<base64 HMAC-SHA256>` signatures; a timestamp far from now is refused."""
    message_id = request.headers["webhook-id"]
    timestamp = request.headers["webhook-timestamp"]
    if abs(now - int(timestamp)) > tolerance:
        return False
    key = base64.b64decode(secret.split("_", 1)[1])
    content = message_id.encode() + b"." + timestamp.encode() + b"." + request.body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    for candidate in request.headers["webhook-signature"].split(" "):
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return True
    return False


def _failures(reason: str) -> float:
    return REGISTRY.get_sample_value("frmr_webhook_failures_total", {"reason": reason}) or 0.0


@pytest.fixture
def employee(org_a: Organization) -> Person:
    person = PersonFactory()
    EmploymentCardFactory(person=person, organization=org_a, department=org_a.departments.get())
    return person


def _change_and_fan_out(operator: User, organization: Organization, person: Person, email: str) -> None:
    person_update(actor=operator, organization=organization, person=person, data={"email": email})
    wait_settled()
    webhooks_fan_out_all()


def test_fails_five_times_then_acknowledged_signed_and_replayed(
    receiver: Receiver, queued: list[int], operator_a: User, org_a: Organization, employee: Person
) -> None:
    endpoint = webhook_endpoint_create(
        organization=org_a, actor=operator_a, name="МИС", url=receiver.url, entity_types=[]
    )
    assert endpoint.secret.startswith("whsec_")
    _change_and_fan_out(operator_a, org_a, employee, "changed@example.ru")
    webhooks_fan_out_all()  # a second fan-out finds nothing new
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert queued == [delivery.pk] and delivery.event_type == "person.updated"

    receiver.answers = [500, 502, 503, 500, 404]
    failures_before = _failures("status")
    now = timezone.now()
    for attempt in range(1, 6):
        assert webhook_delivery_attempt(delivery_id=delivery.pk, now=now) == DeliveryStatus.FAILED
        delivery.refresh_from_db()
        assert delivery.attempts == attempt and delivery.due_at == now + retry_delay(attempt)
        now = delivery.due_at
    assert webhook_delivery_attempt(delivery_id=delivery.pk, now=now) == DeliveryStatus.SUCCEEDED
    # Acknowledged: nothing is sent again.
    assert webhook_delivery_attempt(delivery_id=delivery.pk, now=now + datetime.timedelta(days=1)) is None

    assert len(receiver.requests) == 6
    assert _failures("status") - failures_before == 5
    assert {r.headers["webhook-id"] for r in receiver.requests} == {delivery.message_id}
    for request in receiver.requests:
        assert verified(endpoint.secret, request, now=int(request.headers["webhook-timestamp"]))
    last = receiver.requests[-1]
    assert not verified(endpoint.secret, Received(last.path, last.headers, last.body + b" "), now=int(
        last.headers["webhook-timestamp"]))  # fmt: skip
    assert not verified("whsec_" + base64.b64encode(b"x" * 32).decode(), last, now=int(
        last.headers["webhook-timestamp"]))  # fmt: skip
    body = json.loads(last.body)
    assert body["type"] == "person.updated"
    assert body["data"]["personOid"] == employee.oid and body["data"]["entityType"] == "registry.person"
    assert last.path == "/frmr/hook"
    codes = list(delivery.attempt_log.order_by("at").values_list("status_code", flat=True))
    assert codes == [500, 502, 503, 500, 404, 200]
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None and endpoint.is_active

    webhook_delivery_replay(delivery=delivery, actor=operator_a)
    assert queued[-1] == delivery.pk
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == DeliveryStatus.SUCCEEDED
    assert len(receiver.requests) == 7
    assert receiver.requests[-1].headers["webhook-id"] == delivery.message_id
    assert receiver.requests[-1].body == last.body


def test_scoped_and_filtered(
    receiver: Receiver,
    queued: list[int],
    operator_a: User,
    operator_b: User,
    admin_user: User,
    org_a: Organization,
    org_b: Organization,
    employee: Person,
) -> None:
    everything = webhook_endpoint_create(
        organization=org_a, actor=operator_a, name="A", url=receiver.url, entity_types=[]
    )
    cards_only = webhook_endpoint_create(
        organization=org_a,
        actor=operator_a,
        name="A2",
        url=receiver.url,
        entity_types=["registry.employmentcard"],
    )
    other = webhook_endpoint_create(
        organization=org_b, actor=operator_b, name="B", url=receiver.url, entity_types=[]
    )
    national = webhook_endpoint_create(
        organization=None, actor=admin_user, name="ЕГИСЗ", url=receiver.url, entity_types=[]
    )
    with pytest.raises(PermissionDenied):
        webhook_endpoint_create(
            organization=None, actor=operator_a, name="X", url=receiver.url, entity_types=[]
        )
    _change_and_fan_out(operator_a, org_a, employee, "scoped@example.ru")
    assert WebhookDelivery.objects.filter(endpoint=everything).count() == 1
    [whole] = WebhookDelivery.objects.filter(endpoint=national)
    assert whole.payload["data"]["organizationOid"] is None
    assert whole.payload["data"]["personOid"] == employee.oid
    assert not WebhookDelivery.objects.filter(endpoint__in=[cards_only, other]).exists()
    # The cursor moved past the event for every endpoint of org_a, delivered or filtered out.
    everything.refresh_from_db()
    cards_only.refresh_from_db()
    assert everything.cursor == cards_only.cursor > 0
    with pytest.raises(PermissionDenied):
        webhook_endpoint_create(
            organization=org_a, actor=operator_b, name="X", url=receiver.url, entity_types=[]
        )


def test_failing_for_three_days_disables_with_a_notice(
    receiver: Receiver, queued: list[int], operator_a: User, org_a: Organization, employee: Person
) -> None:
    endpoint = webhook_endpoint_create(
        organization=org_a, actor=operator_a, name="МИС", url=receiver.url, entity_types=[]
    )
    _change_and_fan_out(operator_a, org_a, employee, "down@example.ru")
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    receiver.answers = [500] * 100
    now = timezone.now()
    statuses = []
    while True:
        status = webhook_delivery_attempt(delivery_id=delivery.pk, now=now)
        if status is None:
            break
        statuses.append(status)
        delivery.refresh_from_db()
        now = delivery.due_at
    assert statuses[-1] == DeliveryStatus.GAVE_UP and set(statuses[:-1]) == {DeliveryStatus.FAILED}
    endpoint.refresh_from_db()
    assert not endpoint.is_active and "3 дня" in endpoint.disabled_reason
    notice = Notification.objects.get(recipient=operator_a, kind="webhook_disabled")
    assert endpoint.url in notice.body
    # Within 3 days and 6-hour steps at most: a bounded number of attempts.
    assert 10 < len(receiver.requests) < 30


def test_internal_addresses_refused_in_production(
    settings: Any, operator_a: User, org_a: Organization
) -> None:
    settings.FRMR_WEBHOOKS_ALLOW_PRIVATE = False
    for url in [
        "https://127.0.0.1/hook",
        "https://10.20.30.40/hook",
        "https://192.168.1.1/hook",
        "https://172.16.0.5/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://localhost/hook",
        "http://93.184.216.34/hook",  # public, but not https
    ]:
        with pytest.raises(ValidationError) as refused:
            webhook_endpoint_create(organization=org_a, actor=operator_a, name="X", url=url, entity_types=[])
        assert "url" in refused.value.message_dict, url
    assert not WebhookEndpoint.objects.exists()


def test_checked_again_at_delivery(
    receiver: Receiver,
    queued: list[int],
    settings: Any,
    operator_a: User,
    org_a: Organization,
    employee: Person,
) -> None:
    # Saved while allowed (as a host whose DNS answer later turns internal would be): the delivery
    # checks the address again and sends nothing.
    endpoint = webhook_endpoint_create(
        organization=org_a, actor=operator_a, name="МИС", url=receiver.url, entity_types=[]
    )
    _change_and_fan_out(operator_a, org_a, employee, "rebind@example.ru")
    settings.FRMR_WEBHOOKS_ALLOW_PRIVATE = False
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == DeliveryStatus.FAILED
    delivery.refresh_from_db()
    assert receiver.requests == [] and delivery.last_status_code is None
    assert "https://" in delivery.last_error
    assert _failures("connection") >= 1
