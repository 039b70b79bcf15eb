"""The Django admin's password login locks per account and per client address."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from frmr.accounts.models import LoginThrottle, LoginThrottleScope, User
from frmr.audit.models import AuditAction, AuditEntry
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "Слишком много неудачных попыток входа"


def _login(client: Client, username: str, password: str, address: str = "203.0.113.7") -> Any:
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def _logged_in(response: Any) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def _expire_locks() -> None:
    past = timezone.now() - datetime.timedelta(seconds=1)
    LoginThrottle.objects.filter(locked_until__isnull=False).update(locked_until=past)


def test_the_right_password_still_logs_in(client: Client, admin_user: User) -> None:
    assert _logged_in(_login(client, "admin", TEST_PASSWORD))


def test_200_wrong_passwords_then_the_right_one_is_refused(client: Client, admin_user: User) -> None:
    for attempt in range(200):
        response = _login(client, "admin", f"неверный-{attempt}")
        assert response.status_code == 200
    response = _login(client, "admin", TEST_PASSWORD)
    assert not _logged_in(response)
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_starts_at_the_limit_and_ends_after_the_lock_time(
    client: Client, admin_user: User, settings: Any
) -> None:
    settings.FRMR_ADMIN_LOGIN_MAX_FAILURES = 5
    for attempt in range(4):
        assert LOCKED not in _login(client, "admin", f"неверный-{attempt}").content.decode()
    fifth = _login(client, "admin", "неверный-5").content.decode()
    assert LOCKED in fifth and "этой учётной записи заблокирован ещё на 15 мин" in fifth

    # Locked for the account from any address, even with the right password.
    refused = _login(client, "ADMIN", TEST_PASSWORD, address="198.51.100.1")
    assert not _logged_in(refused) and LOCKED in refused.content.decode()

    _expire_locks()
    assert _logged_in(_login(client, "admin", TEST_PASSWORD))


def test_the_lock_is_written_to_the_audit_trail(client: Client, admin_user: User, settings: Any) -> None:
    settings.FRMR_ADMIN_LOGIN_MAX_FAILURES = 3
    for attempt in range(3):
        _login(client, "admin", f"неверный-{attempt}")
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN)
    assert entry.object_type == "accounts.user" and entry.object_id == str(admin_user.pk)
    assert "заблокирован на 15 мин после 3 неудачных попыток" in entry.reason
    assert entry.actor_label == "вход в администрирование с 203.0.113.7"


def test_a_success_clears_the_accounts_count(client: Client, admin_user: User, settings: Any) -> None:
    settings.FRMR_ADMIN_LOGIN_MAX_FAILURES = 5
    for attempt in range(4):
        _login(client, "admin", f"неверный-{attempt}")
    assert _logged_in(_login(client, "admin", TEST_PASSWORD))
    client.logout()
    for attempt in range(4):
        assert LOCKED not in _login(client, "admin", f"неверный-{attempt}").content.decode()


def test_failures_older_than_the_window_do_not_count(client: Client, admin_user: User, settings: Any) -> None:
    settings.FRMR_ADMIN_LOGIN_MAX_FAILURES = 3
    _login(client, "admin", "неверный-1")
    _login(client, "admin", "неверный-2")
    LoginThrottle.objects.update(window_started_at=timezone.now() - datetime.timedelta(minutes=16))
    assert LOCKED not in _login(client, "admin", "неверный-3").content.decode()
    assert LoginThrottle.objects.get(scope=LoginThrottleScope.ACCOUNT).failures == 1


def test_one_address_guessing_many_accounts_is_locked_for_all_of_them(
    client: Client, admin_user: User, settings: Any
) -> None:
    settings.FRMR_ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS = 6
    for attempt in range(6):
        _login(client, f"someone-{attempt}", "неверный")
    refused = _login(client, "admin", TEST_PASSWORD)
    assert not _logged_in(refused)
    assert "вашего адреса заблокирован" in refused.content.decode()
    # Another address is not locked: the account itself had no failures.
    assert _logged_in(_login(Client(), "admin", TEST_PASSWORD, address="198.51.100.1"))


def test_behind_a_proxy_the_address_comes_from_its_header(
    client: Client, admin_user: User, settings: Any
) -> None:
    settings.FRMR_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.FRMR_ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS = 3
    for attempt in range(3):
        client.post(
            "/admin/login/",
            {"username": f"someone-{attempt}", "password": "x"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_REAL_IP="203.0.113.9",
        )
    assert LoginThrottle.objects.get(scope=LoginThrottleScope.ADDRESS).key == "203.0.113.9"
    # Another client behind the same proxy is not locked out.
    assert _logged_in(_login(Client(), "admin", TEST_PASSWORD, address="127.0.0.1"))


def test_the_password_form_can_be_switched_off(client: Client, admin_user: User, settings: Any) -> None:
    settings.FRMR_ADMIN_PASSWORD_LOGIN = False
    response = _login(client, "admin", TEST_PASSWORD)
    assert not _logged_in(response)
    assert "Вход в администрирование по паролю отключён" in response.content.decode()


def test_an_administrator_sees_the_locks(client: Client, admin_user: User) -> None:
    UserFactory(username="other")
    for attempt in range(5):
        _login(Client(), "other", f"неверный-{attempt}")
    client.force_login(admin_user)
    response = client.get("/admin/accounts/loginthrottle/")
    assert response.status_code == 200 and "other" in response.content.decode()
