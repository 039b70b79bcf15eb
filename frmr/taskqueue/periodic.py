"""The sweep every task worker runs in the background: recovery and the domain's periodic jobs.

Domain apps register their jobs in `AppConfig.ready()` by dotted path (so that registering imports
nothing). Each job must be safe to run by several workers at once (take its rows with SKIP LOCKED and
move them on under the lock) and cheap when there is nothing to do: every worker runs the sweep every
FRMR_WORKER_SWEEP_SECONDS.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.db import connections
from django.utils import timezone
from django.utils.module_loading import import_string

from frmr.taskqueue.models import WorkerHeartbeat
from frmr.taskqueue.recovery import connection_lost, tasks_recover_abandoned

logger = logging.getLogger(__name__)

_JOBS: dict[str, str] = {}
HEARTBEAT_RETENTION = timedelta(days=1)


def register(name: str, path: str) -> None:
    """Run the callable at `path` (no arguments, returns a count) in every sweep."""
    _JOBS[name] = path


def sweep() -> dict[str, int]:
    """One round: abandoned tasks first (a stalled import's task must be settled before its job)."""
    done: dict[str, int] = {}
    steps: list[tuple[str, Callable[[], int]]] = [("tasks_recovered", tasks_recover_abandoned)]
    steps += [(name, import_string(path)) for name, path in sorted(_JOBS.items())]
    steps.append(("heartbeats_pruned", _prune_heartbeats))
    for name, step in steps:
        try:
            done[name] = step()
        except Exception as error:
            # One failing job must not stop the others, nor the heartbeat that runs the sweep.
            logger.exception("periodic job %s failed", name)
            if connection_lost(error):
                connections["default"].close()
    return done


def _prune_heartbeats() -> int:
    deleted, _ = WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - HEARTBEAT_RETENTION).delete()
    return deleted
