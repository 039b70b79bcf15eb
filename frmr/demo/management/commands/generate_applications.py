"""`manage.py generate_applications --applications N`: a year of accreditation applications over a
generated register, for the centre's benchmarks (bench/fac/README.md)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from frmr.demo.applications import Stats, generate_applications
from frmr.demo.loader import check_production


class Command(BaseCommand):
    help = (
        "Добавляет N вымышленных заявлений на аккредитацию за последний год (с историей шагов) от "
        "работников регистра, у которых заявлений ещё нет. Сначала нужен generate_register."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--applications", type=int, required=True, help="сколько заявлений добавить")
        parser.add_argument("--seed", type=int, default=1, help="зерно случайных данных (по умолчанию 1)")
        parser.add_argument(
            "--days", type=int, default=365, help="за сколько последних дней (по умолчанию 365)"
        )
        parser.add_argument("--batch", type=int, default=10_000, help="заявлений в одной транзакции")
        parser.add_argument("--force", action="store_true", help="работать даже при FRMR_ENV=production")

    def handle(self, *args: Any, **options: Any) -> None:
        if min(options["applications"], options["days"], options["batch"]) < 1:
            raise CommandError("--applications, --days и --batch должны быть положительными.")
        try:
            check_production(force=options["force"])
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        total = options["applications"]

        def progress(stats: Stats) -> None:
            self.stdout.write(
                f"  {stats.applications:>8}/{total} заявлений, {stats.rows:>9} строк, {stats.elapsed:7.1f} с"
            )

        stats = generate_applications(
            applications=total,
            seed=options["seed"],
            days=options["days"],
            batch=options["batch"],
            progress=progress,
        )
        if stats.applications < total:
            self.stdout.write(
                self.style.WARNING(
                    f"В регистре не хватило работников без заявлений: добавлено {stats.applications}."
                )
            )
        statuses = ", ".join(f"{status}: {count}" for status, count in sorted(stats.by_status.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Готово: {stats.applications} заявлений, {stats.rows} строк "
                f"за {stats.elapsed:.1f} с ({statuses})"
            )
        )
