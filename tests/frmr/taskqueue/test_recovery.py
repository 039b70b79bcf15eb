"""Finding abandoned tasks by the workers' heartbeats: run again, or failed after the last attempt."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from frmr.taskqueue import recovery
from frmr.taskqueue.models import WorkerHeartbeat
from frmr.taskqueue.periodic import sweep
from tests.frmr.taskqueue import tasks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("db_tasks")]


def _running(worker_ids: list[str]) -> DBTaskResult:
    row = DBTaskResult.objects.get(pk=tasks.record.enqueue("x").id)
    row.worker_ids = worker_ids[:-1]
    row.claim(worker_ids[-1])
    return row


def _beat(worker_id: str, ago: timedelta) -> None:
    at = timezone.now() - ago
    WorkerHeartbeat.objects.create(worker_id=worker_id, hostname="h", pid=1, started_at=at, seen_at=at)


def test_task_of_a_live_worker_is_left_alone() -> None:
    row = _running(["alive"])
    _beat("alive", timedelta(seconds=5))
    assert recovery.tasks_recover_abandoned() == 0
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING


@pytest.mark.parametrize("heartbeat_age", [None, timedelta(minutes=5)])
def test_task_of_a_vanished_worker_is_queued_again_after_a_back_off(heartbeat_age: timedelta | None) -> None:
    row = _running(["dead"])
    if heartbeat_age is not None:
        _beat("dead", heartbeat_age)
    assert recovery.tasks_recover_abandoned() == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.READY
    assert row.run_after > timezone.now()
    assert not DBTaskResult.objects.ready().filter(pk=row.pk).exists()  # waits for its back-off


def test_task_abandoned_on_every_attempt_fails_visibly(settings) -> None:
    settings.FRMR_TASK_MAX_ATTEMPTS = 3
    row = _running(["a", "b", "c"])
    assert recovery.tasks_recover_abandoned() == 1
    row.refresh_from_db()
    assert row.status == TaskResultStatus.FAILED
    assert recovery.worker_lost(row)
    assert "попыток: 3" in row.traceback
    assert row.finished_at is not None


def test_own_tasks_are_recovered_whatever_the_heartbeat() -> None:
    mine, theirs = _running(["me"]), _running(["other"])
    _beat("me", timedelta(0))
    assert recovery.tasks_recover_own(worker_id="me", reason="test") == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == TaskResultStatus.READY
    assert theirs.status == TaskResultStatus.RUNNING


def test_sweep_recovers_and_prunes_old_heartbeats() -> None:
    _running(["dead"])
    _beat("long-gone", timedelta(days=2))
    done = sweep()
    assert done["tasks_recovered"] == 1
    assert done["heartbeats_pruned"] == 1
    assert {"imports_failed", "letters_queued"} <= set(done)


def test_a_failing_periodic_job_does_not_stop_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    from frmr.taskqueue import periodic

    monkeypatch.setitem(periodic._JOBS, "aaa_broken", "builtins.breakpoint_that_does_not_exist")
    with pytest.raises(ImportError):
        sweep()  # a wrong path is a programming error and shows at once
    monkeypatch.setitem(periodic._JOBS, "aaa_broken", "tests.frmr.taskqueue.test_recovery._boom")
    _running(["dead"])
    done = sweep()
    assert "aaa_broken" not in done
    assert done["tasks_recovered"] == 1


def _boom() -> int:
    raise RuntimeError("boom")
