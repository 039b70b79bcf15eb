"""`manage.py load_demo [--reset] [--force]`: the demo stand's organizations, people and users."""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from frmr.demo.loader import load_demo


class Command(BaseCommand):
    help = (
        "Загружает вымышленные демонстрационные данные: 3 медицинские организации, ~50 работников "
        "с полными личными делами и пользователей демо-стенда. Повторный запуск ничего не меняет."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="удалить демонстрационных работников и создать заново, с датами от сегодняшнего дня",
        )
        parser.add_argument(
            "--force", action="store_true", help="загрузить даже при FRMR_ENV=production (стенд для показа)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            result = load_demo(
                reset=options["reset"], force=options["force"], log=lambda text: self.stdout.write(text)
            )
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Демо-данные готовы за {elapsed:.1f} с (даты отсчитаны от {result.anchor:%d.%m.%Y}); "
                f"входы: {result.logins_file}"
            )
        )
