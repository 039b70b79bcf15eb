"""A token past its «действует до» day is refused with 401 — also when an API process remembers it."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frmr.audit.actors import SYSTEM
from frmr.integration.services import api_token_create
from tests.frmr.integration.api.conftest import ApiClient, assert_envelope_error

pytestmark = pytest.mark.django_db


def _move_to(monkeypatch: pytest.MonkeyPatch, day: datetime.date) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


@pytest.mark.parametrize("cache_seconds", [0, 3600])
def test_an_expired_token_is_refused_even_when_remembered(
    dicts: None, org_a, monkeypatch: pytest.MonkeyPatch, cache_seconds: int
) -> None:
    today = timezone.localdate()
    token, raw = api_token_create(organization=org_a, actor=SYSTEM, name="МИС", valid_until=today)
    api = ApiClient(Client(), raw, org_a.oid)
    with override_settings(FRMR_API_TOKEN_CACHE_SECONDS=cache_seconds):
        assert api.get("person/list").status_code == 200  # the last day still works (and is remembered)
        _move_to(monkeypatch, today + datetime.timedelta(days=1))
        body = assert_envelope_error(api.get("person/list"), 401, "Срок действия токена", "истёк")
        assert f"по {today:%d.%m.%Y} включительно" in body["errorUserMessage"]
        assert token.prefix in body["errorUserMessage"]
        assert_envelope_error(api.post("person", {"lastName": "Иванова"}), 401, "истёк")


@override_settings(FRMR_API_TOKEN_CACHE_SECONDS=3600)
def test_the_expiry_costs_no_query(dicts: None, org_a) -> None:
    def queries(valid_until: datetime.date | None) -> int:
        _, raw = api_token_create(organization=org_a, actor=SYSTEM, name="МИС", valid_until=valid_until)
        api = ApiClient(Client(), raw, org_a.oid)
        api.get("person/list")  # recognized and remembered, last_used_at written
        with CaptureQueriesContext(connection) as captured:
            assert api.get("person/list").status_code == 200
        return len(captured.captured_queries)

    assert queries(timezone.localdate() + datetime.timedelta(days=30)) == queries(None)
