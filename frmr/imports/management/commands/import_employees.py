"""`manage.py import_employees --organization <OID> FILE [--dry-run] [--confirm-identity-changes]`:
the cabinet's import, in the shell. Rows that change a known person's ФИО or birth date are listed and,
without --confirm-identity-changes, skipped (docs/import.md).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from frmr.audit.actors import SYSTEM
from frmr.imports.engine import CREATE, ERROR, SKIPPED, UNCHANGED, UPDATE, run_import
from frmr.imports.identity import ConfirmAll
from frmr.registry.models import Organization


class Command(BaseCommand):
    help = "Загрузить сотрудников организации из файла XLSX или CSV (формат — docs/import.md)."
    # The system checks take 0.4 s of every run and concern the project's code, not a data load.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--organization", required=True, help="OID организации в ФРМО")
        parser.add_argument("--dry-run", action="store_true", help="только проверить, ничего не записывать")
        parser.add_argument("--max-errors", type=int, default=50, help="сколько ошибок вывести")
        parser.add_argument(
            "--confirm-identity-changes",
            action="store_true",
            help="применить и строки, меняющие ФИО или дату рождения работника, уже внесённого в регистр "
            "(без флага такие строки пропускаются)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Файл {path} не найден.")
        organization = Organization.objects.filter(oid=options["organization"]).first()
        if organization is None:
            raise CommandError(f"Организации с OID {options['organization']} нет в регистре.")
        started = time.perf_counter()
        last = [0.0]

        def progress(done: int) -> None:
            if options["verbosity"] >= 2 or time.perf_counter() - last[0] > 5:
                last[0] = time.perf_counter()
                self.stderr.write(f"  обработано строк: {done}")

        result = run_import(
            organization=organization,
            actor=SYSTEM,
            path=path,
            name=path.name,
            dry_run=options["dry_run"],
            progress=progress,
            identity_confirmed=ConfirmAll() if options["confirm_identity_changes"] else frozenset(),
        )
        elapsed = time.perf_counter() - started
        for message in result.file_errors:
            self.stderr.write(self.style.WARNING(message))
        for error in result.errors[: options["max_errors"]]:
            self.stdout.write(
                f"строка {error['row']}, «{error['column']}» = «{error['value']}»: {error['message']}"
            )
        if result.error_count > options["max_errors"]:
            self.stdout.write(f"… и ещё ошибок: {result.error_count - options['max_errors']}")
        for outcome in result.identity[: options["max_errors"]]:
            changes = "; ".join(f"{label}: «{old}» → «{new}»" for label, old, new in outcome["identity"])
            state = "пропущена" if outcome["status"] == SKIPPED else "смена ФИО/даты рождения"
            self.stdout.write(f"строка {outcome['row']}, СНИЛС {outcome['snils']} — {state}: {changes}")
        counts = result.counts
        verb = "будет" if result.dry_run else "выполнено"
        self.stdout.write(
            f"{'Проверка' if result.dry_run else 'Загрузка'}: строк {result.total}; {verb}: "
            f"новых {counts[CREATE]}, изменённых {counts[UPDATE]}, без изменений {counts[UNCHANGED]}; "
            f"строк с ошибками {counts[ERROR]} (пропущены). Время: {elapsed:.1f} с."
        )
        if result.identity_count:
            self.stdout.write(
                f"Строк со сменой ФИО или даты рождения: {result.identity_count}"
                + (
                    f", пропущено без подтверждения: {counts[SKIPPED]} (--confirm-identity-changes)."
                    if counts[SKIPPED]
                    else "."
                )
            )
        if result.objects:
            self.stdout.write("Записано: " + ", ".join(f"{k}={v}" for k, v in sorted(result.objects.items())))
        if result.file_errors and not result.total:
            raise CommandError("Файл не загружен.")
