"""An import job across worker failures: starting it, resuming it, failing it when it cannot go on.

A worker killed in the middle of an import (or cut off from the database) leaves its task claimed.
The task worker runs the task again (frmr/taskqueue/recovery.py), and the job resumes: the same task
finds the job in its working state with its own id and starts over from the first row. That is safe
because applying is idempotent per row and each chunk of rows is one transaction (docs/import.md):
the chunks committed before the interruption are matched to what they wrote (the person by СНИЛС, the
passport and diploma by number, the card by department, position and hire date) and come out
«без изменений»; the chunk that was being written was rolled back as a whole and is written now.
Nothing is written twice. A check writes nothing, so it simply runs again.

When the task cannot be run again (it was interrupted FRMR_TASK_MAX_ATTEMPTS times, failed without
being able to record it, or is gone), the sweep fails the job with a message saying what to do.
"""

from __future__ import annotations

import datetime
import functools
import logging
import uuid

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from frmr.imports.models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)

# Stored in the job's `failure` (as plain strings, `str(…)`).
CHECK_INTERRUPTED = gettext_lazy(
    "Проверка файла прервалась: обработчик фоновых задач остановился (перезапуск сервера или сбой) "
    "и не смог её продолжить. Ничего не записано. Загрузите файл ещё раз."
)
APPLY_INTERRUPTED = gettext_lazy(
    "Загрузка прервалась: обработчик фоновых задач остановился (перезапуск сервера или сбой) "
    "и не смог её продолжить. Строки, записанные до остановки, сохранены. Загрузите тот же файл ещё "
    "раз: уже загруженные строки повторно не добавятся, загрузятся только остальные."
)
_WORKING = {ImportStatus.CHECKING: CHECK_INTERRUPTED, ImportStatus.APPLYING: APPLY_INTERRUPTED}
_QUEUED = {ImportStatus.CHECK_QUEUED: CHECK_INTERRUPTED, ImportStatus.APPLY_QUEUED: APPLY_INTERRUPTED}


def start_or_resume(job: ImportJob, *, dry_run: bool, task_id: str) -> bool:
    """Move the job to its working state for this task; False when the task must leave it alone.

    True also when this very task already started it: the previous run was interrupted and this run
    does the work again (counted in `interruptions`, shown on the job's page).
    """
    expected = ImportStatus.CHECK_QUEUED if dry_run else ImportStatus.APPLY_QUEUED
    working = ImportStatus.CHECKING if dry_run else ImportStatus.APPLYING
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status == expected:
            locked.status = working
            locked.task_id = task_id
        elif locked.status == working and task_id and locked.task_id == task_id:
            locked.interruptions += 1
            logger.warning("import %s resumed (interruption %d)", job.pk, locked.interruptions)
        else:
            return False
        locked.processed_rows = 0
        locked.save(update_fields=["status", "task_id", "interruptions", "processed_rows"])
    job.status, job.task_id, job.interruptions, job.processed_rows = working, task_id, locked.interruptions, 0
    return True


def import_job_remember_task(*, job: ImportJob, task_id: str, status: ImportStatus) -> None:
    """Record the task queued for the job, so that the sweep can tell when it is gone."""
    ImportJob.objects.filter(pk=job.pk, status=status, task_id="").update(task_id=task_id)


def import_jobs_fail_stalled() -> int:
    """Fail the jobs whose task has ended or vanished while the job still says it is under way.

    Run by the task workers' sweep after the abandoned tasks were recovered: a task queued again is
    READY and its job is left to it; a task that ended (FAILED because its worker kept vanishing,
    or SUCCESSFUL/FAILED without having recorded the job's outcome) cannot move the job any more.
    """
    failed = 0
    with transaction.atomic():
        jobs = list(
            ImportJob.objects.select_for_update(skip_locked=True)
            .filter(status__in=[*_WORKING, *_QUEUED])
            .exclude(task_id="")
        )
        if not jobs:
            return 0
        ids = [_as_uuid(job.task_id) for job in jobs]
        tasks = {str(row.pk): row.status for row in DBTaskResult.objects.filter(pk__in=[i for i in ids if i])}
        for job, task_uuid in zip(jobs, ids, strict=True):
            status = tasks.get(str(task_uuid)) if task_uuid else None
            if status in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
                continue
            job.failure = str({**_WORKING, **_QUEUED}[ImportStatus(job.status)])
            job.status = ImportStatus.FAILED
            job.save(update_fields=["status", "failure"])
            logger.error("import %s failed: its task %s is %s", job.pk, job.task_id, status or "gone")
            failed += 1
    return failed


def _as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


# An import file holds the personal data of every row: it is kept only while the operator may still need
# it (docs/import.md, «Files are not kept»).
FINISHED_FILE_KEPT = datetime.timedelta(days=7)
CHECKED_WAITS = datetime.timedelta(days=30)
ABANDONED = gettext_lazy(
    "Проверенный файл не загружали 30 дней, и он удалён. Если он ещё нужен, загрузите его снова."
)


def import_files_clean_up(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of finished jobs after a week, and of checked jobs never applied after 30 days.

    A checked job that waited too long fails with a message (its file is gone, so it cannot be applied);
    the job, its report and its audit entries stay. Run by the sweep; jobs are taken with SKIP LOCKED.
    """
    moment = now or timezone.now()
    removed = 0
    with transaction.atomic():
        abandoned = list(
            ImportJob.objects.select_for_update(skip_locked=True).filter(
                status=ImportStatus.CHECKED, checked_at__lt=moment - CHECKED_WAITS
            )
        )
        for job in abandoned:
            job.status = ImportStatus.FAILED
            job.failure = str(ABANDONED)
            job.finished_at = moment
            job.save(update_fields=["status", "failure", "finished_at"])
            logger.info("import %s was never applied: failed and its file removed", job.pk)
        finished = list(
            ImportJob.objects.select_for_update(skip_locked=True)
            .filter(status__in=[ImportStatus.DONE, ImportStatus.FAILED])
            .filter(
                Q(finished_at__lt=moment - FINISHED_FILE_KEPT)
                | Q(finished_at=None, created_at__lt=moment - FINISHED_FILE_KEPT)
            )
            .exclude(file="")
        )
        for job in [*abandoned, *finished]:
            if not job.file.name:
                continue
            name = job.file.name
            storage = job.file.storage
            job.file.name = ""
            job.save(update_fields=["file"])
            transaction.on_commit(functools.partial(storage.delete, name))
            removed += 1
    return removed
