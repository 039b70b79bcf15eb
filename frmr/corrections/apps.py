from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CorrectionsConfig(AppConfig):
    name = "frmr.corrections"
    label = "corrections"
    verbose_name = gettext_lazy("Запросы на исправление данных")
