"""A cursor whose statements PostgreSQL prepares once per connection, for the API's hot statements.

Django binds parameters on the client and sends each statement as text, so PostgreSQL plans it anew on
every execution. For the statements every API request runs (the rate counter, `GET person`) planning
cost more than executing: 1.8 ms against 0.2 ms for `GET person`'s statement on the 1M-person bench
database (bench/api/README.md). psycopg prepares a statement on its first execution through this
cursor and reuses the plan for the life of the connection.

Prepared only when it pays and is safe:
* PostgreSQL, with persistent connections (CONN_MAX_AGE ≠ 0): on a connection used for one request,
  preparing would be an extra round trip for nothing;
* FRMR_API_PREPARED_STATEMENTS on (the default). Switch it off behind a transaction-pooling PgBouncer
  older than 1.21, which cannot keep a session's prepared statements.

Elsewhere it is Django's ordinary cursor. Either way the statements go through Django's cursor wrapper,
so they are logged and counted like any other query.

The health check of a reused connection (CONN_HEALTH_CHECKS) is a `SELECT 1` round trip before a
request's first statement: a third of the database round trips of `GET person`. When a request's first
statement is one of these, it is the health check itself: if it fails because the database dropped the
connection (a restart, a failover), the connection is replaced and the statement run again, once.
Either way no request fails for a connection that died while idle, which is what the check is for.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections


def _use_prepared(connection: Any) -> bool:
    return (
        connection.vendor == "postgresql"
        and bool(settings.FRMR_API_PREPARED_STATEMENTS)
        and connection.settings_dict.get("CONN_MAX_AGE") != 0
    )


_preparing_cursor_class: Any = None
NEVER_BY_COUNT = 2**31


def _preparing_cursor(raw_connection: Any) -> Any:
    global _preparing_cursor_class
    if _preparing_cursor_class is None:
        # Imported here: the module needs psycopg, which a SQLite-only setup may lack.
        from django.db.backends.postgresql.base import ServerBindingCursor

        class PreparingCursor(ServerBindingCursor):
            def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
                kwargs["prepare"] = True
                return super().execute(query, params, **kwargs)  # type: ignore[misc]

        _preparing_cursor_class = PreparingCursor
    return _preparing_cursor_class(raw_connection)


@contextmanager
def prepared_cursor(using: str = DEFAULT_DB_ALIAS) -> Iterator[Any]:
    """Like `connection.cursor()`; on PostgreSQL with persistent connections, statements are prepared.

    `using`: the database alias (a replica for a lag-tolerant read, frmr.core.replicas.raw_read_alias).
    """
    connection = connections[using]
    if not _use_prepared(connection):
        with connection.cursor() as cursor:
            yield cursor
        return
    # What connection.cursor() does, with a server-binding cursor of our own in place of Django's.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    raw_connection = connection.connection
    if raw_connection.prepare_threshold is None:
        # Django switches preparing off on its connections (for poolers); None would make psycopg ignore
        # prepare=True too. Its own cursors bind on the client and never prepare, so a threshold no
        # statement reaches changes nothing for them: only this cursor, which asks, prepares.
        raw_connection.prepare_threshold = NEVER_BY_COUNT
    with connection.wrap_database_errors:
        raw = _preparing_cursor(raw_connection)
    with connection._prepare_cursor(raw) as cursor:  # type: ignore[attr-defined]
        yield cursor


def fetch_prepared(sql: str, params: Any, *, using: str = DEFAULT_DB_ALIAS) -> list[tuple[Any, ...]]:
    """Run one statement through `prepared_cursor` and return its rows (see the module's docstring for
    how it stands in for the connection's health check)."""
    connection = connections[using]
    # Django would check a reused connection before its first statement of the request; this one does.
    # (Django's own flags, set by BaseDatabaseWrapper.connect and close_if_unusable_or_obsolete.)
    db: Any = connection
    stands_for_check = (
        db.connection is not None
        and db.health_check_enabled
        and not db.health_check_done
        and not db.in_atomic_block
    )
    if stands_for_check:
        db.health_check_done = True
    try:
        with prepared_cursor(using) as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
    except (InterfaceError, OperationalError):
        if not stands_for_check or connection.is_usable():
            raise  # a failure of the statement, not of an idle connection
        connection.close()
    with prepared_cursor(using) as cursor:  # a new connection
        cursor.execute(sql, params)
        return list(cursor.fetchall())
