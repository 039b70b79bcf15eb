"""The sweep every task worker runs in the background: recovery and the domain's periodic jobs.

Domain apps register their jobs in `AppConfig.ready()` by dotted path (so that registering imports
nothing). Every worker asks for the sweep every FRMR_WORKER_SWEEP_SECONDS, but a round runs once across
all workers and nodes: the worker that wins the round's lease (`periodic_round_claim`) runs it, the
others skip it. Each job must still be safe to run twice at once (take its rows with SKIP LOCKED and
move them on under the lock): a round that outlives the interval overlaps the next one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from frmr.taskqueue.models import PeriodicLease, WorkerHeartbeat
from frmr.taskqueue.recovery import connection_lost, tasks_recover_abandoned

logger = logging.getLogger(__name__)

_JOBS: dict[str, str] = {}
HEARTBEAT_RETENTION = timedelta(days=1)
SWEEP = "sweep"


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


def periodic_round_claim(*, name: str, worker_id: str, interval: timedelta) -> int | None:
    """The round's number if this worker won it, None if another worker has it (or had it recently).

    One conditional UPDATE: on PostgreSQL a second worker's UPDATE waits for the first one's row lock
    and then finds `due_at` moved forward; on SQLite writes are serialized anyway. No lock is held
    while the round runs, so a worker killed in the middle delays the next round by one interval only.
    """
    now = timezone.now()
    claimed = PeriodicLease.objects.filter(name=name, due_at__lte=now).update(
        due_at=now + interval, round=F("round") + 1, holder=worker_id
    )
    if claimed:
        return int(PeriodicLease.objects.values_list("round", flat=True).get(name=name))
    try:
        with transaction.atomic():
            PeriodicLease.objects.create(name=name, due_at=now + interval, round=1, holder=worker_id)
    except IntegrityError:
        return None  # the row exists: another worker holds this round
    return 1
