from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand

from frmr.taskqueue.selectors import queue_health


class Command(BaseCommand):
    help = "Состояние очереди задач (JSON); код выхода 1, если задача ждёт дольше FRMR_TASKS_MAX_AGE_SECONDS."

    def handle(self, *args: Any, **options: Any) -> None:
        health = queue_health()
        self.stdout.write(json.dumps(health.as_dict(), ensure_ascii=False))
        if not health.healthy:
            sys.exit(1)
