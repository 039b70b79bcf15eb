"""Waiting for the change log to settle before reading the feed (frmr/changes/selectors.py)."""

from __future__ import annotations

import time

from frmr.changes.selectors import change_log_settled


def wait_settled(timeout: float = 120.0) -> None:
    """Until every event written so far is published: on a PostgreSQL server shared with other test
    runs, their open transactions hold the feed back for a while (never wrongly, only later)."""
    deadline = time.monotonic() + timeout
    while not change_log_settled():
        assert time.monotonic() < deadline, "a transaction of the server stayed open too long"
        time.sleep(0.2)
