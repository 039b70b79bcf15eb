"""factory_boy factories of the register's models, for every test suite.

Dictionary entries are fetched or created by (dictionary OID, code), so these factories work both on an
empty database and on one where the real dictionaries have been loaded. Codes follow the shipped files:
position types "1".."4", accreditation kinds "1".."3", qualification categories "1".."3", citizenship "1",
identity document type "1", address types "1"/"2", absence reasons "1", additional education "1"/"2",
education types "1"/"2", postgraduate stages "1"/"2", regions by two-digit code.
"""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.hashers import make_password
from factory.django import DjangoModelFactory

from frmr.accounts.models import Role, RoleGrant, User
from frmr.core.validators import inn_legal_checksum, inn_person_checksum, ogrn_checksum, snils_checksum
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry
from frmr.registry import models as m
from frmr.registry.roster import roster_refresh_for
from frmr.registry.services.oids import person_oid_allocate

TEST_PASSWORD = "пароль-для-тестов"


def dict_entry(dictionary: str, code: str, name: str | None = None, **extra: Any) -> DictionaryEntry:
    """The entry (dictionary, code), created with `name` if the database does not have it yet."""
    entry, _ = DictionaryEntry.objects.get_or_create(
        dictionary=dictionary, code=code, defaults={"name": name or f"запись {code}", **extra}
    )
    return entry


def valid_snils(n: int) -> str:
    """A СНИЛС with a correct control number, distinct for each n (and above the unchecked range)."""
    first9 = f"{100_000_000 + n:09d}"
    return first9 + snils_checksum(first9)


def valid_inn_person(n: int) -> str:
    first10 = f"77{n:08d}"
    return first10 + inn_person_checksum(first10)


def valid_inn_legal(n: int) -> str:
    first9 = f"77{n:07d}"
    return first9 + inn_legal_checksum(first9)


def valid_ogrn(n: int) -> str:
    first12 = f"1027700{n:05d}"
    return first12 + ogrn_checksum(first12)


class DictionaryEntryFactory(DjangoModelFactory):
    class Meta:
        model = DictionaryEntry
        django_get_or_create = ("dictionary", "code")

    dictionary = oids.POSITIONS
    code = factory.Sequence(lambda n: f"t{n}")
    name = factory.LazyAttribute(lambda o: f"запись {o.code}")


def _entry(dictionary: str, code: str, name: str) -> Any:
    return factory.LazyFunction(lambda: dict_entry(dictionary, code, name))


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = m.Organization

    oid = factory.Sequence(lambda n: f"1.2.643.5.1.13.13.12.2.77.{9000 + n}")
    name_full = factory.Sequence(
        lambda n: f"Государственное бюджетное учреждение здравоохранения «Больница № {n}»"
    )
    name_short = factory.Sequence(lambda n: f"Больница № {n}")
    ogrn = factory.Sequence(valid_ogrn)
    inn = factory.Sequence(valid_inn_legal)
    kpp = "770101001"
    region = _entry(oids.REGIONS, "77", "г. Москва")


