from __future__ import annotations

import pytest
from django.core import mail

from frmr.accounts.models import User
from frmr.notifications import delivery, services
from frmr.notifications.models import EmailStatus, Notification
from frmr.notifications.selectors import notification_get_for_user, unread_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice() -> User:
    return User.objects.create(username="alice", email="alice@example.ru")


@pytest.fixture
def bob() -> User:
    return User.objects.create(username="bob", email="")


def test_create_sends_email_once_after_commit(alice: User, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.notification_create(
            recipient=alice, kind="test", title="Проверка", body="Текст", link="/lk/"
        )
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.ru"]
    assert "http://127.0.0.1:8000/lk/" in mail.outbox[0].body
    # A second delivery attempt of the same notification sends nothing.
    assert services.notification_deliver_email(notification_id=notification.pk) == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_no_email_before_commit(alice: User, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notification_create(recipient=alice, kind="test", title="T", body="B")
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_dedup_key_makes_creation_idempotent(alice: User, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = services.notification_create(recipient=alice, kind="k", title="T", body="B", dedup_key="e:1")
        second = services.notification_create(recipient=alice, kind="k", title="T", body="B", dedup_key="e:1")
    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_user_without_address_gets_no_email(bob: User) -> None:
    notification = services.notification_create(recipient=bob, kind="k", title="T", body="B")
    assert notification.email_status == EmailStatus.SKIPPED


def test_failed_send_is_recorded_and_retried_later(alice: User, monkeypatch) -> None:
    notification = Notification.objects.create(
        recipient=alice, kind="k", title="T", body="B", email_to="alice@example.ru"
    )

    def broken(notification: Notification) -> None:
        raise OSError("smtp down")

    monkeypatch.setattr(delivery, "send_letter", broken)
    assert services.notification_deliver_email(notification_id=notification.pk) == EmailStatus.FAILED
    notification.refresh_from_db()
    assert notification.email_attempts == 1
    assert "smtp down" in notification.email_error
    monkeypatch.undo()
    assert services.notifications_retry_pending(older_than=__import__("datetime").timedelta(0)) == 1
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_gives_up_after_max_attempts(alice: User, monkeypatch) -> None:
    notification = Notification.objects.create(
        recipient=alice,
        kind="k",
        title="T",
        body="B",
        email_to="alice@example.ru",
        email_attempts=services.MAX_EMAIL_ATTEMPTS - 1,
        email_status=EmailStatus.FAILED,
    )
    monkeypatch.setattr(delivery, "send_letter", lambda n: (_ for _ in ()).throw(OSError("down")))
    assert services.notification_deliver_email(notification_id=notification.pk) == EmailStatus.GAVE_UP


def test_mark_read_only_own(alice: User, bob: User) -> None:
    notification = services.notification_create(recipient=alice, kind="k", title="T", body="B")
    assert unread_count(user=alice) == 1
    with pytest.raises(Notification.DoesNotExist):
        services.notification_mark_read(notification=notification, user=bob)
    with pytest.raises(Notification.DoesNotExist):
        notification_get_for_user(user=bob, notification_id=notification.pk)
    services.notification_mark_read(notification=notification, user=alice)
    assert unread_count(user=alice) == 0
