from __future__ import annotations

from django_tasks import TaskContext, task

from frmr.imports.services import import_job_apply, import_job_check


# The context gives the task's id: a run of the same task after an interruption resumes its job.
@task(takes_context=True)
def import_check_task(context: TaskContext, job_id: str) -> str:
    return str(import_job_check(job_id=job_id, task_id=str(context.task_result.id)).status)


@task(takes_context=True)
def import_apply_task(context: TaskContext, job_id: str) -> str:
    return str(import_job_apply(job_id=job_id, task_id=str(context.task_result.id)).status)
