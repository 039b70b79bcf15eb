"""django_tasks_db's backend that stores the enqueuing request's id with the task (docs/deploy.md, logs).

The id rides next to the task's arguments in the row (`args_kwargs["request_id"]`), never among them,
so a task's signature does not change; the worker (frmr/taskqueue/worker.py) binds it while the task
runs, and the task's log lines carry the id of the request that asked for it.
"""

from __future__ import annotations

from typing import Any

from django_tasks_db import backend
from django_tasks_db.compat import normalize_json
from django_tasks_db.models import DBTaskResult

from frmr.core.observability.logs import request_id_current

REQUEST_ID_KEY = "request_id"


class DatabaseBackend(backend.DatabaseBackend):
    def _task_to_db_task(self, task: Any, args: Any, kwargs: Any) -> DBTaskResult[..., Any]:
        rid = request_id_current()
        if rid is None:
            return super()._task_to_db_task(task, args, kwargs)
        # The library's own row, with the id added: one INSERT, as without it.
        return DBTaskResult.objects.create(
            id=self._get_id(),
            args_kwargs={"args": normalize_json(args), "kwargs": normalize_json(kwargs), REQUEST_ID_KEY: rid},
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )


def request_id_of(db_task_result: DBTaskResult[..., Any]) -> str | None:
    value = (db_task_result.args_kwargs or {}).get(REQUEST_ID_KEY)
    return value if isinstance(value, str) else None
