"""`kill -9` of the task worker while it sends a letter, for real (PostgreSQL, a `task_worker` process
and an SMTP server on 127.0.0.1 that holds its answer at the chosen moment).

Killed before the server accepted the letter: it is sent once, by the next worker, when the claim
runs out. Killed after the server accepted it but before the worker recorded that: we cannot know it
left, so it is sent again, with the same Message-ID (docs/notifications.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from frmr.accounts.models import User
from frmr.notifications.models import EmailStatus, Notification
from frmr.notifications.services import notification_create
from tests.frmr.taskqueue.conftest import DB_TASKS
from tests.smtp import SmtpServer
from tests.taskworker import WorkerProcess, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    yield server
    server.close()


@pytest.fixture
def workers() -> Iterator[list[WorkerProcess]]:
    started: list[WorkerProcess] = []
    yield started
    for process in started:
        process.stop()


@pytest.mark.parametrize("moment", ["data", "quit"], ids=["before-accepted", "after-accepted"])
def test_letter_of_a_killed_worker_is_sent_again_with_its_message_id(
    moment: str, smtp: SmtpServer, workers: list[WorkerProcess], tmp_path: Path, settings: Any
) -> None:
    settings.TASKS = DB_TASKS
    env = {
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(smtp.port),
        "DJANGO_EMAIL_TIMEOUT": "3",
        "FRMR_EMAIL_CLAIM_SECONDS": "5",
    }
    smtp.hold_once = moment
    workers.append(WorkerProcess(tmp_path / "first.log", "mail-first", **env))
    user = User.objects.create(username="alice", email="alice@example.ru")
    notification = notification_create(recipient=user, kind="test", title="Проверка", body="Текст письма")
    wait_for(smtp.holding.is_set, timeout=60, what="the worker to send the letter", log=workers[0].log_path)
    workers[0].kill9()
    smtp.release.set()
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.PENDING and notification.email_attempts == 1
    message_id = notification.email_message_id
    assert message_id and notification.email_claimed_until is not None
    assert smtp.message_ids() == ([message_id] if moment == "quit" else [])

    workers.append(WorkerProcess(tmp_path / "second.log", "mail-second", **env))
    wait_for(
        lambda: Notification.objects.get(pk=notification.pk).email_status == EmailStatus.SENT,
        timeout=120,
        what="the letter to be sent by the next worker",
        log=workers[1].log_path,
    )
    notification.refresh_from_db()
    assert notification.email_attempts == 2
    assert notification.email_message_id == message_id
    # Before: sent once. After: sent again, recognizably the same letter.
    assert smtp.message_ids() == [message_id] * (2 if moment == "quit" else 1)
    assert smtp.accepted[-1]["To"] == "alice@example.ru"
