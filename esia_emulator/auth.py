"""Checking a person's credentials, with the lockout after repeated wrong passwords or PINs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from esia_emulator.conf import conf
from esia_emulator.identifiers import parse_login
from esia_emulator.models import LEVEL_ORDER, LEVEL_TITLES, Account, Client

WRONG_CREDENTIALS = "Неверный логин или пароль. Проверьте раскладку клавиатуры и попробуйте ещё раз."


@dataclass(frozen=True)
class Outcome:
    account: Account | None
    error: str = ""


def find_account(login: str) -> Account | None:
    wanted = parse_login(login)
    query = Q(pk__in=[])
    if wanted.email:
        query |= Q(email=wanted.email)
    if wanted.snils:
        query |= Q(snils=wanted.snils)
    if wanted.phone:
        query |= Q(phone=wanted.phone)
    matches = list(Account.objects.filter(query)[:3])
    if len(matches) > 1 and wanted.snils:
        # Eleven bare digits could be a СНИЛС or a phone number; the СНИЛС wins, as it names one person.
        matches = [a for a in matches if a.snils == wanted.snils] or matches
    return matches[0] if len(matches) == 1 else None


def locked_message(account: Account) -> str:
    until = timezone.localtime(account.locked_until)
    return (
        "Вход временно заблокирован: слишком много неверных попыток подряд. "
        f"Попробуйте снова после {until:%H:%M} {until:%d.%m.%Y} (московское время)."
    )


def register_failure(account: Account) -> str:
    """Counts a wrong secret; on the last allowed one the account locks. Returns the message to show."""
    limit = conf.LOCKOUT_ATTEMPTS
    with transaction.atomic():
        Account.objects.filter(pk=account.pk).update(failed_attempts=F("failed_attempts") + 1)
        account.refresh_from_db(fields=["failed_attempts", "locked_until"])
        if account.failed_attempts >= limit:
            account.locked_until = timezone.now() + timedelta(seconds=conf.LOCKOUT_SECONDS)
            account.failed_attempts = 0
            account.save(update_fields=["locked_until", "failed_attempts"])
            return locked_message(account)
    left = limit - account.failed_attempts
    return f"{WRONG_CREDENTIALS} Осталось попыток до временной блокировки: {left}."


def register_success(account: Account) -> None:
    if account.failed_attempts or account.locked_until:
        Account.objects.filter(pk=account.pk).update(failed_attempts=0, locked_until=None)


def password_login(login: str, password: str) -> Outcome:
    account = find_account(login)
    if account is None:
        return Outcome(None, WRONG_CREDENTIALS)
    # While locked, the password is not even looked at: guessing gains nothing.
    if account.is_locked():
        return Outcome(None, locked_message(account))
    if not check_password(password, account.password_hash):
        return Outcome(None, register_failure(account))
    register_success(account)
    return Outcome(account)


def pin_login(account: Account, certificate_id: str, pin: str) -> Outcome:
    if account.is_locked():
        return Outcome(None, locked_message(account))
    certificate = next(
        (c for c in account.data.get("certificates", []) if c.get("id") == certificate_id), None
    )
    if certificate is None:
        return Outcome(None, "Выберите сертификат из списка.")
    if not pin or str(certificate.get("pin", "")) != pin:
        message = register_failure(account)
        if account.is_locked():
            return Outcome(None, message)
        return Outcome(None, "Неверный PIN-код носителя электронной подписи.")
    register_success(account)
    return Outcome(account)


def level_refusal(account: Account, client: Client) -> str:
    if LEVEL_ORDER.get(account.level, 0) >= LEVEL_ORDER.get(client.min_level, 0):
        return ""
    return (
        f"Для входа в систему «{client.name}» нужна {LEVEL_TITLES[client.min_level]} "
        f"или подтверждённая учётная запись. Ваша учётная запись — {LEVEL_TITLES[account.level]}. "
        "Повысьте уровень учётной записи на Госуслугах и повторите вход."
    )
