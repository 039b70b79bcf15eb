"""django_tasks_db under a Russian name (the package names itself in English, untranslated)."""

from django.utils.translation import gettext_lazy
from django_tasks_db.apps import TasksAppConfig


class TasksConfig(TasksAppConfig):
    # The package assigns a str, which narrows the attribute for mypy; Django takes a lazy name as well.
    verbose_name = gettext_lazy("Журнал задач")  # type: ignore[assignment]
