"""The replica router's decisions (frmr/core/replicas.py), without servers: which alias each read gets.

The real streaming replica — lag, a killed server — is tests/ops/test_replicas_streaming.py (CI).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory

from frmr.core import replicas
from frmr.core.observability import metrics
from frmr.integration.models import ApiToken
from frmr.registry.models import AccreditationRecord, Person
from web.health.middleware import ApiReadRoutingMiddleware, ReadRoutingMiddleware

router = replicas.ReplicaRouter()


@pytest.fixture
def replica_up(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.DATABASE_REPLICAS = ["replica_1"]
    monkeypatch.setattr(replicas.health, "pick", lambda: ("replica_1", "ok"))


def test_outside_a_lag_tolerant_scope_everything_reads_the_primary(replica_up: None) -> None:
    assert router.db_for_read(Person) == "default"
    with replicas.read_scope_bound(replicas.ReadScope(lag_tolerant=False)):
        assert router.db_for_read(Person) == "default"


def test_a_lag_tolerant_read_goes_to_the_replica_until_the_request_writes(replica_up: None) -> None:
    with replicas.read_scope_bound(replicas.ReadScope(lag_tolerant=True)) as scope:
        assert router.db_for_read(AccreditationRecord) == "replica_1"
        assert router.db_for_write(Person) == "default"
        assert scope.wrote and scope.pinned
        assert router.db_for_read(AccreditationRecord) == "default", "read your writes"


def test_bookkeeping_writes_do_not_pin_and_their_rows_are_read_on_the_primary(replica_up: None) -> None:
    with replicas.read_scope_bound(replicas.ReadScope(lag_tolerant=True)) as scope:
        router.db_for_write(Session)
        router.db_for_write(ApiToken)
        assert not scope.pinned
        assert router.db_for_read(Session) == "default"
        assert router.db_for_read(ApiToken) == "default"
        assert router.db_for_read(Person) == "replica_1"


@pytest.mark.django_db
def test_reads_inside_a_transaction_go_to_the_primary(replica_up: None) -> None:
    with replicas.read_scope_bound(replicas.ReadScope(lag_tolerant=True)), transaction.atomic():
        assert router.db_for_read(Person) == "default"


def test_no_usable_replica_falls_back_and_counts_why(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.DATABASE_REPLICAS = ["replica_1"]
    monkeypatch.setattr(replicas.health, "pick", lambda: (None, "lag"))
    counter = metrics.DB_REPLICA_FALLBACKS.labels("lag")
    before = counter._value.get()  # type: ignore[attr-defined]
    with replicas.read_scope_bound(replicas.ReadScope(lag_tolerant=True)):
        assert router.db_for_read(Person) == "default"
    assert counter._value.get() == before + 1  # type: ignore[attr-defined]


def test_replicas_are_never_migrated() -> None:
    assert router.allow_migrate("default", "registry")
    assert not router.allow_migrate("replica_1", "registry")


def test_the_health_check_marks_an_unreachable_replica_down() -> None:
    health = replicas.ReplicaHealth()

    class Refusing:
        def cursor(self) -> Any:
            from django.db import OperationalError

            raise OperationalError("connection refused")

        def close(self) -> None:
            pass

    from django.db import connections

    connections["replica_9"] = Refusing()  # type: ignore[assignment]
    try:
        state = health.state("replica_9")
    finally:
        del connections["replica_9"]
    assert not state.usable and state.reason == "down"


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_an_unsafe_request_sets_the_sticky_cookie(replica_up: None, method: str) -> None:
    request = RequestFactory().generic(method, "/")
    response = ReadRoutingMiddleware(lambda r: HttpResponse())(request)
    cookie = response.cookies[replicas.STICKY_COOKIE]
    assert cookie.value == "1" and cookie["max-age"] == 5 and cookie["httponly"]


def test_a_sticky_browser_reads_the_primary_and_a_get_sets_no_cookie(replica_up: None) -> None:
    seen: list[str] = []

    def view(request: Any) -> Any:
        seen.append(replicas.replica_reads(lambda r: router.db_for_read(Person))(request))
        return HttpResponse()

    middleware = ReadRoutingMiddleware(view)
    fresh = middleware(RequestFactory().get("/"))
    sticky = RequestFactory().get("/")
    sticky.COOKIES[replicas.STICKY_COOKIE] = "1"
    middleware(sticky)
    assert seen == ["replica_1", "default"]
    assert replicas.STICKY_COOKIE not in fresh.cookies


def test_every_api_get_may_read_a_replica_and_sets_no_cookie(replica_up: None) -> None:
    def view(request: Any) -> Any:
        return HttpResponse(router.db_for_read(Person))

    middleware = ApiReadRoutingMiddleware(view)
    assert middleware(RequestFactory().get("/api/frmr/person")).content == b"replica_1"
    posted = middleware(RequestFactory().post("/api/frmr/person"))
    assert posted.content == b"default"
    assert replicas.STICKY_COOKIE not in posted.cookies


@pytest.mark.django_db
def test_without_replicas_no_router_runs_and_no_cookie_is_set(client: Client, settings: Any) -> None:
    assert settings.DATABASE_ROUTERS == []
    assert replicas.STICKY_COOKIE not in client.post("/check/").cookies
