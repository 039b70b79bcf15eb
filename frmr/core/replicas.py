"""Reads that tolerate a little lag go to a streaming replica; everything else to the primary.

Which reads tolerate lag is said by the code that makes them, never guessed from the SQL: a view
decorated with `replica_reads` (the public check page, report pages) and every GET of the integration
API (web.health.middleware.ApiReadRoutingMiddleware) read through `ReplicaRouter` from a replica when
DATABASE_REPLICA_URLS names one; every write, every read inside a transaction, and every read of a
request that has written (or whose session wrote within FRMR_REPLICA_STICKY_SECONDS: the
`frmr_primary` cookie, set by web.health.middleware.ReadRoutingMiddleware) goes to the primary, so
a person always reads what they have just written.

A replica is used only while its last check (at most every FRMR_REPLICA_CHECK_SECONDS, per process)
found it reachable, in recovery-or-not, and no further behind than FRMR_REPLICA_MAX_LAG_SECONDS.
Otherwise reads fall back to the primary and `frmr_db_replica_fallbacks_total` counts them. A replica
that fails in the middle of a request is marked down at once and the view runs again on the primary
(safe methods only: they write nothing to repeat).
"""

from __future__ import annotations

import functools
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Model

from frmr.core.observability import metrics

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

PRIMARY = "default"
STICKY_COOKIE = "frmr_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Read on the primary whatever the request: a stale session logs a person out, a stale token would
# outlive its revocation, a stale counter breaks the rate limit; the task queue is the workers' own.
PRIMARY_ONLY = frozenset(
    {"sessions.session", "integration.apitoken", "integration.apiratewindow", "django_tasks_db.dbtaskresult"}
)
# Writes that do not make a request's later reads need the primary: the session saved on every
# request (SESSION_SAVE_EVERY_REQUEST) and the API's per-request bookkeeping.
BOOKKEEPING_WRITES = frozenset({"sessions.session", "integration.apitoken", "integration.apiratewindow"})

# The lag of a replica: 0 while it has replayed everything it received from a live stream; otherwise
# the age of the last transaction it replayed (an idle primary then looks lagging, on the safe side).
LAG_SQL = """
SELECT pg_is_in_recovery(),
       COALESCE(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0),
       CASE
         WHEN NOT pg_is_in_recovery() THEN 0
         WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
              AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 0
         ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
       END
"""


@dataclass
class ReadScope:
    """What the current request lets the router do: set per request by the middleware."""

    lag_tolerant: bool = False
    pinned: bool = False  # wrote, or its session wrote a moment ago: read the primary
    wrote: bool = False
    used: set[str] = field(default_factory=set)


_scope: ContextVar[ReadScope | None] = ContextVar("frmr_read_scope", default=None)


def read_scope() -> ReadScope | None:
    return _scope.get()


@contextmanager
def read_scope_bound(scope: ReadScope) -> Iterator[ReadScope]:
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


@dataclass
class ReplicaState:
    usable: bool
    reason: str  # ok | down | lag
    lag_seconds: float
    lag_bytes: int
    checked_at: float

    def as_dict(self) -> dict[str, object]:
        return {
            "status": self.reason,
            "lag_seconds": None if self.lag_seconds < 0 else round(self.lag_seconds, 3),
            "lag_bytes": self.lag_bytes,
        }


