"""Webhooks: registering endpoints, turning change events into deliveries, sending them (docs/sync.md).

The writer never waits for a webhook. After a transaction that wrote change events commits, the task
`webhooks_fan_out` is queued (frmr/webhooks/triggers.py); it reads each endpoint's feed past the
endpoint's `cursor` — the same `change_feed` the API's `changes` serves, so an event of a transaction
that commits late is not skipped — and writes one `WebhookDelivery` per (endpoint, event) together
with the new cursor, in one transaction under the endpoint's row lock. The unique (endpoint, position)
makes a repeated fan-out harmless. The sweep of the task workers runs the fan-out too, for events that
were not yet published when the task ran (an older transaction was still open) and for a task lost
between the commit and the enqueue.

A delivery is an outbox row sent at least once: claimed under a lease in a short transaction, sent with
no transaction open, its outcome recorded. A failure is retried after 30 s, 1, 2, 4 … minutes (at most
6 hours) until 3 days after the event; then the delivery is GAVE_UP. An endpoint that has answered
nothing but failures for 3 days is disabled and its operators are notified.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from frmr.accounts.models import Role, RoleGrant, User
from frmr.accounts.permissions import ensure_acts_for, ensure_admin
from frmr.audit.actors import ActorLike, acting_user
from frmr.audit.models import AuditAction
from frmr.audit.services import audit_record, created_changes, diff, model_snapshot
from frmr.changes.models import ChangeEvent
from frmr.changes.selectors import change_feed, change_feed_end
from frmr.core.observability.metrics import WEBHOOK_FAILURES
from frmr.registry.catalogue import CATALOGUE
from frmr.registry.models import Organization
from frmr.webhooks.addresses import post, webhook_target
from frmr.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from frmr.webhooks.signing import secret_generate, signature

logger = logging.getLogger(__name__)

RETRY_FOR = timedelta(days=3)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=6)
CLAIM = timedelta(minutes=2)  # longer than a request may take (FRMR_WEBHOOKS_TIMEOUT_SECONDS)
FAN_OUT_PAGE = 500
SWEEP_BATCH = 200
WAITING = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)
AUDITED_FIELDS = ["name", "url", "entity_types", "is_active", "disabled_reason"]

# The kinds of change an endpoint may choose: the change log's entity types, named as the cabinets do.
ENTITY_TYPES: dict[str, StrOrPromise] = {
    **{f"registry.{s.model_name.lower()}": s.title for s in CATALOGUE},
    "registry.absence": gettext_lazy("Отсутствия на работе"),
    "registry.organization": gettext_lazy("Организация"),
    "registry.department": gettext_lazy("Подразделения"),
}


def retry_delay(attempts: int) -> timedelta:
    """Wait after the `attempts`-th failed attempt: 30 s doubling, at most 6 hours."""
    doublings = min(max(attempts - 1, 0), 20)  # 30 s × 2^20 is far past the cap already
    return min(FIRST_RETRY * (1 << doublings), LONGEST_RETRY)


def _clean_entity_types(entity_types: list[str]) -> list[str]:
    unknown = sorted(set(entity_types) - set(ENTITY_TYPES))
    if unknown:
        raise ValidationError(
            {"entity_types": _("Неизвестные виды изменений: %(kinds)s.") % {"kinds": ", ".join(unknown)}}
        )
    return sorted(set(entity_types))


def webhook_endpoint_create(
    *, organization: Organization | None, actor: ActorLike, name: str, url: str, entity_types: list[str]
) -> WebhookEndpoint:
    """Register an endpoint of `organization` (None: a national system, the administrator only).

    It receives the changes committed from now on; the secret is generated here."""
    if organization is None:
        ensure_admin(actor=actor)
    else:
        ensure_acts_for(actor=actor, organization=organization)
    try:
        webhook_target(url)
    except ValidationError as error:
        raise ValidationError({"url": error.messages}) from None
    endpoint = WebhookEndpoint(
        organization=organization,
        name=name.strip()[:200],
        url=url,
        entity_types=_clean_entity_types(entity_types),
        secret=secret_generate(),
        cursor=change_feed_end(organization_id=organization.pk if organization else None),
        created_by=acting_user(actor),
    )
    if not endpoint.name:
        raise ValidationError({"name": _("Укажите название вебхука.")})
    with transaction.atomic():
        endpoint.save()
        audit_record(
            actor=actor,
            organization=organization,
            action=AuditAction.CREATE,
            obj=endpoint,
            person=None,
            changes=created_changes(model_snapshot(endpoint, fields=AUDITED_FIELDS)),
            reason=_("Регистрация вебхука"),
        )
    return endpoint


def webhook_endpoint_set_active(
    *, endpoint: WebhookEndpoint, actor: ActorLike, active: bool
) -> WebhookEndpoint:
    """Switch an endpoint on or off by hand. Switched on again, it goes on from where it stopped: the
    events in between are delivered (or, if older than 3 days, given up at their first failure)."""
    if endpoint.organization_id is None:
        ensure_admin(actor=actor)
    else:
        ensure_acts_for(actor=actor, organization=endpoint.organization)
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        before = model_snapshot(locked, fields=AUDITED_FIELDS)
        locked.is_active = active
        if active:
            locked.failing_since = None
            locked.disabled_at = None
            locked.disabled_reason = ""
        else:
            locked.disabled_at = timezone.now()
            locked.disabled_reason = _("Отключён оператором.")
        locked.save()
        changes = diff(before, model_snapshot(locked, fields=AUDITED_FIELDS))
        if changes:
            audit_record(
                actor=actor,
                organization=locked.organization,
                action=AuditAction.UPDATE,
                obj=locked,
                person=None,
                changes=changes,
                reason=_("Включение вебхука") if active else _("Отключение вебхука"),
            )
    if active:
        transaction.on_commit(lambda: enqueue_fan_out())
    return locked


def webhook_delivery_replay(*, delivery: WebhookDelivery, actor: ActorLike) -> WebhookDelivery:
    """Send a delivery once more, now, with the same `webhook-id` (the receiver decides whether a
    message it has seen is processed again)."""
    endpoint = delivery.endpoint
    if endpoint.organization_id is None:
        ensure_admin(actor=actor)
    else:
        ensure_acts_for(actor=actor, organization=endpoint.organization)
    if not endpoint.is_active:
        raise ValidationError(_("Вебхук отключён: включите его, чтобы отправить событие повторно."))
    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        if locked.claimed_until is not None and locked.claimed_until > timezone.now():
            raise ValidationError(_("Это событие отправляется прямо сейчас: обновите страницу через минуту."))
        locked.status = DeliveryStatus.PENDING
        locked.due_at = timezone.now()
        # A replay is one more chance whatever the event's age: counted from now for the 3 days.
        locked.created_at = timezone.now()
        locked.save(update_fields=["status", "due_at", "created_at"])
        delivery_id = locked.pk
        transaction.on_commit(lambda: enqueue_delivery(delivery_id))
    return locked


# --- fan-out -------------------------------------------------------------------------------------


def _event_type(event: ChangeEvent) -> str:
    return f"{event.entity_type.removeprefix('registry.')}.{event.kind}"


def event_payload(event: ChangeEvent, organization_oid: str | None) -> dict[str, object]:
    """The body of a delivery: Standard Webhooks' `type`, `timestamp`, `data` (the feed's event)."""
    return {
        "type": _event_type(event),
        "timestamp": event.at.isoformat(),
        "data": {
            "position": event.position,
            "at": event.at.isoformat(),
            "kind": event.kind,
            "entityType": event.entity_type,
            "entityId": event.entity_id,
            "personOid": event.person_oid or None,
            "organizationOid": organization_oid,
        },
    }


def webhook_fan_out(*, endpoint_id: int) -> int:
    """Turn the endpoint's new feed events into deliveries; returns how many were created."""
    created = 0
    while True:
        with transaction.atomic():
            endpoint = (
                WebhookEndpoint.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("organization")
                .filter(pk=endpoint_id, is_active=True)
                .first()
            )
            if endpoint is None:  # switched off, or another worker is fanning it out right now
                return created
            page = change_feed(
                organization_id=endpoint.organization_id, after=endpoint.cursor, limit=FAN_OUT_PAGE
            )
            if not page.events:
                return created
            now = timezone.now()
            oid = endpoint.organization.oid if endpoint.organization else None
            rows = [
                WebhookDelivery(
                    endpoint=endpoint,
                    position=event.position,
                    message_id=f"msg_{uuid.uuid4().hex}",
                    event_type=_event_type(event),
                    payload=event_payload(event, oid),
                    created_at=now,
                    due_at=now + CLAIM,  # the task queued below sends it; the sweep if that task is lost
                )
                for event in page.events
                if not endpoint.entity_types or event.entity_type in endpoint.entity_types
            ]
            made = WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
            endpoint.cursor = page.after
            endpoint.save(update_fields=["cursor"])
            ids = list(
                WebhookDelivery.objects.filter(
                    endpoint=endpoint, position__in=[r.position for r in made], status=DeliveryStatus.PENDING
                ).values_list("pk", flat=True)
            )
            transaction.on_commit(partial(_enqueue_deliveries, ids))
            created += len(ids)
            if len(page.events) < FAN_OUT_PAGE:
                return created


