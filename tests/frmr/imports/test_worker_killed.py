"""`kill -9` of the task worker in the middle of an import, for real (PostgreSQL, a `task_worker` process).

The worker is stopped at a known point without relying on timing: the test holds the job's row lock,
so the worker, having committed at least one chunk, blocks at its next progress report; it is killed
there. A second worker then finds the task abandoned (its heartbeat stopped) and runs it again: the
import resumes and ends with every row written once, or, when no attempt is left, fails with a message.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from frmr.accounts.models import User
from frmr.audit.actors import SYSTEM
from frmr.audit.models import AuditEntry
from frmr.imports import jobs
from frmr.imports.models import RUNNING, ImportJob, ImportStatus
from frmr.imports.services import import_job_apply_request, import_job_create
from frmr.registry.models import EmploymentCard, IdentityDocument, Organization, Person, ProfessionalEducation
from tests.frmr.taskqueue.conftest import DB_TASKS
from tests.taskworker import ROOT, WorkerProcess, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("dictionaries"),
]

ROWS = 6000  # six chunks, read by the import's forked reader process (the file is over 256 KiB)


@pytest.fixture
def checked_job(tmp_path: Path, org_a: Organization, settings: Any) -> ImportJob:
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "staff.csv"
    with path.open("wb") as out:
        subprocess.run(
            [sys.executable, "bench/import/generate.py", "--rows", str(ROWS),
             "--department", org_a.departments.get().name],
            cwd=ROOT, stdout=out, check=True,
        )  # fmt: skip
    job = import_job_create(
        organization=org_a, actor=SYSTEM, upload=SimpleUploadedFile("staff.csv", path.read_bytes())
    )
    assert job.status == ImportStatus.CHECKED, job.failure
    assert job.check_result["counts"]["create"] == ROWS, job.check_result["errors"][:3]
    return job


@pytest.fixture
def workers() -> Iterator[list[WorkerProcess]]:
    started: list[WorkerProcess] = []
    yield started
    for process in started:
        process.stop()


def _job(job: ImportJob) -> ImportJob:
    return ImportJob.objects.get(pk=job.pk)


def _persons(org: Organization) -> int:
    return Person.objects.filter(created_by_organization=org).count()


def _blocked_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        (waiting,) = cursor.fetchone()
    return bool(waiting)


def _kill_mid_import(job: ImportJob, worker: WorkerProcess, org: Organization) -> int:
    """Let the worker commit a chunk, stop it at its next progress report, kill it; rows written."""
    log = worker.log_path
    wait_for(
        lambda: _job(job).status == ImportStatus.APPLYING, timeout=120, what="the import to start", log=log
    )
    with transaction.atomic():
        ImportJob.objects.select_for_update().get(pk=job.pk)
        wait_for(_blocked_on_a_lock, timeout=120, what="the worker to reach a progress report", log=log)
        written = _persons(org)
        worker.kill9()
    assert 0 < written < ROWS, written
    return written


@pytest.mark.parametrize("attempts", [3, 1], ids=["resumes", "no-attempt-left"])
def test_import_whose_worker_was_killed_ends_and_writes_nothing_twice(
    attempts: int,
    checked_job: ImportJob,
    org_a: Organization,
    settings: Any,
    tmp_path: Path,
    workers: list[WorkerProcess],
    client: Client,
    operator_a: User,
) -> None:
    settings.TASKS = DB_TASKS
    env = {"FRMR_TASK_MAX_ATTEMPTS": str(attempts)}
    workers.append(WorkerProcess(tmp_path / "first.log", "import-first", **env))
    job = import_job_apply_request(job=checked_job, actor=SYSTEM)
    written = _kill_mid_import(job, workers[0], org_a)
    assert _job(job).status == ImportStatus.APPLYING  # what the page showed forever before

    workers.append(WorkerProcess(tmp_path / "second.log", "import-second", **env))
    wait_for(
        lambda: _job(job).status not in RUNNING, timeout=300, what="the job to end", log=workers[1].log_path
    )
    job = _job(job)
    client.force_login(operator_a)
    page = client.get(reverse("mo:import_job", args=[job.pk])).content.decode()
    if attempts > 1:
        assert job.status == ImportStatus.DONE, job.failure
        assert job.interruptions == 1 and job.processed_rows == ROWS
        counts = job.apply_result["counts"]
        assert counts["create"] == ROWS - written and counts["unchanged"] == written, counts
        assert "Обработка прерывалась" in page
        expected = ROWS
    else:
        assert job.status == ImportStatus.FAILED
        assert job.failure == jobs.APPLY_INTERRUPTED
        assert "Загрузите тот же файл ещё раз" in page
        expected = written
    # Every row once: one person, passport, diploma and card each, and the same audit entries per person.
    assert _persons(org_a) == expected
    people = Person.objects.filter(created_by_organization=org_a)
    assert EmploymentCard.objects.filter(person__in=people).count() == expected
    assert IdentityDocument.objects.filter(person__in=people).count() == expected
    assert ProfessionalEducation.objects.filter(person__in=people).count() == expected
    per_person = AuditEntry.objects.filter(person__in=people).values("person").annotate(n=Count("pk"))
    assert {row["n"] for row in per_person} == {4}
    assert workers[1].alive(), workers[1].log()
