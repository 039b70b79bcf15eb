"""A connection lost in the middle of an import is not the rows' fault (issue 13, point 4).

The engine retries a refused chunk row by row and reports a row the database would not take; a lost
connection must instead end the run with the error, so that the worker runs the task again once it has
reconnected (docs/tasks.md), rather than report every remaining row as refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import OperationalError, connection

from frmr.audit.actors import SYSTEM
from frmr.imports import engine
from frmr.imports.engine import run_import
from frmr.registry.models import Organization, Person
from tests.factories import valid_snils
from tests.frmr.imports.test_engine import row, write_csv

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("dictionaries"),
]


def _terminate(pid: int) -> None:
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"], dbname=settings["NAME"]
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_lost_connection_ends_the_run_instead_of_refusing_rows(
    tmp_path: Path, org_a: Organization, monkeypatch: Any
) -> None:
    rows = [row(snils=valid_snils(700 + n), service_number=str(7000 + n)) for n in range(4)]
    path = write_csv(tmp_path / "lost.csv", rows)
    real_write = engine.write
    calls = {"n": 0}

    def write_then_lose_the_connection(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:  # the second chunk: the first is committed
            _terminate(connection.connection.info.backend_pid)
        return real_write(*args, **kwargs)

    monkeypatch.setattr(engine, "write", write_then_lose_the_connection)
    try:
        with pytest.raises(OperationalError):
            run_import(
                organization=org_a,
                actor=SYSTEM,
                path=path,
                name=path.name,
                dry_run=False,
                pipeline=False,
                chunk_size=2,
            )
    finally:
        connection.close()
    assert calls["n"] == 2  # no row-by-row retry of the chunk on a dead connection
    assert Person.objects.filter(snils__in=[valid_snils(700), valid_snils(701)]).count() == 2
