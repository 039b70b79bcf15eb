from django.apps import AppConfig


class IntegrationConfig(AppConfig):
    name = "frmr.integration"
    label = "integration"
    verbose_name = "Интеграционный API"
