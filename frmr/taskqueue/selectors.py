"""The state of the task queue, for the health check (`/healthz/tasks`, `manage.py tasks_health`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from frmr.taskqueue.models import WorkerHeartbeat


@dataclass(frozen=True)
class QueueHealth:
    ready: int
    running: int
    workers: int
    oldest_ready_seconds: float | None  # how long the task first in line has been waiting to start
    max_age_seconds: int

    @property
    def healthy(self) -> bool:
        return self.oldest_ready_seconds is None or self.oldest_ready_seconds <= self.max_age_seconds

    def as_dict(self) -> dict[str, object]:
        return {
            "status": "ok" if self.healthy else "stale",
            "ready": self.ready,
            "running": self.running,
            "workers": self.workers,
            "oldest_ready_seconds": (
                None if self.oldest_ready_seconds is None else round(self.oldest_ready_seconds)
            ),
            "max_age_seconds": self.max_age_seconds,
        }


def queue_health(*, now: datetime | None = None) -> QueueHealth:
    """Counts of READY (due now) and RUNNING tasks, live workers, and the age of the oldest due task.

    A task deferred to `run_after` starts waiting then, not when it was enqueued; a task enqueued
    without a deferral has run_after at the library's "no date" (year 9999) and waits since enqueued.
    """
    now = now or timezone.now()
    no_date = get_date_max()
    due = DBTaskResult.objects.ready()
    oldest = [
        due.filter(run_after=no_date).aggregate(at=Min("enqueued_at"))["at"],
        due.exclude(run_after=no_date).aggregate(at=Min("run_after"))["at"],
    ]
    waiting_since = min((at for at in oldest if at is not None), default=None)
    lease = timedelta(seconds=settings.FRMR_WORKER_LEASE_SECONDS)
    return QueueHealth(
        ready=due.count(),
        running=DBTaskResult.objects.running().count(),
        workers=WorkerHeartbeat.objects.filter(seen_at__gte=now - lease).count(),
        oldest_ready_seconds=(
            None if waiting_since is None else max(0.0, (now - waiting_since).total_seconds())
        ),
        max_age_seconds=settings.FRMR_TASKS_MAX_AGE_SECONDS,
    )
