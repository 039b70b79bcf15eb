"""django_tasks_db under a Russian name (the package names itself in English, untranslated)."""

from django_tasks_db.apps import TasksAppConfig


class TasksConfig(TasksAppConfig):
    verbose_name = "Журнал задач"
