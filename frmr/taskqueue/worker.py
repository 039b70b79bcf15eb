"""The task worker: django_tasks_db's worker that survives a database outage and keeps a heartbeat.

The library's loop ends at the first error that is not "database is locked": in production the
process exits, under `make run` (with --reload) its thread dies while the process lives, and tasks
wait forever. Here a lost connection closes the connections, waits (0.5 s doubling up to 30 s) and
starts the loop again; a task that lost its connection stays claimed and is run again once the
worker is back (`tasks_recover_own`). A thread records the heartbeat and runs the periodic sweep
(frmr/taskqueue/periodic.py), so both go on while a long task keeps the main thread busy.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from datetime import timedelta
from typing import Any

from django.db import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
    transaction,
)
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from frmr.core.observability.logs import request_id_bound
from frmr.taskqueue.backend import request_id_of
from frmr.taskqueue.models import WorkerHeartbeat
from frmr.taskqueue.periodic import SWEEP, periodic_round_claim, sweep
from frmr.taskqueue.recovery import TaskInterrupted, connection_lost, tasks_recover_own

logger = logging.getLogger(__name__)

MIN_BACKOFF = 0.5
MAX_BACKOFF = 30.0
# A loop that ran this long without an error was a success: the next outage starts the back-off anew.
BACKOFF_RESET_SECONDS = 60.0


def close_connections() -> None:
    """Close this thread's connections, ignoring errors: a broken connection may refuse to close."""
    for wrapper in connections.all(initialized_only=True):
        try:
            wrapper.close()
        except Exception:
            wrapper.connection = None


class Heartbeat(threading.Thread):
    """Touches the worker's heartbeat row and runs the sweep, each on this thread's own connection."""

    def __init__(self, *, worker_id: str, interval: float, sweep_interval: float) -> None:
        super().__init__(name="frmr-task-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.sweep_interval = sweep_interval
        self.started = timezone.now()
        self._stopping = threading.Event()

    def beat(self) -> None:
        """Record that the worker is alive (from this thread, or from the main one when it reconnects)."""
        seen = {"seen_at": timezone.now(), "pid": os.getpid(), "hostname": socket.gethostname()[:255]}
        if WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(**seen):
            return
        try:
            with transaction.atomic():
                WorkerHeartbeat.objects.create(worker_id=self.worker_id, started_at=self.started, **seen)
        except IntegrityError:
            pass  # the other thread created it in between: that beat counts

    def run(self) -> None:
        next_sweep = time.monotonic()
        try:
            while True:
                self._safely(self.beat)
                if time.monotonic() >= next_sweep:
                    self._safely(self._sweep)
                    next_sweep = time.monotonic() + self.sweep_interval
                    self._safely(self.beat)
                if self._stopping.wait(self.interval):
                    break
            # A worker that stops between tasks leaves nothing to recover; one stopped in the middle
            # of a task (a second Ctrl-C) has its task recovered at the next sweep of another worker.
            self._safely(lambda: WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete())
        finally:
            close_connections()

    def stop(self) -> None:
        self._stopping.set()
        if self.is_alive():
            self.join(timeout=10)

    def _sweep(self) -> None:
        # Slightly less than the period, so that the worker whose turn it is does not miss it by a hair.
        lease = timedelta(seconds=max(self.sweep_interval * 0.9, 0.1))
        turn = periodic_round_claim(name=SWEEP, worker_id=self.worker_id, interval=lease)
        if turn is None:
            return
        done = sweep()
        if any(done.values()):
            logger.info("sweep: %s", ", ".join(f"{k}={v}" for k, v in done.items() if v))

    def _safely(self, step: Any) -> None:
        close_old_connections()
        try:
            step()
        except Exception as error:
            logger.warning("task worker heartbeat: %s", error)
            if connection_lost(error):
                close_connections()


class ReconnectingWorker(Worker):
    def __init__(self, *, heartbeat_seconds: float, sweep_seconds: float, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.heartbeat = Heartbeat(
            worker_id=self.worker_id, interval=heartbeat_seconds, sweep_interval=sweep_seconds
        )

    def run(self) -> None:
        delay = 0.0
        try:
            while self.running:
                started = time.monotonic()
                try:
                    # The first heartbeat is committed before the first claim (see tasks_recover_abandoned).
                    self.heartbeat.beat()
                    if not self.heartbeat.is_alive():
                        self.heartbeat.start()
                    tasks_recover_own(
                        worker_id=self.worker_id, reason=_("соединение обработчика с базой данных прервалось")
                    )
                    super().run()
                    return
                except (OperationalError, InterfaceError, TaskInterrupted) as error:
                    if time.monotonic() - started > BACKOFF_RESET_SECONDS:
                        delay = 0.0
                    delay = min(MAX_BACKOFF, max(MIN_BACKOFF, delay * 2))
                    logger.warning("task worker lost the database (%s); reconnecting in %.1f s", error, delay)
                    close_connections()
                    time.sleep(delay)
        finally:
            self.heartbeat.stop()

    def run_task(self, db_task_result: DBTaskResult[..., Any]) -> None:
        record_failure = db_task_result.set_failed

        def set_failed(error: BaseException) -> None:
            if connection_lost(error):
                # Not the task's fault: leave it claimed; the loop reconnects and runs it again.
                raise TaskInterrupted(str(error)) from error
            record_failure(error)

        db_task_result.set_failed = set_failed
        # The task's log lines carry the id of the request that enqueued it (frmr/taskqueue/backend.py).
        with request_id_bound(request_id_of(db_task_result)):
            super().run_task(db_task_result)
