"""`manage.py generate_register --persons N`: a synthetic register for load tests (bench/README.md)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from frmr.demo.loader import check_production
from frmr.demo.synthetic import Stats, generate_register


class Command(BaseCommand):
    help = (
        "Добавляет N вымышленных работников с разделами личного дела (паспорт, адрес, образование, "
        "повышение квалификации, аккредитация, карточки) для нагрузочных проверок. На PostgreSQL — COPY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, required=True, help="сколько работников добавить")
        parser.add_argument("--seed", type=int, default=1, help="зерно случайных данных (по умолчанию 1)")
        parser.add_argument("--batch", type=int, default=10_000, help="работников в одной транзакции")
        parser.add_argument(
            "--organizations",
            type=int,
            default=None,
            help="сколько организаций (создаются; по умолчанию — по числу работников: три крупных, "
            "остальные от 50 до 3000 работников)",
        )
        parser.add_argument(
            "--workers", type=int, default=2, help="процессов записи на PostgreSQL (по умолчанию 2)"
        )
        parser.add_argument("--force", action="store_true", help="работать даже при FRMR_ENV=production")

    def handle(self, *args: Any, **options: Any) -> None:
        organizations = options["organizations"]
        if min(options["persons"], options["batch"], organizations or 1, options["workers"]) < 1:
            raise CommandError("--persons, --batch, --organizations и --workers должны быть положительными.")
        try:
            check_production(force=options["force"])
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        total = options["persons"]
        self.stdout.write(f"База: {connection.vendor}; работников: {total}; пакет: {options['batch']}")

        def progress(stats: Stats) -> None:
            self.stdout.write(
                f"  {stats.persons:>9}/{total} работников, {stats.rows:>10} строк, "
                f"{stats.elapsed:7.1f} с: {stats.persons / stats.elapsed:8.0f} работников/с, "
                f"{stats.rows / stats.elapsed:8.0f} строк/с"
            )

        try:
            stats = generate_register(
                persons=total,
                seed=options["seed"],
                batch=options["batch"],
                organizations=organizations,
                workers=options["workers"],
                progress=progress,
            )
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        rate = f"{stats.persons / stats.elapsed:.0f} работников/с, {stats.rows / stats.elapsed:.0f} строк/с"
        self.stdout.write(
            self.style.SUCCESS(
                f"Готово: {stats.persons} работников, {stats.rows} строк за {stats.elapsed:.1f} с ({rate})"
            )
        )
