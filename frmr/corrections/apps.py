from django.apps import AppConfig


class CorrectionsConfig(AppConfig):
    name = "frmr.corrections"
    label = "corrections"
    verbose_name = "Запросы на исправление данных"
