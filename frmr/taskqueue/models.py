"""Heartbeats of the task workers: how the others tell a live worker from a vanished one."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per running `task_worker` process, touched every FRMR_WORKER_HEARTBEAT_SECONDS.

    A task claimed by a worker whose row is missing or older than FRMR_WORKER_LEASE_SECONDS was
    abandoned (the process was killed or lost its host) and is recovered (frmr/taskqueue/recovery.py).
    """

    worker_id = models.CharField("идентификатор обработчика", max_length=64, primary_key=True)
    hostname = models.CharField("сервер", max_length=255)
    pid = models.PositiveIntegerField("процесс")
    started_at = models.DateTimeField("запущен")
    seen_at = models.DateTimeField("последний сигнал", db_index=True)

    class Meta:
        verbose_name = "обработчик задач"
        verbose_name_plural = "обработчики задач"

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}, pid {self.pid})"
