from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class TaskQueueConfig(AppConfig):
    name = "frmr.taskqueue"
    label = "taskqueue"
    verbose_name = gettext_lazy("Обработчики задач")
