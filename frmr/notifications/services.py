"""Creating notifications and delivering their e-mails exactly once.

Delivery happens in a background task enqueued after the creating transaction commits, so that a
rolled-back change never notifies anybody. The task claims the row with a lock and records the result,
so a second run of the same task (a retry, a duplicate enqueue) never sends the letter twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from frmr.accounts.models import User
from frmr.notifications.models import EmailStatus, Notification

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5


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
            )
    except IntegrityError:
        # Another transaction created the same event in between: theirs is the one.
        if dedup_key:
            return Notification.objects.get(dedup_key=dedup_key)
        raise
    if address:
        notification_id = notification.pk
        transaction.on_commit(lambda: _enqueue_delivery(notification_id))
    return notification


@dataclass(frozen=True)
class NotificationDraft:
    """One notification for `notifications_create_many`: the arguments of `notification_create`."""

    recipient: User
    kind: str
    title: str
    body: str
    link: str = ""
    dedup_key: str | None = None


def notifications_create_many(*, drafts: Sequence[NotificationDraft]) -> int:
    """Create many notifications at once (an import's chunk), as `notification_create` would one by one.

    One query for the keys already used and one INSERT, instead of two statements per notification; a
    key already used is skipped, as `notification_create` returns the existing one. The e-mails are queued
    after commit, each by the same delivery task. `recipient.person` should be loaded (select_related):
    the address is read from it. Returns how many were created (or, after a race, found).
    """
    if len(drafts) <= 1:
        for draft in drafts:
            notification_create(
                recipient=draft.recipient,
                kind=draft.kind,
                title=draft.title,
                body=draft.body,
                link=draft.link,
                dedup_key=draft.dedup_key,
            )
        return len(drafts)
    keys = [draft.dedup_key for draft in drafts if draft.dedup_key]
    used = set(Notification.objects.filter(dedup_key__in=keys).values_list("dedup_key", flat=True))
    rows = []
    for draft in drafts:
        if draft.dedup_key:
            if draft.dedup_key in used:
                continue
            used.add(draft.dedup_key)
        address = _address_of(draft.recipient)
        rows.append(
            Notification(
                recipient=draft.recipient,
                kind=draft.kind,
                title=draft.title,
                body=draft.body,
                link=draft.link,
                dedup_key=draft.dedup_key or None,
                email_to=address,
                email_status=EmailStatus.PENDING if address else EmailStatus.SKIPPED,
            )
        )
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(rows)
    except IntegrityError:
        # Another transaction created one of the same events in between: one by one, each deduplicated.
        for row in rows:
            notification_create(
                recipient=row.recipient,
                kind=row.kind,
                title=row.title,
                body=row.body,
                link=row.link,
                dedup_key=row.dedup_key,
            )
        return len(rows)
    pending = [
        notification.pk for notification in created if notification.email_status == EmailStatus.PENDING
    ]
    if pending:
        transaction.on_commit(lambda: _enqueue_many(pending))
    return len(created)


def _enqueue_many(notification_ids: list[int]) -> None:
    for notification_id in notification_ids:
        _enqueue_delivery(notification_id)


def notification_mark_read(*, notification: Notification, user: User) -> Notification:
    if notification.recipient_id != user.pk:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notification_deliver_email(*, notification_id: int) -> EmailStatus:
    """Send the e-mail of one notification unless it was already sent; record the outcome."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None or notification.email_status not in (EmailStatus.PENDING, EmailStatus.FAILED):
            return EmailStatus(notification.email_status) if notification else EmailStatus.SKIPPED
        notification.email_attempts += 1
        try:
            send_mail(
                subject=f"ФРМР: {notification.title}",
                message=_email_text(notification),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[notification.email_to],
            )
        except Exception as exc:  # any transport error: record it and retry later
            logger.warning("Notification %s e-mail failed: %s", notification.pk, exc)
            notification.email_error = str(exc)[:2000]
            notification.email_status = (
                EmailStatus.GAVE_UP
                if notification.email_attempts >= MAX_EMAIL_ATTEMPTS
                else EmailStatus.FAILED
            )
        else:
            notification.email_status = EmailStatus.SENT
            notification.email_sent_at = timezone.now()
            notification.email_error = ""
        notification.save(update_fields=["email_attempts", "email_status", "email_sent_at", "email_error"])
    if notification.email_status == EmailStatus.FAILED:
        _enqueue_delivery(notification.pk, delay=retry_delay(notification.email_attempts))
    return EmailStatus(notification.email_status)


def notifications_retry_pending(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Re-queue e-mails that are still pending or failed (e.g. the worker was down when they were made)."""
    cutoff = timezone.now() - older_than
    ids = list(
        Notification.objects.filter(
            email_status__in=[EmailStatus.PENDING, EmailStatus.FAILED], created_at__lte=cutoff
        ).values_list("pk", flat=True)[:1000]
    )
    for notification_id in ids:
        _enqueue_delivery(notification_id)
    return len(ids)


def retry_delay(attempts: int) -> timedelta:
    return timedelta(minutes=min(60, 2**attempts))


def _enqueue_delivery(notification_id: int, delay: timedelta | None = None) -> None:
    from frmr.notifications.tasks import deliver_notification_email

    task = deliver_notification_email
    if delay is not None and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    elif delay is not None:
        # A backend without deferral (the immediate one in tests) would retry in a tight loop;
        # the periodic `retry_notifications` command picks the letter up instead.
        return
    task.enqueue(notification_id=notification_id)


def _address_of(user: User) -> str:
    person = user.person if user.person_id else None
    if person is not None and person.email:
        return person.email
    return user.email or ""


def _email_text(notification: Notification) -> str:
    parts = [notification.body]
    if notification.link:
        parts.append(f"Подробнее: {settings.SITE_URL.rstrip('/')}{notification.link}")
    parts.append("Это письмо отправлено автоматически, отвечать на него не нужно.")
    return "\n\n".join(parts)