def webhooks_fan_out_all() -> int:
    """Fan out every active endpoint (the task, and a job of the workers' sweep)."""
    return sum(
        webhook_fan_out(endpoint_id=pk)
        for pk in WebhookEndpoint.objects.filter(is_active=True).values_list("pk", flat=True)
    )


def enqueue_delivery(delivery_id: int) -> None:
    from frmr.webhooks.tasks import webhook_deliver

    webhook_deliver.enqueue(delivery_id)


def _enqueue_deliveries(ids: list[int]) -> None:
    for delivery_id in ids:
        enqueue_delivery(delivery_id)


def enqueue_fan_out() -> None:
    from frmr.webhooks.tasks import webhooks_fan_out

    webhooks_fan_out.enqueue()


def webhook_deliveries_queue_due() -> int:
    """Queue the deliveries that are due (backed off, or whose sender vanished); the sweep's job.

    Each is moved a claim's length on under its row lock, so several workers queue it once."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status__in=WAITING, due_at__lte=now, endpoint__is_active=True)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("due_at")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        if due:
            WebhookDelivery.objects.filter(pk__in=due).update(due_at=now + CLAIM)
            transaction.on_commit(partial(_enqueue_deliveries, due))
    return len(due)


# --- sending -------------------------------------------------------------------------------------


def _claim(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id, status__in=WAITING, endpoint__is_active=True)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.claimed_until = now + CLAIM
        delivery.save(update_fields=["attempts", "claimed_until"])
    return delivery


def _send(delivery: WebhookDelivery, now: datetime) -> tuple[int | None, str, str]:
    """(status code, error, the failure metric's reason: status, timeout or connection)."""
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "FRMR-Webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(
            secret=delivery.endpoint.secret, message_id=delivery.message_id, timestamp=timestamp, body=body
        ),
    }
    try:
        target = webhook_target(delivery.endpoint.url)  # again: DNS may answer otherwise than at saving
        code = post(target, body=body, headers=headers, timeout=settings.FRMR_WEBHOOKS_TIMEOUT_SECONDS)
        return (
            code,
            "" if 200 <= code < 300 else _("Получатель ответил кодом %(code)s.") % {"code": code},
            "status",
        )
    except ValidationError as error:
        return None, " ".join(error.messages)[:500], "connection"
    except TimeoutError:
        timeout = settings.FRMR_WEBHOOKS_TIMEOUT_SECONDS
        return None, _("Получатель не ответил за %(seconds)s с.") % {"seconds": timeout}, "timeout"
    except OSError as error:
        return None, (f"{type(error).__name__}: {error}")[:500], "connection"


