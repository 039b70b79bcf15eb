"""Read replicas on a real streaming replica: routing, read-your-writes, the lag limit, a killed replica.

A primary and a replica of the test's own (tests/pgcluster.py: initdb, pg_basebackup -R, WAL
streaming), the test database copied onto the primary, and the site under gunicorn pointed at both
(DATABASE_URL, DATABASE_REPLICA_URLS). What a read saw tells where it went: the replica's replay is
paused, so a register entry written on the primary after the pause is found only by reads the primary
answers. Runs under CI=true only (it starts servers); docs/deploy.md, «Read replicas».
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

from frmr.registry.models import AccreditationRecord
from tests import pgcluster
from tests.servers import AppServer, ci_only_reason, next_app_port
from tests.web.public.test_check import make_record

# transaction=True: the seed entry is committed, so that pg_dump sees it (and flushed after each test).
pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

_skip = ci_only_reason() or pgcluster.available()
if _skip:
    pytestmark.append(pytest.mark.skip(reason=_skip))

SEED_NUMBER = "7700000000001"
MAX_LAG = 15
# Long enough that a state /readyz has just renewed is still the one a request right after it uses.
CHECK_SECONDS = 10


@dataclass
class Stand:
    cluster: pgcluster.Cluster
    replica: pgcluster.Server
    app: AppServer
    dbname: str

    def primary_sql(self, sql: str, params: Any = None) -> None:
        with self.cluster.primary.connect(self.dbname) as db:
            db.execute(sql, params)

    def replica_sql(self, sql: str) -> Any:
        with self.replica.connect(self.dbname) as db:
            return db.execute(sql).fetchone()

    def add_record(self, number: str) -> None:
        """A copy of the seed entry under another number, written on the primary."""
        columns = [
            f.column
            for f in AccreditationRecord._meta.concrete_fields
            if f.column not in ("id", "registry_number")
        ]
        names = ", ".join(columns)
        table = AccreditationRecord._meta.db_table
        self.primary_sql(
            f"INSERT INTO {table} (registry_number, {names}) "  # noqa: S608 (names from the model)
            f"SELECT %s, {names} FROM {table} WHERE registry_number = %s",
            [number, SEED_NUMBER],
        )


def get(url: str, *, cookie: str = "", method: str = "GET") -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, method=method, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, dict(answer.headers), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def metric(app: AppServer, name: str, **labels: str) -> float:
    _, _, text = get(f"{app.url}/metrics")
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(rf"{re.escape(name)}(?:\{{([^}}]*)\}})? (\S+)", line)
        if match and ",".join(sorted((match.group(1) or "").split(","))) == wanted:
            return float(match.group(2))
    return 0.0


def wait_for(predicate: Any, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@pytest.fixture(scope="module")
def stand(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stand]:
    import datetime

    with django_db_blocker.unblock():
        today = datetime.date.today()
        seed = make_record(SEED_NUMBER, today, today + datetime.timedelta(days=365))
        db = connection.settings_dict
        source = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        cluster = pgcluster.Cluster()
        app = None
        try:
            cluster.start_primary()
            cluster.copy_database(source_url=source, dbname="frmr")
            replica = cluster.add_replica()
            log = tmp_path_factory.mktemp("replica-app") / "gunicorn.log"
            app = AppServer(
                log,
                next_app_port(),
                DATABASE_URL=cluster.primary.url("frmr"),
                DATABASE_REPLICA_URLS=replica.url("frmr"),
                DATABASE_CONN_MAX_AGE="60",
                FRMR_REPLICA_CHECK_SECONDS=str(CHECK_SECONDS),
                FRMR_REPLICA_MAX_LAG_SECONDS=str(MAX_LAG),
                FRMR_REPLICA_STICKY_SECONDS="5",
                FRMR_METRICS_ALLOWED_IPS="127.0.0.1",
                FRMR_READYZ_CHECK_STORAGE="false",
            )
            yield Stand(cluster=cluster, replica=replica, app=app, dbname="frmr")
        finally:
            if app is not None:
                app.stop()
            cluster.destroy()
            AccreditationRecord.objects.filter(pk=seed.pk).delete()


def test_lag_tolerant_reads_go_to_the_replica_and_a_writer_reads_the_primary(stand: Stand) -> None:
    check = f"{stand.app.url}/check/"
    assert get(check + SEED_NUMBER)[0] == 200
    # A fresh write replayed, then replay paused: the replica is current, but stays as it is now.
    stand.primary_sql("CREATE TABLE IF NOT EXISTS replica_probe (at timestamptz)")
    stand.primary_sql("INSERT INTO replica_probe VALUES (now())")
    stand.cluster.wait_replayed(stand.replica)
    stand.replica_sql("SELECT pg_wal_replay_pause()")
    stand.add_record("7700000000002")
    replica_reads = metric(stand.app, "frmr_db_reads_total", target="replica")

    status, _, _ = get(check + "7700000000002")
    assert status == 404, "the public check page reads the replica, which has not replayed the entry"
    assert metric(stand.app, "frmr_db_reads_total", target="replica") > replica_reads

    # A request that writes (any unsafe method) pins the browser to the primary for a few seconds.
    status, headers, _ = get(check, method="POST")
    sticky = headers.get("Set-Cookie", "")
    assert "frmr_primary=1" in sticky and "Max-Age=5" in sticky
    assert get(check + "7700000000002", cookie="frmr_primary=1")[0] == 200, "read your writes: the primary"
    assert get(check + "7700000000002")[0] == 404, "without the cookie: still the replica"

    # The replica falls behind the limit: reads fall back to the primary, and the metric says why.
    fallbacks = metric(stand.app, "frmr_db_replica_fallbacks_total", reason="lag")
    wait_for(
        lambda: get(check + "7700000000002")[0] == 200,
        timeout=MAX_LAG + CHECK_SECONDS + 30,
        what="the lag fallback",
    )
    assert metric(stand.app, "frmr_db_replica_fallbacks_total", reason="lag") > fallbacks
    status, _, body = get(f"{stand.app.url}/readyz")
    assert status == 200 and '"replica_1": {"status": "lag"' in body, body

    # Caught up again: reads return to the replica.
    stand.replica_sql("SELECT pg_wal_replay_resume()")
    stand.cluster.wait_replayed(stand.replica)
    get(f"{stand.app.url}/readyz")  # renews the replica's state at once
    before = metric(stand.app, "frmr_db_reads_total", target="replica")
    wait_for(
        lambda: (
            get(check + "7700000000002")[0] == 200
            and metric(stand.app, "frmr_db_reads_total", target="replica") > before
        ),
        timeout=30,
        what="reads back on the replica",
    )


def test_a_replica_killed_mid_test_falls_back_to_the_primary(stand: Stand) -> None:
    check = f"{stand.app.url}/check/{SEED_NUMBER}"
    stand.cluster.wait_replayed(stand.replica)
    # /readyz renews the replica's state: the request after the kill uses the state found alive.
    assert get(f"{stand.app.url}/readyz")[0] == 200
    replica_reads = metric(stand.app, "frmr_db_reads_total", target="replica")
    assert get(check)[0] == 200
    assert metric(stand.app, "frmr_db_reads_total", target="replica") > replica_reads, "warm: on the replica"

    stand.replica.stop("immediate")  # the app's persistent connection to it dies with it
    errors_before = metric(stand.app, "frmr_db_replica_fallbacks_total", reason="error")
    status, _, body = get(check)
    assert status == 200, f"the request that met the dead replica is answered from the primary: {body[:300]}"
    assert metric(stand.app, "frmr_db_replica_fallbacks_total", reason="error") > errors_before
    for _ in range(3):
        assert get(check)[0] == 200
    assert metric(stand.app, "frmr_db_replica_fallbacks_total", reason="down") > 0
    status, _, body = get(f"{stand.app.url}/readyz")
    assert status == 200 and '"replica_1": {"status": "down"' in body, body
    assert "replica replica_1 failed during a request" in stand.app.log()
