from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "frmr.changes"
    label = "changes"
    verbose_name = "Журнал изменений регистра"
