"""Creating notifications; their e-mails are delivered by frmr/notifications/delivery.py.

Delivery happens in a background task enqueued after the creating transaction commits, so that a
rolled-back change never notifies anybody. The letter is also due a claim's length after creation:
should that task be lost (the process died between the commit and the enqueue), the workers' sweep
queues it then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

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
from frmr.notifications.models import EmailStatus, Notification, NotificationSettings


@dataclass(frozen=True)
class NotificationDraft:
    """One notification for `notifications_create_many`: the arguments of `notification_create`."""

    recipient: User
    kind: str
    title: str
    body: str
    link: str = ""
    dedup_key: str | None = None
    # False: shown in the cabinet only, never e-mailed.
    email: bool = True


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
            draft = NotificationDraft(
                recipient=recipient, kind=kind, title=title, body=body, link=link, dedup_key=dedup_key
            )
            notification = _unsaved(draft, address=address, due=timezone.now() + claim_lease())
            notification.save(force_insert=True)
    except IntegrityError:
        # Another transaction created the same event in between: theirs is the one.
        if dedup_key:
            return Notification.objects.get(dedup_key=dedup_key)
        raise
    if address:
        notification_id = notification.pk
        transaction.on_commit(lambda: enqueue_delivery(notification_id))
    return notification


def notifications_create_many(*, drafts: Sequence[NotificationDraft]) -> int:
    """Create many notifications at once (an import's chunk), as `notification_create` would one by one.

    One query for the keys already used and one INSERT, instead of two statements per notification; a
    key already used is skipped, as `notification_create` returns the existing one. The e-mails are queued
    after commit, each by the same delivery task. `recipient.person` should be loaded (select_related):
    the address is read from it. Returns how many were created (or, after a race, found).
    """
    if len(drafts) <= 1:
        for draft in drafts:
            _create_one(draft)
        return len(drafts)
    keys = [draft.dedup_key for draft in drafts if draft.dedup_key]
    used = set(Notification.objects.filter(dedup_key__in=keys).values_list("dedup_key", flat=True))
    fresh = []
    for draft in drafts:
        if draft.dedup_key:
            if draft.dedup_key in used:
                continue
            used.add(draft.dedup_key)
        fresh.append(draft)
    due = timezone.now() + claim_lease()
    rows = [
        _unsaved(draft, address=_address_of(draft.recipient) if draft.email else "", due=due)
        for draft in fresh
    ]
    try:
        with transaction.atomic():
            created = Notification.objects.bulk_create(rows)
    except IntegrityError:
        # Another transaction created one of the same events in between: one by one, each deduplicated.
        for draft in fresh:
            _create_one(draft)
        return len(fresh)
    pending = [
        notification.pk for notification in created if notification.email_status == EmailStatus.PENDING
    ]
    if pending:
        transaction.on_commit(lambda: _enqueue_many(pending))
    return len(created)


def _unsaved(draft: NotificationDraft, *, address: str, due: datetime) -> Notification:
    """The one place a notification row is built; `due` matters only when there is an address."""
    return Notification(
        recipient=draft.recipient,
        kind=draft.kind,
        title=draft.title,
        body=draft.body,
        link=draft.link,
        dedup_key=draft.dedup_key or None,
        email_to=address,
        email_status=EmailStatus.PENDING if address else EmailStatus.SKIPPED,
        email_due_at=due if address else None,
    )


def _create_one(draft: NotificationDraft) -> Notification:
    return notification_create(
        recipient=draft.recipient,
        kind=draft.kind,
        title=draft.title,
        body=draft.body,
        link=draft.link,
        dedup_key=draft.dedup_key,
        email_to=None if draft.email else "",
    )


def _enqueue_many(notification_ids: list[int]) -> None:
    for notification_id in notification_ids:
        enqueue_delivery(notification_id)


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


def notification_settings_of(*, user: User) -> NotificationSettings:
    """The user's settings; the defaults (unsaved) when they never changed them."""
    found = NotificationSettings.objects.filter(user=user).first()
    return found if found is not None else NotificationSettings(user=user)


def notification_settings_set(*, user: User, email_on_file_change: bool) -> NotificationSettings:
    found, _ = NotificationSettings.objects.update_or_create(
        user=user, defaults={"email_on_file_change": email_on_file_change}
    )
    return found
