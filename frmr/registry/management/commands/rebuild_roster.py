"""`manage.py rebuild_roster`: recompute the employer cabinet's roster from the register (docs/roster.md)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from frmr.registry.roster import roster_rebuild


class Command(BaseCommand):
    help = (
        "Пересобирает список сотрудников организаций (строку на каждую пару «организация — работник») "
        "по работникам, карточкам и подразделениям регистра. Нужна после записи в обход сервисов "
        "(например, восстановления из резервной копии части таблиц); обычные записи поддерживают список сами."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        rows = roster_rebuild()
        self.stdout.write(
            self.style.SUCCESS(f"Готово: строк в списке — {rows}, за {time.monotonic() - started:.1f} с.")
        )
