"""An import job whose worker vanished resumes without writing twice, or fails with a message."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from frmr.accounts.models import User
from frmr.audit.actors import SYSTEM
from frmr.imports import jobs
from frmr.imports.engine import run_import
from frmr.imports.models import ImportJob, ImportStatus
from frmr.imports.services import import_job_apply_request, import_job_create
from frmr.registry.models import EmploymentCard, Organization, Person
from frmr.taskqueue import recovery
from tests.factories import valid_snils
from tests.frmr.imports.test_engine import row, write_csv
from tests.frmr.taskqueue.conftest import DB_TASKS, batch_worker

pytestmark = pytest.mark.usefixtures("dictionaries")

SNILS = [valid_snils(700 + i) for i in range(5)]


@pytest.fixture
def checked_job(tmp_path: Path, org_a: Organization, settings: Any) -> ImportJob:
    """A file of five new employees, checked (at once, by the immediate backend of the tests)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    path = write_csv(tmp_path / "staff.csv", [row(snils=s) for s in SNILS])
    upload = SimpleUploadedFile("staff.csv", path.read_bytes())
    job = import_job_create(organization=org_a, actor=SYSTEM, upload=upload)
    assert job.status == ImportStatus.CHECKED and job.check_result["counts"]["create"] == 5
    return job


def _queued_and_abandoned(job: ImportJob, settings: Any, *, first_rows: int) -> DBTaskResult:
    """Queue the application; a worker claims it, commits the chunk of `first_rows` rows, is killed."""
    settings.TASKS = DB_TASKS
    job = import_job_apply_request(job=job, actor=SYSTEM)
    task = DBTaskResult.objects.get(pk=job.task_id)
    task.claim("killed-worker")
    assert jobs.start_or_resume(job, dry_run=False, task_id=str(task.pk))
    part = write_csv(Path(job.file.path).with_name("part.csv"), [row(snils=s) for s in SNILS[:first_rows]])
    run_import(organization=job.organization, actor=SYSTEM, path=part, name=job.original_name, dry_run=False)
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=first_rows)
    return task


# The worker closes connections as in production (after every task): only a transactional test survives it.
@pytest.mark.django_db(transaction=True)
def test_apply_resumes_after_its_worker_vanished_and_writes_nothing_twice(
    checked_job: ImportJob, settings: Any, monkeypatch: pytest.MonkeyPatch, client: Client, operator_a: User
) -> None:
    task = _queued_and_abandoned(checked_job, settings, first_rows=3)
    assert Person.objects.filter(snils__in=SNILS).count() == 3
    monkeypatch.setattr(recovery, "retry_delay", lambda attempts: timedelta(0))
    assert recovery.tasks_recover_abandoned() == 1
    assert jobs.import_jobs_fail_stalled() == 0  # its task is queued again: the job waits for it
    batch_worker().run()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL, task.traceback
    job = ImportJob.objects.get(pk=checked_job.pk)
    assert job.status == ImportStatus.DONE
    assert job.interruptions == 1
    assert job.processed_rows == 5
    assert job.apply_result["counts"]["create"] == 2 and job.apply_result["counts"]["unchanged"] == 3
    assert Person.objects.filter(snils__in=SNILS).count() == 5
    assert EmploymentCard.objects.filter(person__snils__in=SNILS).count() == 5
    client.force_login(operator_a)
    page = client.get(reverse("mo:import_job", args=[job.pk])).content.decode()
    assert "Загрузка завершена" in page and "Обработка прерывалась" in page


def test_apply_abandoned_on_every_attempt_fails_with_a_message(
    checked_job: ImportJob, settings: Any, client: Client, operator_a: User
) -> None:
    settings.FRMR_TASK_MAX_ATTEMPTS = 1
    _queued_and_abandoned(checked_job, settings, first_rows=2)
    assert recovery.tasks_recover_abandoned() == 1
    assert jobs.import_jobs_fail_stalled() == 1
    job = ImportJob.objects.get(pk=checked_job.pk)
    assert job.status == ImportStatus.FAILED
    assert job.failure == jobs.APPLY_INTERRUPTED
    client.force_login(operator_a)
    page = client.get(reverse("mo:import_job", args=[job.pk])).content.decode()
    assert "Загрузите тот же файл ещё раз" in page
    assert jobs.import_jobs_fail_stalled() == 0


def test_check_whose_task_ended_without_recording_it_fails_with_a_message(checked_job: ImportJob) -> None:
    """E.g. the task failed while the database was away, so it could not record the job's failure."""
    task = DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED,
        args_kwargs={"args": [str(checked_job.pk)], "kwargs": {}},
        task_path="frmr.imports.tasks.import_check_task",
        backend_name="default",
        run_after=checked_job.created_at,
    )
    ImportJob.objects.filter(pk=checked_job.pk).update(status=ImportStatus.CHECKING, task_id=str(task.pk))
    assert jobs.import_jobs_fail_stalled() == 1
    checked_job.refresh_from_db()
    assert checked_job.status == ImportStatus.FAILED and checked_job.failure == jobs.CHECK_INTERRUPTED


def test_another_task_for_a_started_job_leaves_it_alone(checked_job: ImportJob, settings: Any) -> None:
    settings.TASKS = DB_TASKS
    job = import_job_apply_request(job=checked_job, actor=SYSTEM)
    assert jobs.start_or_resume(job, dry_run=False, task_id=job.task_id)
    assert not jobs.start_or_resume(job, dry_run=False, task_id="another-task")
    assert jobs.start_or_resume(job, dry_run=False, task_id=job.task_id)  # the same task again: resumes
    job.refresh_from_db()
    assert job.interruptions == 1
