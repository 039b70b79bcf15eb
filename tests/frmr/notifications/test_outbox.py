"""The e-mail outbox: a letter claimed with a lease, one Message-ID for all its attempts, and the sweep
that queues letters whose sender vanished (the kill -9 scenarios on PostgreSQL: test_delivery_faults.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from frmr.accounts.models import User
from frmr.notifications import delivery, services
from frmr.notifications.models import EmailStatus, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice() -> User:
    return User.objects.create(username="alice", email="alice@example.ru")


def _letter(alice: User, **fields: object) -> Notification:
    return Notification.objects.create(
        recipient=alice, kind="k", title="Заголовок", body="Текст", email_to="alice@example.ru", **fields
    )


def test_letter_carries_its_message_id_and_keeps_it_across_attempts(alice: User, monkeypatch) -> None:
    notification = _letter(alice)
    monkeypatch.setattr(delivery, "send_letter", lambda n: (_ for _ in ()).throw(OSError("down")))
    assert delivery.notification_deliver_email(notification_id=notification.pk) == EmailStatus.FAILED
    notification.refresh_from_db()
    first_id = notification.email_message_id
    assert first_id.startswith(f"<notification.{notification.pk}.") and first_id.endswith("@frmr.example>")
    monkeypatch.undo()
    assert delivery.notification_deliver_email(notification_id=notification.pk) == EmailStatus.SENT
    notification.refresh_from_db()
    assert notification.email_message_id == first_id
    assert notification.email_attempts == 2
    assert notification.email_claimed_until is None and notification.email_due_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].message()["Message-ID"] == first_id


def test_letter_claimed_by_a_live_sender_is_not_sent_by_another(alice: User) -> None:
    notification = _letter(alice, email_claimed_until=timezone.now() + timedelta(minutes=4))
    assert delivery.notification_deliver_email(notification_id=notification.pk) == EmailStatus.PENDING
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.email_attempts == 0


def test_letter_whose_sender_vanished_is_sent_by_the_sweep_with_the_same_message_id(alice: User) -> None:
    notification = _letter(alice)
    claimed = delivery._claim(notification.pk)  # a sender claims it, then dies before recording anything
    assert isinstance(claimed, Notification)
    assert delivery.notifications_queue_due() == 0  # its claim still holds
    assert mail.outbox == []
    expired = timezone.now() - timedelta(seconds=1)
    Notification.objects.filter(pk=notification.pk).update(email_claimed_until=expired, email_due_at=expired)
    assert delivery.notifications_queue_due() == 1
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert notification.email_attempts == 2
    assert [m.message()["Message-ID"] for m in mail.outbox] == [claimed.email_message_id]


def test_letter_whose_senders_keep_vanishing_is_given_up_visibly(alice: User) -> None:
    past = timezone.now() - timedelta(seconds=1)
    notification = _letter(
        alice, email_attempts=delivery.MAX_EMAIL_ATTEMPTS, email_claimed_until=past, email_due_at=past
    )
    delivery.notifications_queue_due()
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.GAVE_UP
    assert "прерывалась" in notification.email_error
    assert mail.outbox == []


def test_created_letter_is_due_later_so_a_lost_enqueue_is_caught(
    alice: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):  # the process dies before the enqueue
        notification = services.notification_create(recipient=alice, kind="k", title="T", body="B")
    assert notification.email_due_at is not None and notification.email_due_at > timezone.now()
    assert delivery.notifications_queue_due() == 0
    Notification.objects.filter(pk=notification.pk).update(email_due_at=timezone.now())
    assert delivery.notifications_queue_due() == 1
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_sweep_queues_each_due_letter_once(alice: User, settings) -> None:
    """With the database backend the tasks wait in the queue: the second sweep queues nothing more."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    now = timezone.now()
    due = [_letter(alice, email_due_at=now - timedelta(seconds=5)) for _ in range(3)]
    _letter(alice, email_due_at=now + timedelta(minutes=1))
    _letter(alice, email_due_at=now - timedelta(seconds=5), email_status=EmailStatus.SENT, email_sent_at=now)
    assert delivery.notifications_queue_due() == 3
    assert delivery.notifications_queue_due() == 0
    queued = [row.args_kwargs["kwargs"]["notification_id"] for row in DBTaskResult.objects.all()]
    assert sorted(queued) == sorted(n.pk for n in due)
    assert mail.outbox == []
