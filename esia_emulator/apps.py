from __future__ import annotations

from django.apps import AppConfig


class EsiaEmulatorConfig(AppConfig):
    name = "esia_emulator"
    verbose_name = "Эмулятор ЕСИА"
    default_auto_field = "django.db.models.BigAutoField"
