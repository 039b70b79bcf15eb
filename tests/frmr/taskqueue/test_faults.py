"""The worker under a database outage, for real: a `task_worker` process and the test database taken
away (tests/taskworker.py: connections terminated and refused, or the server restarted in CI)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.frmr.taskqueue import tasks
from tests.taskworker import WorkerProcess, database_outage, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("db_tasks"),
]


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[WorkerProcess]:
    process = WorkerProcess(tmp_path / "worker.log", "outage-worker")
    yield process
    process.stop()


def _status(task_id: str) -> str:
    return DBTaskResult.objects.get(pk=task_id).status


def test_worker_survives_a_database_outage(worker: WorkerProcess) -> None:
    log = worker.log_path
    first = tasks.record.enqueue("first")
    wait_for(lambda: _status(first.id) == TaskResultStatus.SUCCESSFUL, timeout=60, what="task 1", log=log)
    # A task in the middle of its work when the database goes away: it loses its connection.
    during = tasks.slow_record.enqueue("during", 3.0)
    wait_for(lambda: _status(during.id) == TaskResultStatus.RUNNING, timeout=60, what="task 2", log=log)
    database_outage(8)
    after = tasks.record.enqueue("after")
    for result in (during, after):
        wait_for(
            lambda r=result: _status(r.id) == TaskResultStatus.SUCCESSFUL,  # type: ignore[misc]
            timeout=120,
            what=f"task {result.id} after the outage",
            log=log,
        )
    assert worker.alive(), worker.log()
    assert DBTaskResult.objects.get(pk=after.id).return_value.startswith("after:")
    interrupted = DBTaskResult.objects.get(pk=during.id)
    assert interrupted.worker_ids == ["outage-worker", "outage-worker"]  # run again by the same worker
    assert "reconnecting" in worker.log()
