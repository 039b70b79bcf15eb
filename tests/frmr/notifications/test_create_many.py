"""`notifications_create_many`: what `notification_create` does one by one, in one INSERT."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from frmr.notifications.models import EmailStatus, Notification
from frmr.notifications.services import NotificationDraft, notification_create, notifications_create_many
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_many_at_once_deduplicated_and_sent_after_commit(
    django_capture_on_commit_callbacks: Any, django_assert_max_num_queries: Any
) -> None:
    with_address = UserFactory(email="a@example.ru")
    without = UserFactory(email="")
    notification_create(recipient=with_address, kind="k", title="уже было", body="…", dedup_key="event:0")
    mail.outbox.clear()
    drafts = [
        NotificationDraft(recipient=with_address, kind="k", title="снова", body="…", dedup_key="event:0"),
        NotificationDraft(recipient=with_address, kind="k", title="первое", body="…", dedup_key="event:1"),
        NotificationDraft(recipient=with_address, kind="k", title="дубль", body="…", dedup_key="event:1"),
        NotificationDraft(recipient=without, kind="k", title="без адреса", body="…", dedup_key="event:2"),
    ]
    with django_capture_on_commit_callbacks(execute=False) as callbacks, django_assert_max_num_queries(4):
        assert notifications_create_many(drafts=drafts) == 2
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    titles = dict(Notification.objects.values_list("title", "email_status"))  # the first one never committed
    assert titles == {
        "уже было": EmailStatus.PENDING,
        "первое": EmailStatus.SENT,
        "без адреса": EmailStatus.SKIPPED,
    }
    assert [message.subject for message in mail.outbox] == ["ФРМР: первое"]
    assert notifications_create_many(drafts=drafts) == 0  # every event is known now
