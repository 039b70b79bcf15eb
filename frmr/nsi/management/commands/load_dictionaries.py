"""`manage.py load_dictionaries [--only OID ...]`: load the dictionaries shipped in frmr/nsi/data/."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from frmr.nsi.records import DictionaryFileError
from frmr.nsi.services import dictionaries_load


class Command(BaseCommand):
    help = (
        "Загружает справочники из файлов проекта (frmr/nsi/data/): добавляет новые записи и обновляет "
        "изменённые, ничего не удаляя. Повторный запуск ничего не меняет."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only", nargs="+", metavar="OID", help="загрузить только справочники с этими OID"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            results = dictionaries_load(only=options["only"])
        except DictionaryFileError as exc:
            raise CommandError(str(exc)) from exc
        for result in results:
            if result.skipped_reason:
                self.stdout.write(f"{result.title} ({result.oid}): пропущен — {result.skipped_reason}")
                continue
            self.stdout.write(
                f"{result.title} ({result.oid}): создано {result.created}, обновлено {result.updated}, "
                f"без изменений {result.unchanged}"
            )
        created = sum(result.created for result in results)
        updated = sum(result.updated for result in results)
        self.stdout.write(
            self.style.SUCCESS(
                f"Справочников: {len(results)}; всего создано {created}, обновлено {updated} "
                f"за {time.monotonic() - started:.2f} с."
            )
        )
