"""Whether a failure means "the database cannot be reached right now", for the 503 of the site and the API."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError

# How long a client is asked to wait (Retry-After) before it tries again while the database is away.
RETRY_AFTER_SECONDS = 30
# Connection failures, and what a dropped connection raises on its next use. Django wraps the driver's
# errors in these, so PostgreSQL and SQLite both land here.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc`, or the error it was raised from or while handling, is a connection failure."""
    for _ in range(5):
        if exc is None:
            return False
        if isinstance(exc, DATABASE_UNAVAILABLE):
            return True
        exc = exc.__cause__ or exc.__context__
    return False
