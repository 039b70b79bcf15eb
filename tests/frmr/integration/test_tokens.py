from __future__ import annotations

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from frmr.audit.actors import SYSTEM, Actor
from frmr.audit.models import AuditAction, AuditEntry
from frmr.audit.services import audit_record
from frmr.integration.models import ApiToken
from frmr.integration.selectors import (
    api_token_authenticate,
    api_token_forget,
    api_token_lookup,
    api_token_recognize,
    api_tokens_of_organization,
)
from frmr.integration.services import ApiTokenInactive, api_rate_hit, api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def test_create_stores_only_the_hash(operator_a, org_a) -> None:
    token, raw = api_token_create(organization=org_a, actor=operator_a, name="  МИС   поликлиники ")
    assert len(raw) >= 43 and token.name == "МИС поликлиники"
    assert token.prefix == raw[:8]
    assert token.secret_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    entry = AuditEntry.objects.get(object_type="integration.apitoken", object_id=str(token.pk))
    assert entry.action == AuditAction.CREATE and entry.organization == org_a and entry.actor == operator_a
    assert "secret_hash" not in entry.changes and entry.changes["prefix"] == [None, token.prefix]


def test_create_refusals(operator_a, operator_b, org_a) -> None:
    with pytest.raises(ValidationError) as error:
        api_token_create(organization=org_a, actor=operator_a, name="   ")
    assert "Укажите название" in error.value.message_dict["name"][0]
    with pytest.raises(PermissionDenied):
        api_token_create(organization=org_a, actor=operator_b, name="чужой")
    assert not ApiToken.objects.exists()