class ReplicaHealth:
    """Per process: the last check of each replica, renewed at most every FRMR_REPLICA_CHECK_SECONDS."""

    def __init__(self) -> None:
        self._states: dict[str, ReplicaState] = {}
        self._lock = threading.Lock()
        self._turn = itertools.count()

    def state(self, alias: str, *, fresh: bool = False) -> ReplicaState:
        now = time.monotonic()
        with self._lock:
            known = self._states.get(alias)
        if not fresh and known is not None and now - known.checked_at < settings.FRMR_REPLICA_CHECK_SECONDS:
            return known
        state = self._check(alias, now)
        with self._lock:
            self._states[alias] = state
        return state

    def mark_down(self, alias: str) -> None:
        with self._lock:
            self._states[alias] = ReplicaState(False, "down", -1.0, 0, time.monotonic())
        metrics.DB_REPLICA_USABLE.labels(alias).set(0)
        metrics.DB_REPLICA_LAG_SECONDS.labels(alias).set(-1)
        _close_quietly(alias)

    def pick(self) -> tuple[str | None, str]:
        """A usable replica (in turn) and "ok", or None and why none is: "down" or "lag"."""
        aliases = replica_aliases()
        if not aliases:
            return None, "none"
        start = next(self._turn) % len(aliases)
        reasons = []
        for alias in aliases[start:] + aliases[:start]:
            state = self.state(alias)
            if state.usable:
                return alias, "ok"
            reasons.append(state.reason)
        return None, "lag" if "lag" in reasons else "down"

    def _check(self, alias: str, now: float) -> ReplicaState:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute(LAG_SQL)
                _, lag_bytes, lag_seconds = cursor.fetchone()
        except DatabaseError as error:
            logger.warning("replica %s is unreachable: %s", alias, error)
            _close_quietly(alias)
            metrics.DB_REPLICA_USABLE.labels(alias).set(0)
            metrics.DB_REPLICA_LAG_SECONDS.labels(alias).set(-1)
            return ReplicaState(False, "down", -1.0, 0, now)
        lag = float(lag_seconds)
        usable = lag <= settings.FRMR_REPLICA_MAX_LAG_SECONDS
        if not usable:
            logger.warning("replica %s lags %.1f s behind the primary: reads go to the primary", alias, lag)
        metrics.DB_REPLICA_USABLE.labels(alias).set(1 if usable else 0)
        metrics.DB_REPLICA_LAG_SECONDS.labels(alias).set(min(lag, 1e9))
        return ReplicaState(usable, "ok" if usable else "lag", lag, int(lag_bytes), now)


def _close_quietly(alias: str) -> None:
    try:
        connections[alias].close()
    except Exception:
        connections[alias].connection = None


health = ReplicaHealth()


def raw_read_alias() -> str:
    """The alias for a raw SQL read that the router does not see: what `db_for_read` would answer."""
    if not replica_aliases():
        return PRIMARY
    return _read_alias(model_label=None)


def _read_alias(*, model_label: str | None) -> str:
    scope = _scope.get()
    if (
        scope is None
        or not scope.lag_tolerant
        or scope.pinned
        or model_label in PRIMARY_ONLY
        or connections[PRIMARY].in_atomic_block
    ):
        return PRIMARY
    alias, reason = health.pick()
    if alias is None:
        metrics.DB_READS.labels("primary").inc()
        metrics.DB_REPLICA_FALLBACKS.labels(reason).inc()
        return PRIMARY
    scope.used.add(alias)
    metrics.DB_READS.labels("replica").inc()
    return alias


class ReplicaRouter:
    """DATABASE_ROUTERS entry while DATABASE_REPLICA_URLS is set (config/settings.py)."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        return _read_alias(model_label=model._meta.label_lower)

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        scope = _scope.get()
        if scope is not None and model._meta.label_lower not in BOOKKEEPING_WRITES:
            scope.wrote = scope.pinned = True
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # the same data on every alias

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY  # replicas follow the primary's schema through the WAL


def replica_reads(view: Callable[P, R]) -> Callable[P, R]:
    """Let a view's reads go to a replica (see the module's doc); its writes still pin it to the primary."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        scope = _scope.get()
        if scope is None:
            with read_scope_bound(ReadScope(lag_tolerant=True)):
                return view(*args, **kwargs)
        before, scope.lag_tolerant = scope.lag_tolerant, True
        try:
            return view(*args, **kwargs)
        finally:
            scope.lag_tolerant = before

    return wrapped


def replica_failed(scope: ReadScope) -> bool:
    """After a request on `scope` failed with a database error: was a replica it read from the cause?

    Each replica it used is checked again at once; one found down is marked so (every later read of
    this process goes to the primary until a check finds it back).
    """
    failed = False
    for alias in scope.used:
        if not health.state(alias, fresh=True).usable:
            logger.warning("replica %s failed during a request: reading from the primary", alias)
            health.mark_down(alias)
            failed = True
    if failed:
        metrics.DB_REPLICA_FALLBACKS.labels("error").inc()
    return failed
