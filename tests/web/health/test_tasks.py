"""/healthz/tasks and `manage.py tasks_health`: the age of the queue, 503 when a task waits too long."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from frmr.taskqueue.models import WorkerHeartbeat
from tests.frmr.taskqueue import tasks
from tests.frmr.taskqueue.conftest import DB_TASKS

pytestmark = pytest.mark.django_db
URL = "/healthz/tasks"


@pytest.fixture(autouse=True)
def db_queue(settings: Any) -> None:
    settings.TASKS = DB_TASKS
    settings.FRMR_TASKS_MAX_AGE_SECONDS = 300


def _waiting_since(ago: timedelta) -> None:
    DBTaskResult.objects.filter(pk=tasks.record.enqueue("x").id).update(enqueued_at=timezone.now() - ago)


def test_empty_queue_is_healthy(client: Client) -> None:
    at = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w", hostname="h", pid=1, started_at=at, seen_at=at)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "ready": 0,
        "running": 0,
        "workers": 1,
        "oldest_ready_seconds": None,
        "max_age_seconds": 300,
    }
    assert "no-cache" in response["Cache-Control"]


def test_queue_age_counts_and_stale_answer(client: Client) -> None:
    _waiting_since(timedelta(seconds=30))
    running = DBTaskResult.objects.get(pk=tasks.record.enqueue("y").id)
    running.claim("w")
    deferred = tasks.record.using(run_after=timezone.now() + timedelta(hours=1)).enqueue("z")
    assert deferred.id
    body = client.get(URL).json()
    assert body["ready"] == 1 and body["running"] == 1 and body["status"] == "ok"
    assert 29 <= body["oldest_ready_seconds"] <= 60
    _waiting_since(timedelta(minutes=10))
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["status"] == "stale" and response.json()["oldest_ready_seconds"] >= 600


def test_deferred_task_waits_from_its_run_after(client: Client) -> None:
    tasks.record.using(run_after=timezone.now() - timedelta(seconds=20)).enqueue("late")
    body = client.get(URL).json()
    assert body["ready"] == 1 and 19 <= body["oldest_ready_seconds"] <= 60


def test_only_reads_are_allowed_and_nothing_personal_is_shown(client: Client) -> None:
    assert client.post(URL).status_code == 405
    _waiting_since(timedelta(seconds=1))
    body = client.get(URL).content.decode()
    assert "record" not in body and "args" not in body  # counts and an age, not what the tasks are


def test_database_unavailable_answers_503(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import OperationalError

    from web.health import views

    def down(**kwargs: object) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(views, "queue_health", down)
    response = client.get(URL)
    assert response.status_code == 503 and response["Retry-After"] == "10"


def test_command_prints_the_state_and_fails_when_stale() -> None:
    out = StringIO()
    call_command("tasks_health", stdout=out)
    assert json.loads(out.getvalue())["status"] == "ok"
    _waiting_since(timedelta(minutes=10))
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("tasks_health", stdout=out)
    assert exit_.value.code == 1
    assert json.loads(out.getvalue())["status"] == "stale"
