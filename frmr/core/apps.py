from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "frmr.core"
    label = "core"
    verbose_name = "Общее"
