"""Heartbeats of the task workers: how the others tell a live worker from a vanished one."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class WorkerHeartbeat(models.Model):
    """One row per running `task_worker` process, touched every FRMR_WORKER_HEARTBEAT_SECONDS.

    A task claimed by a worker whose row is missing or older than FRMR_WORKER_LEASE_SECONDS was
    abandoned (the process was killed or lost its host) and is recovered (frmr/taskqueue/recovery.py).
    """

    worker_id = models.CharField(gettext_lazy("идентификатор обработчика"), max_length=64, primary_key=True)
    hostname = models.CharField(gettext_lazy("сервер"), max_length=255)
    pid = models.PositiveIntegerField(gettext_lazy("процесс"))
    started_at = models.DateTimeField(gettext_lazy("запущен"))
    seen_at = models.DateTimeField(gettext_lazy("последний сигнал"), db_index=True)

    class Meta:
        verbose_name = gettext_lazy("обработчик задач")
        verbose_name_plural = gettext_lazy("обработчики задач")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}, pid {self.pid})"


class PeriodicLease(models.Model):
    """Whose turn a periodic round is: the worker that moves `due_at` forward runs the round.

    Every worker asks every FRMR_WORKER_SWEEP_SECONDS; the ask is one conditional UPDATE (`due_at <=
    now`), which the database serializes on SQLite and PostgreSQL alike, so one worker per round wins
    and the others skip it (frmr/taskqueue/periodic.py, `periodic_round_claim`).
    """

    name = models.CharField(gettext_lazy("работа"), max_length=64, primary_key=True)
    due_at = models.DateTimeField(gettext_lazy("следующий круг не раньше"))
    round = models.PositiveBigIntegerField(gettext_lazy("кругов выполнено"), default=0)
    holder = models.CharField(gettext_lazy("последний исполнитель"), max_length=64, blank=True)

    class Meta:
        verbose_name = gettext_lazy("очередь периодической работы")
        verbose_name_plural = gettext_lazy("очереди периодической работы")

    def __str__(self) -> str:
        return _("%(name)s: круг %(round)s, %(holder)s") % {
            "name": self.name,
            "round": self.round,
            "holder": self.holder,
        }
