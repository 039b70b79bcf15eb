from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class IntegrationConfig(AppConfig):
    name = "frmr.integration"
    label = "integration"
    verbose_name = gettext_lazy("Интеграционный API")
