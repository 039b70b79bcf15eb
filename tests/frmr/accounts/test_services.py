from __future__ import annotations

import pytest

from frmr.accounts.models import Role, RoleGrant, User
from frmr.accounts.services import user_login_from_esia
from frmr.audit.models import AuditAction, AuditEntry
from tests.esia_people import IVANOVA_OID, IVANOVA_SNILS, esia_person, make_ivanova, make_person

pytestmark = pytest.mark.django_db


def test_first_login_creates_user_and_links_person_by_snils() -> None:
    person = make_ivanova()
    user = user_login_from_esia(person=esia_person(), auth_method="PWD")
    assert user.esia_oid == IVANOVA_OID
    assert user.username == f"esia-{IVANOVA_OID}"
    assert user.get_full_name() == "Иванова Анна Сергеевна"
    assert user.snils == IVANOVA_SNILS
    assert user.email == "ivanova.as@example.ru"
    assert user.person == person
    assert not user.has_usable_password()
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.LOGIN
    assert entry.actor == user and entry.person == person
    assert entry.object_type == "accounts.user" and entry.object_id == str(user.pk)
    assert entry.changes == {"person": [None, person.pk]}
    assert entry.reason == "вход через ЕСИА (PWD); первый вход"


def test_next_login_updates_names_and_reuses_the_user() -> None:
    make_ivanova()
    first = user_login_from_esia(person=esia_person())
    again = user_login_from_esia(person=esia_person(last_name="Петрова"))
    assert again.pk == first.pk
    assert User.objects.count() == 1
    assert again.last_name == "Петрова"
    assert AuditEntry.objects.count() == 2
    assert AuditEntry.objects.order_by("id").last().changes == {}


def test_person_entered_after_first_login_is_linked_on_next_login() -> None:
    user = user_login_from_esia(person=esia_person())
    assert user.person is None
    person = make_ivanova()
    assert user_login_from_esia(person=esia_person()).person == person


def test_link_is_dropped_when_snils_no_longer_matches() -> None:
    make_ivanova()
    assert user_login_from_esia(person=esia_person()).person is not None
    # The person corrected their СНИЛС on Gosuslugi; the register still has the old one.
    user = user_login_from_esia(person=esia_person(snils="19056783401"))
    assert user.person is None
    assert user.snils == "19056783401"


def test_login_without_snils_links_nothing() -> None:
    make_ivanova()
    assert user_login_from_esia(person=esia_person(snils="")).person is None


def test_pre_registered_account_is_adopted_with_its_grants() -> None:
    prepared = User.objects.create(username="operator-ivanova", snils=IVANOVA_SNILS)
    RoleGrant.objects.create(user=prepared, role=Role.ADMIN)
    user = user_login_from_esia(person=esia_person())
    assert user.pk == prepared.pk
    assert user.esia_oid == IVANOVA_OID
    assert user.is_staff  # an administrator's grant lets them into the Django admin


def test_other_users_are_untouched() -> None:
    make_person(snils="19056783401", last_name="Новиков", first_name="Павел", patronymic="Александрович", n=9)
    other = user_login_from_esia(
        person=esia_person(oid="1000000009", snils="19056783401", last_name="Новиков")
    )
    user_login_from_esia(person=esia_person())
    other.refresh_from_db()
    assert other.last_name == "Новиков" and other.person is not None
