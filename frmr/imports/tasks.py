from __future__ import annotations

from django_tasks import task

from frmr.imports.services import import_job_apply, import_job_check


@task()
def import_check_task(job_id: str) -> str:
    return str(import_job_check(job_id=job_id).status)


@task()
def import_apply_task(job_id: str) -> str:
    return str(import_job_apply(job_id=job_id).status)