class _InRoster(DjangoModelFactory):
    """Rows written past the services: refresh the employer's roster as every write path does."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        obj = super()._create(model_class, *args, **kwargs)
        roster_refresh_for(obj)
        return obj


class DepartmentFactory(_InRoster):
    class Meta:
        model = m.Department

    organization = factory.SubFactory(OrganizationFactory)
    oid = factory.LazyAttributeSequence(lambda o, n: f"{o.organization.oid}.0.{n + 1}")
    name = factory.Sequence(lambda n: f"Терапевтическое отделение {n}")


class PersonFactory(_InRoster):
    class Meta:
        model = m.Person

    oid = factory.LazyFunction(person_oid_allocate)
    snils = factory.Sequence(valid_snils)
    last_name = "Иванова"
    first_name = "Нина"
    patronymic = "Петровна"
    gender = m.Gender.FEMALE
    birth_date = datetime.date(1985, 3, 14)
    birth_place = "г. Чита"
    inn = factory.Sequence(valid_inn_person)
    citizenship = _entry(oids.CITIZENSHIP, "1", "Гражданин Российской Федерации")


class EmploymentCardFactory(_InRoster):
    class Meta:
        model = m.EmploymentCard

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    department = factory.SubFactory(DepartmentFactory, organization=factory.SelfAttribute("..organization"))
    position = _entry(oids.POSITIONS, "t-therapist", "врач-терапевт")
    position_type = _entry(oids.POSITION_TYPES, "1", "основное место работы")
    rate = Decimal("1.00")
    begin_date = datetime.date(2020, 9, 1)
    contract_number = factory.Sequence(lambda n: f"ТД-{n}")
    contract_date = datetime.date(2020, 9, 1)
    service_number = factory.Sequence(lambda n: f"{1000 + n}")


class AbsenceFactory(DjangoModelFactory):
    class Meta:
        model = m.Absence

    card = factory.SubFactory(EmploymentCardFactory)
    reason = _entry(oids.ABSENCE_REASONS, "1", "отпуск по беременности и родам")
    begin_date = datetime.date(2022, 2, 1)
    end_date = datetime.date(2022, 6, 20)


class _SectionFactory(DjangoModelFactory):
    class Meta:
        abstract = True

    person = factory.SubFactory(PersonFactory)
    organization = None


class IdentityDocumentFactory(_SectionFactory):
    class Meta:
        model = m.IdentityDocument

    document_type = _entry(oids.IDENTITY_DOCUMENT_TYPES, "1", "Паспорт гражданина Российской Федерации")
    series = "7605"
    number = factory.Sequence(lambda n: f"{100000 + n}")
    issue_date = datetime.date(2005, 4, 1)
    issued_by = "УВД Центрального района г. Читы"
    division_code = "750-001"


class AddressFactory(_SectionFactory):
    class Meta:
        model = m.Address

    address_type = _entry(oids.ADDRESS_TYPES, "1", "адрес регистрации")
    region = _entry(oids.REGIONS, "77", "г. Москва")
    registration_date = datetime.date(2010, 1, 15)
    area_name = "Москва"
    street_name = "ул. Тверская"
    house = "1"
    flat = "10"


class ProfessionalEducationFactory(_SectionFactory):
    class Meta:
        model = m.ProfessionalEducation

    education_type = _entry(oids.EDUCATION_TYPES, "1", "высшее образование")
    institution_name = "Читинская государственная медицинская академия"
    begin_year = 2002
    end_year = 2008
    doc_number = factory.Sequence(lambda n: f"{700000 + n}")
    doc_date = datetime.date(2008, 6, 30)
    specialty_name = "Лечебное дело"
    qualification_name = "Врач"


class PostgraduateEducationFactory(_SectionFactory):
    class Meta:
        model = m.PostgraduateEducation

    stage = _entry(oids.POSTGRADUATE_STAGES, "2", "ординатура")
    institution_name = "Читинская государственная медицинская академия"
    begin_date = datetime.date(2008, 9, 1)
    end_date = datetime.date(2010, 8, 31)
    doc_number = factory.Sequence(lambda n: f"О-{n}")
    doc_date = datetime.date(2010, 8, 31)
    specialty = _entry(oids.SPECIALTIES, "t-therapy", "Терапия")


class AdditionalEducationFactory(_SectionFactory):
    class Meta:
        model = m.AdditionalEducation

    kind = _entry(oids.ADDITIONAL_EDUCATION_KINDS, "1", "повышение квалификации")
    institution_name = "РМАНПО"
    theme = "Актуальные вопросы терапии"
    hours = 144
    doc_number = factory.Sequence(lambda n: f"ПК-{n}")
    doc_date = datetime.date(2021, 12, 10)


class SpecialistCertificateFactory(_SectionFactory):
    class Meta:
        model = m.SpecialistCertificate

    institution_name = "РМАНПО"
    number = factory.Sequence(lambda n: f"01770{n:07d}")
    exam_date = datetime.date(2016, 12, 1)
    end_date = datetime.date(2021, 12, 1)
    specialty = _entry(oids.SPECIALTIES, "t-therapy", "Терапия")


class AccreditationRecordFactory(_SectionFactory):
    class Meta:
        model = m.AccreditationRecord

    registry_number = factory.Sequence(lambda n: f"7722 {n:09d}")
    kind = _entry(oids.ACCREDITATION_KINDS, "3", "периодическая")
    specialty = _entry(oids.SPECIALTIES, "t-therapy", "Терапия")
    pass_date = datetime.date(2022, 3, 1)
    end_date = datetime.date(2027, 3, 1)
    protocol_number = factory.Sequence(lambda n: f"П-{n}")
    protocol_date = datetime.date(2022, 3, 1)


class QualificationCategoryFactory(_SectionFactory):
    class Meta:
        model = m.QualificationCategory

    category = _entry(oids.QUALIFICATION_CATEGORIES, "1", "высшая")
    begin_date = datetime.date(2019, 5, 20)
    end_date = datetime.date(2024, 5, 20)
    order_number = factory.Sequence(lambda n: f"{n}-к")


class AwardFactory(_SectionFactory):
    class Meta:
        model = m.Award

    kind = _entry(oids.AWARD_KINDS, "1", "Почётная грамота Министерства здравоохранения")
    number = factory.Sequence(lambda n: f"Н-{n}")
    award_date = datetime.date(2020, 6, 21)


SECTION_FACTORIES: dict[type[m.PersonSection], type[_SectionFactory]] = {
    m.IdentityDocument: IdentityDocumentFactory,
    m.Address: AddressFactory,
    m.ProfessionalEducation: ProfessionalEducationFactory,
    m.PostgraduateEducation: PostgraduateEducationFactory,
    m.AdditionalEducation: AdditionalEducationFactory,
    m.SpecialistCertificate: SpecialistCertificateFactory,
    m.AccreditationRecord: AccreditationRecordFactory,
    m.QualificationCategory: QualificationCategoryFactory,
    m.Award: AwardFactory,
}


@functools.cache
def _test_password_hash() -> str:
    return make_password(TEST_PASSWORD)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Нина"
    last_name = "Иванова"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.ru")
    # Most users log in through ЕСИА and need no password; hashing one costs a third of a second.
    password = factory.LazyFunction(lambda: make_password(None))

    class Params:
        # One hash for the whole run: the slow part of a password is hashing it.
        with_password = factory.Trait(password=factory.LazyFunction(lambda: _test_password_hash()))


class RoleGrantFactory(DjangoModelFactory):
    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    role = Role.OPERATOR
    organization = factory.SubFactory(OrganizationFactory)
