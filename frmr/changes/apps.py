from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ChangesConfig(AppConfig):
    name = "frmr.changes"
    label = "changes"
    verbose_name = gettext_lazy("Журнал изменений регистра")