def test_authenticate_and_revoke(operator_a, org_a) -> None:
    token, raw = api_token_create(organization=org_a, actor=operator_a, name="МИС")
    found = api_token_authenticate(raw=raw)
    assert found == token and found.organization == org_a and found.last_used_at is not None
    assert api_token_authenticate(raw=raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
    assert api_token_authenticate(raw="") is None
    assert api_token_authenticate(raw=raw[:8]) is None

    revoked = api_token_revoke(token=token, actor=operator_a)
    assert revoked.revoked_by == operator_a and revoked.revoked_at is not None
    assert api_token_authenticate(raw=raw) is None
    assert api_token_lookup(raw=raw) == token  # still recognized, to say «отозван»
    with pytest.raises(ValidationError):
        api_token_revoke(token=token, actor=operator_a)
    entry = AuditEntry.objects.filter(object_type="integration.apitoken").first()
    assert entry.action == AuditAction.UPDATE and entry.reason == "Отзыв токена API"
    assert list(api_tokens_of_organization(organization=org_a)) == [token]


def test_last_used_written_at_most_once_a_minute(operator_a, org_a, django_assert_num_queries) -> None:
    _, raw = api_token_create(organization=org_a, actor=operator_a, name="МИС")
    api_token_authenticate(raw=raw)
    with django_assert_num_queries(1):
        api_token_authenticate(raw=raw)
    ApiToken.objects.update(last_used_at=timezone.now() - datetime.timedelta(minutes=2))
    with django_assert_num_queries(2):
        api_token_authenticate(raw=raw)


def test_revoke_by_another_organization_refused(operator_a, operator_b, org_a) -> None:
    token, _ = api_token_create(organization=org_a, actor=operator_a, name="МИС")
    with pytest.raises(PermissionDenied):
        api_token_revoke(token=token, actor=operator_b)


@override_settings(FRMR_API_RATE_PER_MINUTE=3)
def test_rate_window(operator_a, org_a) -> None:
    token, _ = api_token_create(organization=org_a, actor=operator_a, name="МИС")
    start = 60 * 1_000_000 + 10.5
    assert [api_rate_hit(token=token, now=start + i) for i in range(3)] == [None, None, None]
    assert api_rate_hit(token=token, now=start + 3) == 47  # until the minute ends
    assert api_rate_hit(token=token, now=start + 50) is None  # a new window


def test_audit_entry_names_the_token(org_a, operator_a, worker) -> None:
    person = worker.person
    token, _ = api_token_create(organization=org_a, actor=operator_a, name="МИС")
    entry = audit_record(
        actor=Actor.of_token(token), organization=org_a, action=AuditAction.UPDATE, obj=person, person=person
    )
    assert entry.actor_label == f"API-токен {token.prefix} (МИС)"
    assert entry.actor_id is None
    later = audit_record(
        actor=SYSTEM, organization=None, action=AuditAction.UPDATE, obj=person, person=person
    )
    assert later.actor_label == "система"
    with pytest.raises(TypeError):
        audit_record(actor=None, organization=None, action=AuditAction.UPDATE, obj=person, person=person)  # type: ignore[arg-type]


def test_create_api_token_command(org_a) -> None:
    out = io.StringIO()
    call_command("create_api_token", organization=org_a.oid, name="МИС", quiet_token=True, stdout=out)
    raw = out.getvalue().strip()
    assert api_token_authenticate(raw=raw).organization == org_a


def test_recognize_remembers_only_what_does_not_change(operator_a, org_a, django_assert_num_queries) -> None:
    token, raw = api_token_create(organization=org_a, actor=operator_a, name="МИС")
    assert api_token_recognize(raw=raw) == token
    with django_assert_num_queries(0):
        remembered = api_token_recognize(raw=raw)
    assert remembered == token and remembered.organization == org_a
    assert api_token_recognize(raw=raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None
    assert api_token_recognize(raw="short") is None
    # Revoked behind the memory's back: recognized still, but the rate statement refuses to count it.
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert api_token_recognize(raw=raw) is remembered
    with pytest.raises(ApiTokenInactive):
        api_rate_hit(token=remembered)
    api_token_forget(token=remembered)
    assert api_token_recognize(raw=raw).revoked_at is not None


@override_settings(FRMR_API_TOKEN_CACHE_SECONDS=0)
def test_recognize_without_memory(operator_a, org_a, django_assert_num_queries) -> None:
    _, raw = api_token_create(organization=org_a, actor=operator_a, name="МИС")
    api_token_recognize(raw=raw)
    with django_assert_num_queries(1):
        api_token_recognize(raw=raw)


def test_valid_until_is_checked_stored_and_audited(operator_a, org_a, monkeypatch) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        api_token_create(
            organization=org_a, actor=operator_a, name="", valid_until=today - datetime.timedelta(days=1)
        )
    assert "Укажите название" in error.value.message_dict["name"][0]  # every mistake at once
    assert "не может закончиться в прошлом" in error.value.message_dict["valid_until"][0]
    with pytest.raises(ValidationError) as error:
        api_token_create(
            organization=org_a,
            actor=operator_a,
            name="МИС",
            valid_until=today + datetime.timedelta(days=6 * 366),
        )
    assert "не больше 5 лет" in error.value.message_dict["valid_until"][0]
    assert not ApiToken.objects.exists()

    token, raw = api_token_create(organization=org_a, actor=operator_a, name="МИС", valid_until=today)
    assert token.valid_until == today and token.is_active and not token.is_expired()
    entry = AuditEntry.objects.get(object_type="integration.apitoken", object_id=str(token.pk))
    assert entry.changes["valid_until"] == [None, today.isoformat()]
    assert api_token_authenticate(raw=raw) == token

    tomorrow = today + datetime.timedelta(days=1)
    assert token.is_expired(tomorrow)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert not token.is_active
    assert api_token_authenticate(raw=raw) is None
    assert api_token_lookup(raw=raw) == token  # still recognized, to say «истёк»


def test_a_token_without_valid_until_never_expires(operator_a, org_a) -> None:
    token, _ = api_token_create(organization=org_a, actor=operator_a, name="МИС")
    assert token.valid_until is None
    assert not token.is_expired(datetime.date(2999, 1, 1))


def test_the_command_takes_valid_until(org_a) -> None:
    out = io.StringIO()
    day = timezone.localdate() + datetime.timedelta(days=10)
    call_command(
        "create_api_token", organization=org_a.oid, name="МИС", valid_until=day, quiet_token=True, stdout=out
    )
    assert ApiToken.objects.get().valid_until == day
