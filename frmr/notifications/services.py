"""Creating notifications; their e-mails are delivered by frmr/notifications/delivery.py.

Delivery happens in a background task enqueued after the creating transaction commits, so that a
rolled-back change never notifies anybody. The letter is also due a claim's length after creation:
should that task be lost (the process died between the commit and the enqueue), the workers' sweep
queues it then.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from frmr.accounts.models import User
from frmr.notifications.delivery import (  # noqa: F401  (the public delivery API, also named here)
    MAX_EMAIL_ATTEMPTS,
    claim_lease,
    enqueue_delivery,
    notification_deliver_email,
    notifications_retry_pending,
    retry_delay,
)
from frmr.notifications.models import EmailStatus, Notification


def notification_create(
    *,
    recipient: User,
    kind: str,
    title: str,
    body: str,
    link: str = "",
    dedup_key: str | None = None,
    email_to: str | None = None,
) -> Notification:
    """Create a notification (or return the existing one with the same `dedup_key`) and queue its e-mail."""
    if dedup_key:
        existing = Notification.objects.filter(dedup_key=dedup_key).first()
        if existing is not None:
            return existing
    address = email_to if email_to is not None else _address_of(recipient)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                title=title,
                body=body,
                link=link,
                dedup_key=dedup_key or None,
                email_to=address,
                email_status=EmailStatus.PENDING if address else EmailStatus.SKIPPED,
                email_due_at=timezone.now() + claim_lease() if address else None,
            )
    except IntegrityError:
        # Another transaction created the same event in between: theirs is the one.
        if dedup_key:
            return Notification.objects.get(dedup_key=dedup_key)
        raise
    if address:
        notification_id = notification.pk
        transaction.on_commit(lambda: enqueue_delivery(notification_id))
    return notification


def notification_mark_read(*, notification: Notification, user: User) -> Notification:
    if notification.recipient_id != user.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def _address_of(user: User) -> str:
    person = user.person if user.person_id else None
    if person is not None and person.email:
        return person.email
    return user.email or ""
