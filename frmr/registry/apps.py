from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "frmr.registry"
    label = "registry"
    verbose_name = "Регистр"

    def ready(self) -> None:
        from frmr.registry import sqlite

        sqlite.connect()
