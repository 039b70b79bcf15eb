from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from frmr.notifications.delivery import notifications_retry_pending


class Command(BaseCommand):
    help = "Повторно ставит в очередь письма уведомлений, которые не были отправлены."

    def handle(self, *args: Any, **options: Any) -> None:
        count = notifications_retry_pending()
        self.stdout.write(f"Поставлено в очередь писем: {count}")
