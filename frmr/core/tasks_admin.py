"""django_tasks_db's admin table in Russian (the app's name: frmr.core.tasks_app).

The model's field names are translated in locale/ru (they are lazy strings); what the package writes
as plain English (two column titles, the task name) is replaced here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult


class TaskResultAdmin(DBTaskResultAdmin):
    list_display = (
        "id",
        "task_title",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_name",
    )

    @admin.display(description=gettext_lazy("задача"))
    def task_title(self, obj: DBTaskResult[..., Any]) -> str:
        return str(obj.task_name)

    @admin.display(description=gettext_lazy("трассировка ошибки"))
    def formatted_traceback(self, obj: DBTaskResult[..., Any]) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description=gettext_lazy("выполнить не раньше"))
    def display_run_after(self, obj: DBTaskResult[..., Any]) -> datetime | str:
        return super().display_run_after(obj)


def register() -> None:
    """Called from frmr.core's AppConfig.ready(), after django_tasks_db registered its own admin."""
    if admin.site.is_registered(DBTaskResult):
        admin.site.unregister(DBTaskResult)
    admin.site.register(DBTaskResult, TaskResultAdmin)
