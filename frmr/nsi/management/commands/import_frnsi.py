"""`manage.py import_frnsi --oid OID FILE`: apply an official ФРНСИ export (JSON or CSV) to a dictionary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from frmr.nsi import oids
from frmr.nsi.frnsi import Columns, read_export
from frmr.nsi.records import DictionaryFileError
from frmr.nsi.services import frnsi_import


class Command(BaseCommand):
    help = (
        "Импортирует официальную выгрузку справочника ФРНСИ (JSON или CSV). Новые записи добавляются, "
        "изменённые обновляются; записи, отмеченные в выгрузке как недействующие, получают дату окончания. "
        "Ничего не удаляется."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="файл выгрузки (.json или .csv)")
        parser.add_argument(
            "--oid", required=True, help="OID справочника, например 1.2.643.5.1.13.13.11.1066"
        )
        parser.add_argument("--code-column", help="столбец с кодом (по умолчанию ID, CODE или RECID)")
        parser.add_argument("--name-column", help="столбец с наименованием (по умолчанию NAME или NAME_FULL)")
        parser.add_argument("--parent-column", help="столбец с кодом родителя (по умолчанию PARENT)")
        parser.add_argument(
            "--retire-missing",
            action="store_true",
            help="записям справочника, которых нет в выгрузке, поставить дату окончания действия — сегодня",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        oid: str = options["oid"].strip()
        if not oid.replace(".", "").isdigit():
            raise CommandError(f"«{oid}» не похож на OID справочника (цифры через точку).")
        if not path.is_file():
            raise CommandError(f"Файл {path} не найден.")
        columns = Columns(
            code=options["code_column"], name=options["name_column"], parent=options["parent_column"]
        )
        try:
            export = read_export(path, columns=columns)
            result = frnsi_import(
                oid=oid, export=export, on=timezone.localdate(), retire_missing=options["retire_missing"]
            )
        except DictionaryFileError as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        line = (
            f"{oids.title(oid)} ({oid}): создано {result.created}, обновлено {result.updated}, "
            f"без изменений {result.unchanged}"
        )
        if options["retire_missing"]:
            line += f", выведено из действия отсутствующих в выгрузке {result.retired}"
        self.stdout.write(self.style.SUCCESS(line))
