"""The named demo users: the same people the ЕСИА emulator has accounts for (oids 1000000001…9)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from frmr.accounts.models import Role

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD_ENV = "FRMR_DEMO_ADMIN_PASSWORD"  # noqa: S105 - the name of the variable
ADMIN_DEV_PASSWORD = "admin-demo-2026"  # noqa: S105 - development only, refused in production


@dataclass(frozen=True)
class NamedAccount:
    esia_oid: str
    last_name: str
    first_name: str
    patronymic: str
    gender: int
    birth_date: str
    snils: str
    mobile: str
    email: str
    label: str  # what the demo-logins table says this account is for
    role: Role | None = None
    organization: str | None = None  # demo organization key, for an operator
    has_record: bool = False  # a personal file in people.json
    has_user: bool = True  # Новиков has only an ЕСИА account: he has never logged in here


NAMED_ACCOUNTS: tuple[NamedAccount, ...] = (
    NamedAccount("1000000001", "Иванова", "Анна", "Сергеевна", 2, "1985-03-14", "11223344595",
                 "+79161234501", "ivanova.as@example.ru", "Работник: врач-терапевт участковый, МО A",
                 has_record=True),
    NamedAccount("1000000002", "Смирнова", "Елена", "Викторовна", 2, "1990-07-22", "12345678964",
                 "+79161234502", "smirnova.ev@example.ru", "Работник: медсестра палатная, МО A",
                 has_record=True),
    NamedAccount("1000000003", "Лебедев", "Максим", "Игоревич", 1, "1979-11-05", "13467925891",
                 "+79161234503", "lebedev.mi@example.ru",
                 "Две роли: работник (врач-хирург, МО B) и секретарь аккредитационной комиссии",
                 Role.SECRETARY, has_record=True),
    NamedAccount("1000000004", "Кузнецова", "Ольга", "Петровна", 2, "1982-01-30", "14523698776",
                 "+79161234504", "kuznetsova.op@example.ru", "Оператор МО A", Role.OPERATOR, "A"),
    NamedAccount("1000000005", "Орлов", "Виктор", "Павлович", 1, "1977-09-12", "15678923423",
                 "+79161234505", "orlov.vp@example.ru", "Оператор МО B", Role.OPERATOR, "B"),
    NamedAccount("1000000006", "Соколов", "Игорь", "Андреевич", 1, "1975-04-18", "16723458988",
                 "+79161234506", "sokolov.ia@example.ru", "Сотрудник ФАЦ", Role.FAC_STAFF),
    NamedAccount("1000000007", "Морозова", "Татьяна", "Ивановна", 2, "1980-12-09", "17834561200",
                 "+79161234507", "morozova.ti@example.ru", "Секретарь аккредитационной комиссии",
                 Role.SECRETARY),
    NamedAccount("1000000008", "Волков", "Сергей", "Николаевич", 1, "1970-06-01", "18945672335",
                 "+79161234508", "volkov.sn@example.ru", "Администратор", Role.ADMIN),
    NamedAccount("1000000009", "Новиков", "Павел", "Александрович", 1, "1995-02-17", "19056783401",
                 "+79161234509", "novikov.pa@example.ru", "Без записи в регистре (только ЕСИА)",
                 has_user=False),
)  # fmt: skip


def admin_dev_password() -> str:
    """The development default of the admin's password; production must set the variable."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured(f"Задайте пароль администратора демо-стенда в {ADMIN_PASSWORD_ENV}.")
    return ADMIN_DEV_PASSWORD
