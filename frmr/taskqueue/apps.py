from django.apps import AppConfig


class TaskQueueConfig(AppConfig):
    name = "frmr.taskqueue"
    label = "taskqueue"
    verbose_name = "Обработчики задач"
