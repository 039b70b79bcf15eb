"""Delivering a notification's e-mail: an outbox row claimed with a lease, sent at least once.

Each notification with an address is its own outbox row. A sender (the task
`deliver_notification_email`) claims it in a short transaction: the claim lasts
FRMR_EMAIL_CLAIM_SECONDS, counts an attempt and fixes the letter's Message-ID on the first one. It
sends without holding a transaction, then records the outcome. If the sender vanishes anywhere in
between (`kill -9`, the host lost), the row stays claimed until the claim runs out; then it is due,
and the task workers' sweep (`notifications_queue_due`, every FRMR_WORKER_SWEEP_SECONDS) queues it
again. A failed send is retried after a back-off; after MAX_EMAIL_ATTEMPTS attempts the letter is
GAVE_UP, visible in the admin.

Exactly once is not something SMTP can give: between the server's «250 accepted» and our commit of
SENT there is a window in which a crash leaves us not knowing whether the letter left. We send it
again then, with the same Message-ID, so that mail servers and clients that deduplicate by it show
it once (docs/notifications.md).
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frmr.notifications.models import EmailStatus, Notification

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5
SWEEP_BATCH = 200
WAITING = (EmailStatus.PENDING, EmailStatus.FAILED)


def claim_lease() -> timedelta:
    return timedelta(seconds=settings.FRMR_EMAIL_CLAIM_SECONDS)


def notification_deliver_email(*, notification_id: int) -> EmailStatus:
    """Send the e-mail of one notification unless it was sent or another sender holds it now."""
    claimed = _claim(notification_id)
    if isinstance(claimed, EmailStatus):
        return claimed
    try:
        send_letter(claimed)
    except Exception as exc:  # any transport error: record it, the sweep retries after a back-off
        logger.warning("Notification %s e-mail failed: %s", claimed.pk, exc)
        return _record_failure(claimed, exc)
    Notification.objects.filter(pk=claimed.pk).update(
        email_status=EmailStatus.SENT,
        email_sent_at=timezone.now(),
        email_error="",
        email_claimed_until=None,
        email_due_at=None,
    )
    return EmailStatus.SENT


def send_letter(notification: Notification) -> None:
    """One SMTP transaction (or whatever EMAIL_BACKEND does) with the notification's Message-ID."""
    EmailMessage(
        subject=_("ФРМР: %(title)s") % {"title": notification.title},
        body=email_text(notification),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.email_to],
        headers={"Message-ID": notification.email_message_id},
    ).send()


def notifications_queue_due() -> int:
    """Queue the letters that are due: never queued, failed and backed off, or whose sender vanished.

    The rows are taken with SKIP LOCKED and moved a claim's length into the future before the tasks
    are queued (in the same transaction), so that several workers sweeping at once queue each letter
    once, and a letter waiting behind a long task is not queued again at every sweep.
    """
    now = timezone.now()
    with transaction.atomic():
        due = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(email_status__in=WAITING, email_due_at__lte=now)
            .order_by("email_due_at")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        if not due:
            return 0
        Notification.objects.filter(pk__in=due).update(email_due_at=now + claim_lease())
        for notification_id in due:
            enqueue_delivery(notification_id)
    return len(due)


def notifications_retry_pending(*, older_than: timedelta = timedelta(minutes=5)) -> int:
    """Queue now the waiting letters created before `older_than` ago that no sender holds (by hand)."""
    now = timezone.now()
    ids = list(
        Notification.objects.filter(email_status__in=WAITING, created_at__lte=now - older_than)
        .exclude(email_claimed_until__gt=now)
        .values_list("pk", flat=True)[:1000]
    )
    for notification_id in ids:
        enqueue_delivery(notification_id)
    return len(ids)


def retry_delay(attempts: int) -> timedelta:
    return timedelta(minutes=min(60, 2**attempts))


def enqueue_delivery(notification_id: int) -> None:
    from frmr.notifications.tasks import deliver_notification_email

    deliver_notification_email.enqueue(notification_id=notification_id)


def email_text(notification: Notification) -> str:
    parts = [notification.body]
    if notification.link:
        parts.append(_("Подробнее: %(url)s") % {"url": settings.SITE_URL.rstrip("/") + notification.link})
    parts.append(_("Это письмо отправлено автоматически, отвечать на него не нужно."))
    return "\n\n".join(parts)


def _claim(notification_id: int) -> Notification | EmailStatus:
    now = timezone.now()
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None:
            return EmailStatus.SKIPPED
        if notification.email_status not in WAITING:
            return EmailStatus(notification.email_status)
        if notification.email_claimed_until is not None and notification.email_claimed_until > now:
            return EmailStatus(notification.email_status)  # another sender is sending it now
        if notification.email_attempts >= MAX_EMAIL_ATTEMPTS:
            # Only when the last attempts' senders vanished: a failed send gives up by itself.
            notification.email_status = EmailStatus.GAVE_UP
            notification.email_error = notification.email_error or _(
                "Отправка прерывалась: обработчик задач останавливался."
            )
            notification.email_claimed_until = notification.email_due_at = None
            notification.save(
                update_fields=["email_status", "email_error", "email_claimed_until", "email_due_at"]
            )
            return EmailStatus.GAVE_UP
        notification.email_attempts += 1
        notification.email_claimed_until = now + claim_lease()
        # Should this sender vanish, the letter becomes due when its claim runs out.
        notification.email_due_at = notification.email_claimed_until
        if not notification.email_message_id:
            notification.email_message_id = _message_id(notification)
        notification.save(
            update_fields=["email_attempts", "email_claimed_until", "email_due_at", "email_message_id"]
        )
    return notification


def _record_failure(notification: Notification, exc: Exception) -> EmailStatus:
    gave_up = notification.email_attempts >= MAX_EMAIL_ATTEMPTS
    status = EmailStatus.GAVE_UP if gave_up else EmailStatus.FAILED
    Notification.objects.filter(pk=notification.pk, email_status__in=WAITING).update(
        email_status=status,
        email_error=str(exc)[:2000],
        email_claimed_until=None,
        email_due_at=None if gave_up else timezone.now() + retry_delay(notification.email_attempts),
    )
    return status


def _message_id(notification: Notification) -> str:
    """Unique and fixed for the notification's lifetime; the domain is the sender's, as RFC 5322 asks."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "frmr.invalid"
    if not domain.isascii():
        domain = domain.encode("idna").decode("ascii")
    return f"<notification.{notification.pk}.{secrets.token_hex(8)}@{domain}>"
