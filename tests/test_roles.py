"""The shared cast and factories build valid, constraint-respecting rows."""

from __future__ import annotations

import pytest

from frmr.accounts.models import Role
from frmr.core.validators import validate_inn_legal, validate_inn_person, validate_ogrn, validate_snils
from tests.factories import SECTION_FACTORIES, AbsenceFactory, PersonFactory


def test_cast(worker, other_worker, operator_a, operator_b, fac_staff, secretary, admin_user, org_a, org_b):
    assert worker.person.cards.get().organization == org_a
    assert other_worker.person.cards.get().organization == org_b
    assert operator_a.roles.get().organization == org_a
    assert operator_b.roles.get().organization == org_b
    assert fac_staff.roles.get().role == Role.FAC_STAFF
    assert secretary.roles.get().role == Role.SECRETARY
    assert admin_user.is_superuser and admin_user.roles.get().role == Role.ADMIN
    assert org_a.departments.count() == 1
    validate_ogrn(org_a.ogrn)
    validate_inn_legal(org_b.inn)


@pytest.mark.django_db
def test_factories_make_valid_rows() -> None:
    person = PersonFactory()
    validate_snils(person.snils)
    validate_inn_person(person.inn)
    for model, factory in SECTION_FACTORIES.items():
        row = factory(person=person)
        row.full_clean()
        assert isinstance(row, model)
    absence = AbsenceFactory(card__person=person)
    absence.card.full_clean()
    absence.full_clean()
    assert PersonFactory().oid != person.oid