def webhook_delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> str | None:
    """One attempt to send a delivery; its new status, or None if it was not ours to send.

    `now` lets the tests step through the back-off without waiting."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    started = time.monotonic()
    status_code, error, reason = _send(delivery, now)
    duration = int((time.monotonic() - started) * 1000)
    ok = status_code is not None and 200 <= status_code < 300
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery, at=now, status_code=status_code, error=error, duration_ms=duration
        )
        delivery.claimed_until = None
        delivery.last_status_code = status_code
        delivery.last_error = error
        if ok:
            delivery.status = DeliveryStatus.SUCCEEDED
            delivery.delivered_at = now
        elif now - delivery.created_at >= RETRY_FOR:
            delivery.status = DeliveryStatus.GAVE_UP
        else:
            delivery.status = DeliveryStatus.FAILED
            delivery.due_at = now + retry_delay(delivery.attempts)
        delivery.save(
            update_fields=[
                "claimed_until",
                "last_status_code",
                "last_error",
                "status",
                "delivered_at",
                "due_at",
            ]
        )
        _endpoint_outcome(delivery.endpoint_id, ok=ok, now=now)
    if not ok:
        _count_failure(delivery, reason, error)
    return str(delivery.status)


def _endpoint_outcome(endpoint_id: int, *, ok: bool, now: datetime) -> None:
    if ok:
        WebhookEndpoint.objects.filter(pk=endpoint_id, failing_since__isnull=False).update(failing_since=None)
        return
    endpoint = (
        WebhookEndpoint.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=endpoint_id)
    )
    if endpoint.failing_since is None:
        endpoint.failing_since = now
        endpoint.save(update_fields=["failing_since"])
    elif endpoint.is_active and now - endpoint.failing_since >= RETRY_FOR:
        _disable_failing(endpoint, now)


def _disable_failing(endpoint: WebhookEndpoint, now: datetime) -> None:
    from frmr.audit.actors import SYSTEM
    from frmr.notifications.services import notification_create

    before = model_snapshot(endpoint, fields=AUDITED_FIELDS)
    endpoint.is_active = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = _("Получатель не принимал события 3 дня.")
    endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason"])
    audit_record(
        actor=SYSTEM,
        organization=endpoint.organization,
        action=AuditAction.UPDATE,
        obj=endpoint,
        person=None,
        changes=diff(before, model_snapshot(endpoint, fields=AUDITED_FIELDS)),
        reason=_("Отключение вебхука: 3 дня ошибок"),
    )
    since = timezone.localtime(endpoint.failing_since)
    for user in _operators(endpoint):
        notification_create(
            recipient=user,
            kind="webhook_disabled",
            title=_("Вебхук «%(name)s» отключён") % {"name": endpoint.name},
            body=_(
                "Адрес %(url)s не принимал события регистра с %(since)s "
                "(3 дня), поэтому вебхук отключён. Исправьте получателя и включите вебхук снова: события, "
                "накопившиеся за это время, будут отправлены."
            )
            % {"url": endpoint.url, "since": f"{since:%d.%m.%Y %H:%M}"},
            link=f"/mo/webhooks/{endpoint.pk}/" if endpoint.organization_id else "",
            dedup_key=f"webhook-disabled:{endpoint.pk}:{int(now.timestamp())}",
        )


def _operators(endpoint: WebhookEndpoint) -> list[User]:
    if endpoint.organization_id is None:
        return [endpoint.created_by] if endpoint.created_by is not None else []
    ids = RoleGrant.objects.filter(role=Role.OPERATOR, organization_id=endpoint.organization_id).values(
        "user_id"
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).select_related("person"))


def _count_failure(delivery: WebhookDelivery, reason: str, error: str) -> None:
    WEBHOOK_FAILURES.labels(reason=reason).inc()
    logger.warning("webhook %s to endpoint %s failed: %s", delivery.message_id, delivery.endpoint_id, error)
