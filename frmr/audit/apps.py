from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "frmr.audit"
    label = "audit"
    verbose_name = "Журнал аудита"
