"""While PostgreSQL cannot be reached: 503 with Retry-After from the site and the API, and no trace.

Real outages: the test's connection is pointed at a port where nothing listens (the server is still up
for the other tests), so every query of the request fails to connect, exactly as after a crash.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from frmr.accounts.models import User
from frmr.integration.services import api_token_create
from frmr.registry.models import Organization
from tests.servers import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LEAKS = ("Traceback", "OperationalError", "connection", "refused", "127.0.0.1", "postgres", "psycopg")


@contextmanager
def database_down() -> Iterator[None]:
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict["PORT"] = str(free_port())
    connection.settings_dict["OPTIONS"] = {**saved.get("OPTIONS", {}), "connect_timeout": 2}
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def _assert_site_503(response: Any) -> None:
    body = response.content.decode()
    assert response.status_code == 503, body[:500]
    assert response["Retry-After"] == "30"
    assert "<h1>Регистр временно недоступен</h1>" in body
    for fragment in LEAKS:
        assert fragment not in body


def test_a_public_page_answers_503(caplog: pytest.LogCaptureFixture) -> None:
    client = Client(raise_request_exception=False)
    with database_down(), caplog.at_level(logging.WARNING):
        _assert_site_503(client.get("/check/2026-0000001"))
    # The log says what happened in one line, without the driver's message (host, port, user).
    logged = [r for r in caplog.records if r.name == "frmr.errors"]
    assert logged and "OperationalError" in logged[0].getMessage()
    assert not any(r.exc_info for r in logged) and "refused" not in logged[0].getMessage()


def test_a_logged_in_users_page_answers_503_even_though_the_session_cannot_be_saved(
    worker: User,
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(worker)
    with database_down():
        _assert_site_503(client.get("/lk/"))
        _assert_site_503(client.post("/logout/"))


def test_the_api_answers_503_in_its_error_body(org_a: Organization, operator_a: User) -> None:
    _, raw = api_token_create(organization=org_a, actor=operator_a, name="МИС")
    with database_down():
        response = Client(raise_request_exception=False).get(
            f"/api/frmr/person?mo={org_a.oid}&snils=11223344595", HTTP_AUTHORIZATION=f"Bearer {raw}"
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["errorUserMessage"] == "Регистр временно недоступен. Повторите запрос через 30 с."
    assert body["content"] is None and body["requestId"]
    for fragment in LEAKS:
        assert fragment not in response.content.decode()
