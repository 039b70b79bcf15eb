"""Tasks of the worker tests (module level, as django-tasks requires); the worker imports them by path."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.db import OperationalError, connection
from django_tasks import task

from frmr.accounts.models import User


@task()
def record(marker: str) -> str:
    """Touches the database, so that it fails while the database is away."""
    return f"{marker}:{User.objects.count()}"


@task()
def slow_record(marker: str, seconds: float) -> str:
    time.sleep(seconds)
    return f"{marker}:{User.objects.count()}"


@task()
def loses_connection_once(flag_path: str) -> str:
    """The first run finds its connection gone (as in a database restart); the next one succeeds."""
    flag = Path(flag_path)
    if not flag.exists():
        flag.write_text(str(os.getpid()))
        connection.close()
        raise OperationalError("server closed the connection unexpectedly")
    return f"ok:{User.objects.count()}"


@task()
def fails(marker: str) -> str:
    raise ValueError(marker)


@task()
def request_id_seen() -> str | None:
    """The request id bound while the task runs (frmr/taskqueue/backend.py)."""
    from frmr.core.observability.logs import request_id_current

    return request_id_current()
