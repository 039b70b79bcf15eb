"""Import files hold personal data: the sweep removes them once the operator can no longer need them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from frmr.audit.actors import SYSTEM
from frmr.imports import jobs
from frmr.imports.models import ImportJob, ImportStatus
from frmr.imports.services import import_job_apply_request
from frmr.taskqueue.periodic import sweep
from tests.frmr.imports.test_jobs import checked_job  # noqa: F401 - the fixture, shared

pytestmark = [pytest.mark.usefixtures("dictionaries"), pytest.mark.django_db(transaction=True)]


def test_a_check_nobody_applied_fails_after_30_days_and_its_file_goes(checked_job: ImportJob) -> None:  # noqa: F811
    path = Path(checked_job.file.path)
    assert jobs.import_files_clean_up(now=timezone.now() + jobs.CHECKED_WAITS - timedelta(hours=1)) == 0
    assert path.exists()

    assert jobs.import_files_clean_up(now=timezone.now() + jobs.CHECKED_WAITS + timedelta(hours=1)) == 1

    job = ImportJob.objects.get(pk=checked_job.pk)
    assert job.status == ImportStatus.FAILED and job.failure == jobs.ABANDONED
    assert job.file.name == "" and not path.exists()
    assert job.check_result["counts"]["create"] == 5  # the report stays


def test_an_applied_file_goes_a_week_after_the_job_ended(checked_job: ImportJob) -> None:  # noqa: F811
    job = import_job_apply_request(job=checked_job, actor=SYSTEM)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    path = Path(job.file.path)
    assert jobs.import_files_clean_up(now=timezone.now() + timedelta(days=6)) == 0
    assert path.exists()

    assert jobs.import_files_clean_up(now=timezone.now() + jobs.FINISHED_FILE_KEPT + timedelta(hours=1)) == 1

    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.file.name == "" and not path.exists()
    assert jobs.import_files_clean_up(now=timezone.now() + timedelta(days=60)) == 0  # nothing twice


def test_the_sweep_runs_the_clean_up(checked_job: ImportJob) -> None:  # noqa: F811
    assert sweep()["import_files_removed"] == 0
    assert Path(checked_job.file.path).exists()
