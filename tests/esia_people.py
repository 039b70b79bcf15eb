"""Register records of the emulator's demo people, made directly with the models (the tests of the
ЕСИА login need them and must not depend on the demo data loader)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from frmr.esia.data import EsiaPerson
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry
from frmr.registry.models import Department, EmploymentCard, Gender, Organization, Person
from frmr.registry.roster import roster_refresh

IVANOVA_OID = "1000000001"
IVANOVA_SNILS = "11223344595"
NOVIKOV_OID = "1000000009"
NOVIKOV_SNILS = "19056783401"


def _entry(dictionary: str, code: str, name: str) -> DictionaryEntry:
    entry, _ = DictionaryEntry.objects.get_or_create(
        dictionary=dictionary, code=code, defaults={"name": name}
    )
    return entry


def make_organization(name: str = "ГБУЗ «Городская клиническая больница № 1»", n: int = 1) -> Organization:
    org, _ = Organization.objects.get_or_create(
        oid=f"1.2.643.5.1.13.13.12.2.77.{7700 + n}",
        defaults={
            "name_full": f"Государственное бюджетное учреждение здравоохранения {name}",
            "name_short": name,
            "ogrn": f"10277000000{n:02d}",
            "inn": f"77000000{n:02d}",
            "region": _entry(oids.REGIONS, "77", "г. Москва"),
        },
    )
    return org


def make_person(
    *,
    snils: str = IVANOVA_SNILS,
    last_name: str = "Иванова",
    first_name: str = "Анна",
    patronymic: str = "Сергеевна",
    n: int = 1,
) -> Person:
    return Person.objects.create(
        oid=f"2020.{n:07d}",
        snils=snils,
        last_name=last_name,
        first_name=first_name,
        patronymic=patronymic,
        gender=Gender.FEMALE,
        birth_date=datetime.date(1985, 3, 14),
    )


def make_card(
    person: Person,
    organization: Organization,
    *,
    position: str = "врач-терапевт участковый",
    ended: bool = False,
) -> EmploymentCard:
    department, _ = Department.objects.get_or_create(
        organization=organization,
        name="Терапевтическое отделение",
        defaults={"oid": f"{organization.oid}.0.1"},
    )
    card = EmploymentCard.objects.create(
        person=person,
        organization=organization,
        department=department,
        position=_entry(oids.POSITIONS, position[:20], position),
        position_type=_entry(oids.POSITION_TYPES, "1", "основное"),
        rate=Decimal("1.00"),
        begin_date=datetime.date(2015, 9, 1),
        end_date=datetime.date(2019, 12, 31) if ended else None,
        end_reason=_entry(oids.DISMISSAL_REASONS, "1", "по собственному желанию") if ended else None,
    )
    roster_refresh(person_ids=[person.pk])
    return card


def make_ivanova() -> Person:
    """Иванова with a current card in one hospital and a closed one in another."""
    person = make_person()
    make_card(person, make_organization())
    make_card(person, make_organization("ГБУЗ «Поликлиника № 5»", n=2), position="врач-терапевт", ended=True)
    return person


def esia_person(**overrides: object) -> EsiaPerson:
    values: dict[str, object] = {
        "oid": IVANOVA_OID,
        "last_name": "Иванова",
        "first_name": "Анна",
        "patronymic": "Сергеевна",
        "birth_date": datetime.date(1985, 3, 14),
        "gender": "F",
        "snils": IVANOVA_SNILS,
        "email": "ivanova.as@example.ru",
        "mobile": "+79161234501",
        "trusted": True,
    }
    values.update(overrides)
    return EsiaPerson(**values)  # type: ignore[arg-type]
