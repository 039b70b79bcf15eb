from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from pytest_django.fixtures import Settings

from frmr.core.validators import validate_fio_part, validate_inn_person, validate_snils
from frmr.demo.synthetic import SNILS_FIRST, generate_register
from frmr.nsi.services import dictionaries_load
from frmr.registry import models as m
from frmr.registry.services import validate_instance

pytestmark = pytest.mark.django_db(transaction=False)

SECTIONS = (
    m.IdentityDocument,
    m.Address,
    m.ProfessionalEducation,
    m.PostgraduateEducation,
    m.AdditionalEducation,
    m.AccreditationRecord,
    m.EmploymentCard,
)


@pytest.fixture(autouse=True)
def dictionaries(db: None) -> None:
    dictionaries_load()


def content() -> list[tuple[object, ...]]:
    """What the seed decides: everything but keys, OIDs and timestamps."""
    return list(
        m.Person.objects.order_by("snils").values_list(
            "snils", "last_name", "first_name", "patronymic", "gender", "birth_date", "inn"
        )
    ) + list(
        m.EmploymentCard.objects.order_by("person__snils", "begin_date").values_list(
            "person__snils", "position__name", "rate", "begin_date", "end_date"
        )
    )


def test_creates_valid_persons_with_sections() -> None:
    stats = generate_register(persons=200, seed=3, batch=64, organizations=4)
    assert stats.persons == 200
    assert m.Person.objects.count() == 200
    assert stats.rows == m.Person.objects.count() + sum(model.objects.count() for model in SECTIONS)
    assert m.Organization.objects.count() == 4
    today = datetime.date.today()
    for person in m.Person.objects.annotate(
        docs=Count("documents", distinct=True),
        prof=Count("professional_education", distinct=True),
        cards_n=Count("cards", distinct=True),
        ext=Count("additional_education", distinct=True),
    ):
        assert person.docs == 1 and person.prof == 1
        assert 1 <= person.cards_n <= 2
        assert 0 <= person.ext <= 3
        assert int(person.snils[:9]) >= SNILS_FIRST
        validate_snils(person.snils)
        validate_inn_person(person.inn)
        for part in (person.last_name, person.first_name, person.patronymic):
            validate_fio_part(part)
        validate_instance(person)
    assert m.AccreditationRecord.objects.count() >= 150  # most have one
    for model in SECTIONS:
        for row in model.objects.all():
            validate_instance(row)
    for card in m.EmploymentCard.objects.select_related("department"):
        assert card.department.organization_id == card.organization_id
        assert card.begin_date <= today
    for record in m.AccreditationRecord.objects.all():
        assert record.pass_date <= today < record.end_date or record.end_date < today
    # Every institution the generator names is in the dictionary of institutions (ФРНСИ 1124).
    for model in (m.ProfessionalEducation, m.PostgraduateEducation, m.AdditionalEducation):
        assert not model.objects.filter(institution_code__isnull=True).exists(), model.__name__


def test_same_seed_same_register_and_runs_add_up() -> None:
    generate_register(persons=120, seed=11, batch=50, organizations=3)
    first = content()
    m.Person.objects.all().delete()
    generate_register(persons=120, seed=11, batch=50, organizations=3)
    assert content() == first
    # Another run continues the СНИЛС numbering instead of colliding with the first one.
    generate_register(persons=120, seed=11, batch=50, organizations=3)
    assert m.Person.objects.count() == 240
    assert m.Person.objects.values("snils").distinct().count() == 240
    assert m.Organization.objects.count() == 3


def test_other_seed_other_people() -> None:
    generate_register(persons=50, seed=1, organizations=2)
    first = content()
    m.Person.objects.all().delete()
    generate_register(persons=50, seed=2, organizations=2)
    assert content() != first


def test_command_prints_progress_and_rate() -> None:
    out = StringIO()
    call_command("generate_register", "--persons", "30", "--batch", "10", "--organizations", "2", stdout=out)
    text = out.getvalue()
    assert "30/30 работников" in text
    assert "работников/с" in text and "строк/с" in text
    assert m.Person.objects.count() == 30


def test_command_rejects_bad_numbers_and_production(settings: Settings) -> None:
    with pytest.raises(CommandError, match="положительными"):
        call_command("generate_register", "--persons", "0", stdout=StringIO())
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="--force"):
        call_command("generate_register", "--persons", "5", stdout=StringIO())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_copy_path_on_postgresql() -> None:
    assert connection.vendor == "postgresql"
    stats = generate_register(persons=500, seed=5, batch=200, organizations=3, workers=1)
    assert stats.persons == 500 == m.Person.objects.count()
    assert stats.rows == 500 + sum(model.objects.count() for model in SECTIONS)
    for person in m.Person.objects.all()[:100]:
        validate_instance(person)
    for model in SECTIONS:
        for row in model.objects.all()[:100]:
            validate_instance(row)
    # New rows after COPY get keys from the same sequences: an ordinary insert does not collide.
    person = m.Person.objects.first()
    assert person is not None
    m.IdentityDocument.objects.create(
        person=person,
        document_type=person.documents.get().document_type,
        number="000001",
        issue_date=datetime.date(2020, 1, 1),
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_workers_on_postgresql() -> None:
    stats = generate_register(persons=600, seed=5, batch=100, organizations=3, workers=2)
    assert stats.persons == 600 == m.Person.objects.count()
    assert m.Person.objects.values("oid").distinct().count() == 600
