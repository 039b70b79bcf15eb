"""The cabinet's token page: a proposed expiry, the date kept on a refusal, and each token's state."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from frmr.accounts.models import User
from frmr.audit.actors import SYSTEM
from frmr.integration.models import ApiToken
from frmr.integration.services import api_token_create, api_token_revoke
from frmr.registry.models import Organization


def test_the_form_proposes_a_year_and_issues_with_the_chosen_day(operator_client: Client) -> None:
    today = timezone.localdate()
    form = operator_client.get(reverse("mo:tokens")).content.decode()
    proposed = today + datetime.timedelta(days=365)
    assert f'name="valid_until" value="{proposed:%Y-%m-%d}"' in form

    chosen = today + datetime.timedelta(days=90)
    created = operator_client.post(reverse("mo:tokens"), {"name": "МИС", "valid_until": chosen.isoformat()})
    assert f"Действует до {chosen:%d.%m.%Y} включительно" in created.content.decode()
    assert ApiToken.objects.get().valid_until == chosen


def test_an_empty_date_issues_a_token_without_expiry(operator_client: Client) -> None:
    created = operator_client.post(reverse("mo:tokens"), {"name": "МИС", "valid_until": ""})
    assert "Действует бессрочно" in created.content.decode()
    assert ApiToken.objects.get().valid_until is None


def test_a_past_date_is_refused_keeping_what_was_typed(operator_client: Client) -> None:
    past = timezone.localdate() - datetime.timedelta(days=1)
    page = operator_client.post(
        reverse("mo:tokens"), {"name": "МИС поликлиники", "valid_until": past.isoformat()}
    ).content.decode()
    assert "не может закончиться в прошлом" in page
    assert 'value="МИС поликлиники"' in page and f'value="{past:%Y-%m-%d}"' in page
    assert not ApiToken.objects.exists()
    garbled = operator_client.post(reverse("mo:tokens"), {"name": "МИС", "valid_until": "31.02.2027"})
    assert "Укажите дату в виде ДД.ММ.ГГГГ" in garbled.content.decode()


def test_the_list_says_until_when_expired_revoked_or_forever(
    operator_client: Client,
    operator_a: User,
    org_a: Organization,
    org_b: Organization,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    today = timezone.localdate()
    api_token_create(organization=org_a, actor=operator_a, name="Годовой", valid_until=today)
    api_token_create(organization=org_a, actor=operator_a, name="Вечный")
    later, _ = api_token_create(
        organization=org_a, actor=operator_a, name="Долгий", valid_until=today + datetime.timedelta(days=400)
    )
    revoked, _ = api_token_create(organization=org_a, actor=operator_a, name="Отозванный", valid_until=today)
    api_token_revoke(token=revoked, actor=operator_a)
    api_token_create(organization=org_b, actor=SYSTEM, name="Чужой")

    listing = operator_client.get(reverse("mo:tokens")).content.decode()
    assert f"действует до {today:%d.%m.%Y}" in listing and "действует бессрочно" in listing
    assert "Чужой" not in listing  # only this organization's tokens

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + datetime.timedelta(days=1))
    listing = operator_client.get(reverse("mo:tokens")).content.decode()
    assert f"истёк {today:%d.%m.%Y}" in listing
    assert f"действует до {later.valid_until:%d.%m.%Y}" in listing and "действует бессрочно" in listing
    assert listing.count("истёк") == 1  # the revoked one says «отозван», not «истёк»
    assert listing.count(">Отозвать<") == 2  # an expired or revoked token has nothing to revoke
