"""The API's prepared statements, and their standing in for the connection's health check."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from django.db import OperationalError, connection

from frmr.integration.prepared import fetch_prepared

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def persistent_connection() -> Iterator[None]:
    """A connection configured as in production: persistent, health-checked."""
    saved = {key: connection.settings_dict[key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.close()
    connection.settings_dict.update({"CONN_MAX_AGE": 600, "CONN_HEALTH_CHECKS": True})
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def _drop_this_connection() -> None:
    """What a database restart does to an idle connection."""
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_prepared_once_per_connection(persistent_connection) -> None:
    sql = "SELECT 1 + %(n)s"
    assert fetch_prepared(sql, {"n": 1}) == [(2,)]
    assert fetch_prepared(sql, {"n": 2}) == [(3,)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT 1 + $1'")
        assert cursor.fetchone() == (1,)


def test_first_statement_of_a_request_replaces_a_dropped_connection(persistent_connection) -> None:
    assert fetch_prepared("SELECT 1", {}) == [(1,)]
    _drop_this_connection()
    connection.close_if_unusable_or_obsolete()  # what the start of the next request does
    assert fetch_prepared("SELECT 2", {}) == [(2,)]  # no failed request


def test_later_statements_are_not_retried(persistent_connection) -> None:
    assert fetch_prepared("SELECT 1", {}) == [(1,)]
    _drop_this_connection()  # within a request: the check was done at its start
    with pytest.raises(OperationalError):
        fetch_prepared("SELECT 2", {})
