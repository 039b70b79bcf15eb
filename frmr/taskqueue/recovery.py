"""Tasks whose worker vanished: found by the workers' heartbeats, run again or failed visibly.

A task row says RUNNING from the moment a worker claims it until that worker records the outcome. If
the worker is killed (`kill -9`, out of memory, the host lost) or loses the database in between, the
row would say RUNNING forever. Every `task_worker` records a heartbeat (models.WorkerHeartbeat); a
RUNNING task whose last worker has no fresh heartbeat is abandoned. It is made READY again (after a
short back-off) until it has been claimed FRMR_TASK_MAX_ATTEMPTS times, then marked FAILED with
`WorkerLost`, which the domain shows (e.g. a stalled import fails with a message, frmr/imports/jobs.py).

Running a task again is safe only because our tasks are idempotent: each checks and records its
progress in its own rows (an import re-applies its file, which changes nothing already written; a
letter is claimed in its outbox row). A new task must be written the same way.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

import psycopg
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from frmr.taskqueue.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

BATCH = 100


class WorkerLost(Exception):
    """Recorded as the error of a task whose worker vanished on every attempt."""


class TaskInterrupted(Exception):
    """A task lost the database connection: not the task's fault, it is run again after reconnecting."""


def connection_lost(error: BaseException, using: str = "default") -> bool:
    """Whether `error` means that the database connection is gone, rather than a refused statement.

    A lost connection (server restart, network) must not fail a task for good: the task is run again
    once the worker has reconnected. A deadlock or a statement timeout leaves the connection usable
    and is an ordinary failure.
    """
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    cause = error.__cause__
    if isinstance(cause, psycopg.Error):
        # PostgreSQL says so itself: connection exceptions (class 08) and the server shutting the session
        # down (57P01–57P03); no SQLSTATE at all means the socket went away. Asked before the connection:
        # a transaction's clean-up may already have opened a new, healthy one.
        state = cause.sqlstate
        return state is None or state.startswith("08") or state in {"57P01", "57P02", "57P03"}
    wrapper = connections[using]
    if wrapper.connection is None:
        return True
    try:
        return not wrapper.is_usable()
    except Exception:
        return True


def tasks_recover_abandoned(*, now: datetime | None = None) -> int:
    """Run again (or fail) the RUNNING tasks whose worker has no fresh heartbeat; returns how many.

    The rows are taken with SKIP LOCKED, so that several workers sweeping at once each recover a task
    at most once between them. The heartbeats are read after the rows are locked: a task claimed
    before that was claimed by a worker whose first heartbeat was committed before its claim.
    """
    now = now or timezone.now()
    lease = timedelta(seconds=settings.FRMR_WORKER_LEASE_SECONDS)
    recovered = 0
    with transaction.atomic():
        rows = list(
            DBTaskResult.objects.running().select_for_update(skip_locked=True).order_by("started_at")[:BATCH]
        )
        if not rows:
            return 0
        alive = set(
            WorkerHeartbeat.objects.filter(seen_at__gte=now - lease).values_list("worker_id", flat=True)
        )
        for row in rows:
            if row.worker_ids and row.worker_ids[-1] in alive:
                continue
            _requeue_or_fail(row, now=now, reason=_("обработчик задачи перестал отвечать"))
            recovered += 1
    return recovered


def tasks_recover_own(*, worker_id: str, reason: str, now: datetime | None = None) -> int:
    """Run again (or fail) the tasks this worker left RUNNING: it is between tasks, so none is live.

    Called when a worker starts (a previous process with the same --worker-id may have been killed)
    and after it reconnects to the database (the task it was running lost its connection).
    """
    now = now or timezone.now()
    recovered = 0
    with transaction.atomic():
        for row in DBTaskResult.objects.running().select_for_update(skip_locked=True).order_by("started_at"):
            if row.worker_ids and row.worker_ids[-1] == worker_id:
                _requeue_or_fail(row, now=now, reason=reason)
                recovered += 1
    return recovered


def retry_delay(attempts: int) -> timedelta:
    """Wait before the next attempt: a task that kills its worker every time must not spin."""
    return timedelta(seconds=min(300, 5 * 2 ** max(0, attempts - 1)))


def _requeue_or_fail(row: DBTaskResult[..., Any], *, now: datetime, reason: str) -> None:
    attempts = len(row.worker_ids)
    if attempts < settings.FRMR_TASK_MAX_ATTEMPTS:
        row.status = TaskResultStatus.READY
        row.run_after = now + retry_delay(attempts)
        row.save(update_fields=["status", "run_after"])
        logger.warning("task %s (%s) abandoned (%s): queued again", row.pk, row.task_path, reason)
        return
    row.status = TaskResultStatus.FAILED
    row.finished_at = now
    row.return_value = None
    row.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
    row.traceback = (
        _("WorkerLost: %(reason)s; попыток: %(attempts)s") % {"reason": reason, "attempts": attempts} + "\n"
    )
    row.save(update_fields=["status", "finished_at", "return_value", "exception_class_path", "traceback"])
    logger.error("task %s (%s) abandoned %d times (%s): failed", row.pk, row.task_path, attempts, reason)


def worker_lost(row: DBTaskResult[..., Any]) -> bool:
    """Whether the task failed because its worker kept vanishing (rather than by its own error)."""
    return bool(row.exception_class_path == f"{WorkerLost.__module__}.{WorkerLost.__qualname__}")
