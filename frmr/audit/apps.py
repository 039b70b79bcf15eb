from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AuditConfig(AppConfig):
    name = "frmr.audit"
    label = "audit"
    verbose_name = gettext_lazy("Журнал аудита")
