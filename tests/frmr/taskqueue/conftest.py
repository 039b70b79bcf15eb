from __future__ import annotations

from typing import Any

import pytest

from frmr.taskqueue.worker import Heartbeat, ReconnectingWorker

DB_TASKS = {"default": {"BACKEND": "frmr.taskqueue.backend.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def db_tasks(settings: Any) -> None:
    """Tasks go to the database queue (as in production) instead of running at once."""
    settings.TASKS = DB_TASKS


def batch_worker(worker_id: str = "w-test", **overrides: Any) -> ReconnectingWorker:
    """A worker that runs what is due and exits, without its heartbeat thread (run in-process)."""
    options: dict[str, Any] = {
        "queue_names": ["default"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": worker_id,
        "excluded_queue_names": [],
        "heartbeat_seconds": 3600,
        "sweep_seconds": 3600,
        **overrides,
    }
    worker = ReconnectingWorker(**options)
    worker.heartbeat.start = lambda: None  # type: ignore[method-assign]
    assert isinstance(worker.heartbeat, Heartbeat)
    return worker
