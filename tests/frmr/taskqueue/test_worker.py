"""The reconnecting worker in-process: a lost database does not end it, a task cut off runs again."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.db import OperationalError
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from frmr.taskqueue import recovery, worker
from tests.frmr.taskqueue import tasks
from tests.frmr.taskqueue.conftest import batch_worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("db_tasks")]


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "MIN_BACKOFF", 0.01)
    monkeypatch.setattr(recovery, "retry_delay", lambda attempts: timedelta(0))


def test_worker_goes_on_after_the_database_refuses_it(monkeypatch: pytest.MonkeyPatch) -> None:
    result = tasks.record.enqueue("a")
    real_get_locked = DBTaskResultQuerySet.get_locked
    outage = {"left": 3}

    def get_locked(self: DBTaskResultQuerySet) -> DBTaskResult | None:
        if outage["left"]:
            outage["left"] -= 1
            raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")
        return real_get_locked(self)

    monkeypatch.setattr(DBTaskResultQuerySet, "get_locked", get_locked)
    batch_worker().run()
    assert outage["left"] == 0
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == "a:0"


def test_worker_records_a_heartbeat_before_it_claims() -> None:
    from frmr.taskqueue.models import WorkerHeartbeat

    tasks.record.enqueue("a")
    batch_worker("w-beat").run()
    assert WorkerHeartbeat.objects.filter(worker_id="w-beat").exists()


def test_a_failing_task_fails_once_and_is_not_run_again() -> None:
    result = tasks.fails.enqueue("broken")
    batch_worker().run()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "builtins.ValueError"
    assert len(row.worker_ids) == 1


def test_task_left_running_by_a_previous_process_with_the_same_id_runs_again() -> None:
    result = tasks.record.enqueue("left")
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim("w-same")  # the previous process with this --worker-id was killed here
    batch_worker("w-same").run()
    row.refresh_from_db()
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.worker_ids == ["w-same", "w-same"]


@pytest.mark.postgres
def test_task_that_lost_its_connection_is_run_again_after_reconnecting(tmp_path: Path) -> None:
    """PostgreSQL: closing the connection really loses it (SQLite's in-memory test database ignores it)."""
    result = tasks.loses_connection_once.enqueue(str(tmp_path / "flag"))
    batch_worker("w-cut").run()
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL, row.traceback
    assert row.return_value.startswith("ok:")
    assert row.worker_ids == ["w-cut", "w-cut"]
