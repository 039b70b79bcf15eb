from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class RegistryConfig(AppConfig):
    name = "frmr.registry"
    label = "registry"
    verbose_name = gettext_lazy("Регистр")

    def ready(self) -> None:
        from frmr.registry import sqlite

        sqlite.connect()
