"""Import jobs: upload → background check (dry run) → the operator confirms → background application.

The page polls the job's row for progress; the management command `import_employees` runs the same
engine in the foreground without a job.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from frmr.accounts.permissions import ensure_acts_for
from frmr.audit.actors import SYSTEM, ActorLike, acting_user
from frmr.core.observability import metrics
from frmr.core.validators import mark_control_characters
from frmr.imports.engine import run_import
from frmr.imports.jobs import import_job_remember_task, start_or_resume
from frmr.imports.models import ImportJob, ImportStatus
from frmr.imports.readers import inspect_file
from frmr.registry.models import Organization
from frmr.taskqueue.recovery import connection_lost

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
ALLOWED_SUFFIXES = (".xlsx", ".csv", ".txt")


def import_job_create(
    *, organization: Organization, actor: ActorLike, upload: UploadedFile[bytes] | None
) -> ImportJob:
    """Store the uploaded file and queue its check; refused with a message on the `file` field."""
    ensure_acts_for(actor=actor, organization=organization)
    if upload is None:
        raise ValidationError({"file": _("Выберите файл XLSX или CSV.")})
    name = Path(upload.name or "").name
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise ValidationError({"file": _("Загрузите файл в формате XLSX или CSV (как шаблон).")})
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": _("Файл больше %(megabytes)s МБ: разделите его на несколько.")
                % {"megabytes": MAX_UPLOAD_BYTES // (1024 * 1024)}
            }
        )
    if not upload.size:
        raise ValidationError({"file": _("Файл пустой.")})
    from frmr.imports.tasks import import_check_task

    with transaction.atomic():
        job = ImportJob(organization=organization, actor=acting_user(actor), original_name=name[:255])
        job.file.save(name, upload, save=False)
        job.save()
        metrics.UPLOAD_BYTES.labels("import").observe(upload.size)
        # The database task backend stores the task in this transaction: a worker sees it only after
        # the job row is committed.
        queued = import_check_task.enqueue(str(job.pk))
        import_job_remember_task(job=job, task_id=str(queued.id), status=ImportStatus.CHECK_QUEUED)
    return ImportJob.objects.get(pk=job.pk)


def identity_rows(job: ImportJob) -> list[dict[str, Any]]:
    """The checked rows that change a known person's ФИО or birth date (each with its `identity_key`)."""
    rows: list[dict[str, Any]] = job.check_result.get("identity", [])
    return rows


def _require_checked(job: ImportJob) -> None:
    if job.status != ImportStatus.CHECKED:
        raise ValidationError(
            _("Файл сейчас в состоянии «%(status)s»: загрузить можно только проверенный файл.")
            % {"status": job.get_status_display()}
        )


def import_job_apply_check(*, job: ImportJob, actor: ActorLike) -> None:
    """Refuse as `import_job_apply_request` would, writing nothing (the cabinet's confirmation step)."""
    ensure_acts_for(actor=actor, organization=job.organization)
    _require_checked(ImportJob.objects.get(pk=job.pk))


def import_job_apply_request(
    *, job: ImportJob, actor: ActorLike, identity_confirmed: Collection[str] = ()
) -> ImportJob:
    """The operator confirms the checked file: queue its application.

    `identity_confirmed`: the keys of the rows (of `identity_rows`) whose change of a person's ФИО or
    birth date the operator confirmed one by one; the other such rows will be skipped.
    """
    ensure_acts_for(actor=actor, organization=job.organization)
    from frmr.imports.tasks import import_apply_task

    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        _require_checked(locked)
        known = {row["identity_key"] for row in identity_rows(locked)}
        unknown = set(identity_confirmed) - known
        if unknown:
            raise ValidationError(_("Подтверждение относится к строкам, которых нет в проверенном файле."))
        locked.status = ImportStatus.APPLY_QUEUED
        locked.processed_rows = 0
        locked.identity_confirmed = sorted(set(identity_confirmed))
        locked.task_id = ""
        locked.interruptions = 0
        locked.save(
            update_fields=["status", "processed_rows", "identity_confirmed", "task_id", "interruptions"]
        )
        queued = import_apply_task.enqueue(str(locked.pk))
        import_job_remember_task(job=locked, task_id=str(queued.id), status=ImportStatus.APPLY_QUEUED)
    return ImportJob.objects.get(pk=job.pk)


def _progress(job_id: Any) -> Any:
    def report(done: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed_rows=done)

    return report


def _run(job_id: str, *, dry_run: bool, task_id: str = "") -> ImportJob:
    job = ImportJob.objects.select_related("organization", "actor").get(pk=job_id)
    if not start_or_resume(job, dry_run=dry_run, task_id=task_id):
        return job  # a repeated delivery of the task: the work is done or under way
    path = Path(job.file.path)
    try:
        if job.total_rows is None:
            # The first reading of an untrusted file, in a bounded child (docs/import.md).
            total = inspect_file(path, name=job.original_name)
            ImportJob.objects.filter(pk=job.pk).update(total_rows=total)
        result = run_import(
            organization=job.organization,
            actor=job.actor if job.actor is not None else SYSTEM,
            path=path,
            name=job.original_name,
            dry_run=dry_run,
            progress=_progress(job.pk),
            identity_confirmed=frozenset(job.identity_confirmed),
        )
        data = _storable(
            {
                **result.summary(),
                "preview": result.preview,
                "errors": result.errors,
                "file_errors": result.file_errors,
                "identity": result.identity,
            }
        )
        now = timezone.now()
        if dry_run:
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportStatus.CHECKED, check_result=data, checked_at=now, processed_rows=result.total
            )
        else:
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportStatus.DONE, apply_result=data, finished_at=now, processed_rows=result.total
            )
    except ValidationError as error:
        # The file was refused before any row was read: a finished job that says why.
        refusal = " ".join(error.messages)
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, failure=refusal)
    except Exception as error:
        if connection_lost(error):
            # The worker runs this task again once it has reconnected (frmr/taskqueue/worker.py), and
            # the job resumes; if it cannot, the sweep fails the job with a message (jobs.py).
            raise
        logger.exception("import %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED,
            failure=_("Загрузка прервана из-за внутренней ошибки (%(error)s).")
            % {"error": type(error).__name__},
        )
        raise
    return ImportJob.objects.get(pk=job.pk)


def _storable(value: Any) -> Any:
    """The report without characters the database cannot store (PostgreSQL refuses NUL in jsonb).

    Values in the report are already shown without them (frmr.imports.rows.shown); this is the last
    guard for anything else that carries text from the file (a header, a message quoting a value).
    """
    if isinstance(value, str):
        return mark_control_characters(value)
    if isinstance(value, dict):
        return {key: _storable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_storable(item) for item in value]
    return value


def import_job_check(*, job_id: str, task_id: str = "") -> ImportJob:
    return _run(job_id, dry_run=True, task_id=task_id)


def import_job_apply(*, job_id: str, task_id: str = "") -> ImportJob:
    return _run(job_id, dry_run=False, task_id=task_id)
