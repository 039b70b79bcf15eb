from django.apps import AppConfig


class ExtractConfig(AppConfig):
    name = "web.extract"
    label = "extract"
    verbose_name = "Выписка об аккредитации"
