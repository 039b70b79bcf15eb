from __future__ import annotations

import datetime
import json
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Model
from pytest_django.fixtures import Settings

from frmr.accounts.models import RoleGrant, User
from frmr.core.validators import normalize_phone, validate_fio_part, validate_inn_person, validate_snils
from frmr.demo import make_people
from frmr.demo.accounts import NAMED_ACCOUNTS
from frmr.demo.catalog import ORGANIZATIONS, PROFILES
from frmr.demo.loader import LoadResult, load_demo, read_people
from frmr.nsi import codes
from frmr.nsi.services import dictionaries_load
from frmr.registry import models as m
from frmr.registry.services import validate_instance

pytestmark = pytest.mark.django_db

SECTION_MODELS: tuple[type[Model], ...] = (
    m.IdentityDocument,
    m.Address,
    m.ProfessionalEducation,
    m.PostgraduateEducation,
    m.AdditionalEducation,
    m.SpecialistCertificate,
    m.AccreditationRecord,
    m.QualificationCategory,
    m.Award,
)
ALL_MODELS = (m.Organization, m.Department, m.Person, *SECTION_MODELS, m.EmploymentCard, m.Absence)


@pytest.fixture
def var_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def loaded(var_dir: Path) -> LoadResult:
    dictionaries_load()
    return load_demo()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (*ALL_MODELS, User, RoleGrant)}


def test_first_load_creates_the_stand_fast(var_dir: Path) -> None:
    dictionaries_load()
    started = time.monotonic()
    result = load_demo()
    assert time.monotonic() - started < 10
    people = read_people()["persons"]
    assert m.Organization.objects.count() == 3
    assert m.Department.objects.count() == sum(len(o.departments) for o in ORGANIZATIONS)
    for organization in m.Organization.objects.all():
        assert 4 <= organization.departments.count() <= 6
    assert m.Person.objects.count() == len(people) == 53
    assert m.EmploymentCard.objects.count() == sum(len(p["cards"]) for p in people)
    assert m.AccreditationRecord.objects.count() == sum(len(p["accreditations"]) for p in people)
    assert m.AdditionalEducation.objects.count() == sum(len(p["additional_education"]) for p in people)
    # 8 named users (not Новиков) and the Django admin.
    assert User.objects.count() == 9
    assert RoleGrant.objects.count() == 6  # Лебедев is also the commission's secretary (two roles)
    assert result.changed


def test_second_load_changes_nothing(loaded: LoadResult) -> None:
    before = counts()
    stamps = dict(m.Person.objects.values_list("snils", "updated_at"))
    card_stamps = dict(m.EmploymentCard.objects.values_list("pk", "updated_at"))
    logins = (loaded.logins_file or Path()).stat().st_mtime_ns
    again = load_demo()
    assert not again.changed
    assert counts() == before
    assert dict(m.Person.objects.values_list("snils", "updated_at")) == stamps
    assert dict(m.EmploymentCard.objects.values_list("pk", "updated_at")) == card_stamps
    assert (again.logins_file or Path()).stat().st_mtime_ns == logins


def test_a_later_run_keeps_the_dates_and_reset_moves_them(loaded: LoadResult) -> None:
    ivanova = m.Person.objects.get(snils="11223344595")
    end = ivanova.accreditations.get(kind__code=codes.ACCREDITATION_PERIODIC).end_date
    later = loaded.anchor + datetime.timedelta(days=100)
    assert not load_demo(today=later).changed
    assert m.AccreditationRecord.objects.get(person=ivanova, kind__code="3").end_date == end

    result = load_demo(today=later, reset=True)
    assert result.deleted_persons == 53
    assert m.Person.objects.count() == 53
    renewed = m.Person.objects.get(snils="11223344595")
    assert renewed.accreditations.get(kind__code="3").end_date == end + datetime.timedelta(days=100)
    # The user's link to the record is restored after the old record was deleted.
    assert User.objects.get(esia_oid="1000000001").person == renewed


def test_every_row_passes_the_services_validation(loaded: LoadResult) -> None:
    """The checks an operator's input gets: checksums, letters, dates not in the future, dictionary
    entries in force, field checks and the database constraints."""
    for person in m.Person.objects.all():
        validate_snils(person.snils)
        validate_inn_person(person.inn)
        assert normalize_phone(person.phone) == person.phone
        for part in (person.last_name, person.first_name, person.patronymic):
            validate_fio_part(part)
    for model in ALL_MODELS:
        for row in model.objects.all():
            validate_instance(row)


def test_names_agree_in_gender() -> None:
    for person in read_people()["persons"]:
        female = person["gender"] == 2
        assert person["patronymic"].endswith(("вна", "чна")) == female, person["patronymic"]
        if person["last_name"].endswith(("ов", "ев", "ёв", "ин")):
            assert not female
        if person["last_name"].endswith(("ова", "ева", "ёва", "ина", "ская")):
            assert female


def test_dates_are_in_order(loaded: LoadResult) -> None:
    today = loaded.anchor
    for person in m.Person.objects.all():
        assert datetime.date(1960, 1, 1) <= person.birth_date <= datetime.date(2000, 12, 31)
        adult = person.birth_date.replace(year=person.birth_date.year + 14)
        diploma = person.professional_education.get().doc_date
        assert adult < diploma < today
        for document in person.documents.all():
            assert adult <= document.issue_date <= today
        for residency in person.postgraduate_education.all():
            assert diploma < residency.begin_date < residency.end_date < today
        for course in person.additional_education.all():
            assert diploma < course.doc_date <= today
        for record in person.accreditations.all():
            assert diploma < record.pass_date <= today < record.end_date or record.end_date < today
        for card in person.cards.all():
            assert diploma < card.begin_date <= today
            assert card.end_date is None or card.begin_date <= card.end_date <= today
            for absence in card.absences.all():
                assert card.begin_date <= absence.begin_date


def test_cards_belong_to_their_organization(loaded: LoadResult) -> None:
    current = m.EmploymentCard.objects.filter(end_date__isnull=True)
    assert current.count() >= 50
    for card in m.EmploymentCard.objects.select_related("department"):
        assert card.department.organization_id == card.organization_id
    # A dismissal, an internal transfer, a maternity leave and part-time cards are all there.
    assert m.EmploymentCard.objects.filter(end_reason__code=codes.DISMISSAL_OWN_WISH).exists()
    assert m.EmploymentCard.objects.filter(end_reason__code=codes.DISMISSAL_INTERNAL_TRANSFER).exists()
    assert m.Absence.objects.filter(reason__code=codes.ABSENCE_MATERNITY).count() >= 2
    assert m.Absence.objects.filter(end_date__isnull=True).exists()
    external = m.EmploymentCard.objects.get(position_type__code=codes.POSITION_TYPE_EXTERNAL_PART_TIME)
    assert str(external.rate) == "0.50"


def test_positions_match_education_and_accreditation(loaded: LoadResult) -> None:
    by_position = {p.position: p for p in PROFILES}
    doctors = 0
    for person in m.Person.objects.prefetch_related("cards__position", "accreditations__specialty"):
        latest = person.accreditations.order_by("-pass_date").first()
        certificate = person.certificates.order_by("-exam_date").first()
        qualified_in = latest.specialty if latest else certificate.specialty  # type: ignore[union-attr]
        diploma = person.professional_education.get()
        for card in person.cards.all():
            # Every position links to the specialties that admit to it (the dictionary's attrs).
            assert qualified_in.code in card.position.attrs["specialties"], (person, card.position)
        profile = by_position[person.cards.order_by("-begin_date").first().position.name]  # type: ignore[union-attr]
        assert diploma.specialty_name == profile.diploma
        if profile.doctor:
            doctors += 1
            assert diploma.education_type.code == codes.EDUCATION_TYPE_HIGHER
            assert diploma.specialty_name in ("Лечебное дело", "Педиатрия")
            assert person.postgraduate_education.get().specialty == qualified_in
        elif not profile.higher:
            assert diploma.education_type.code == codes.EDUCATION_TYPE_SECONDARY
    assert doctors >= 20


def test_some_accreditations_expire_within_a_year(loaded: LoadResult) -> None:
    today = loaded.anchor
    soon = m.AccreditationRecord.objects.filter(
        end_date__gte=today, end_date__lte=today + datetime.timedelta(days=365)
    )
    assert soon.count() >= 5
    assert soon.filter(person__snils="11223344595", specialty__name="Терапия").exists()
    assert (
        m.AccreditationRecord.objects.filter(end_date__gt=today + datetime.timedelta(days=365)).count() >= 20
    )


def test_continuing_education_hours_differ(loaded: LoadResult) -> None:
    since = loaded.anchor - datetime.timedelta(days=5 * 365)
    hours = {
        person.snils: sum(
            c.hours for c in person.additional_education.filter(kind__code="1", doc_date__gte=since)
        )
        for person in m.Person.objects.all()
    }
    assert sum(1 for h in hours.values() if h >= 144) >= 10
    assert sum(1 for h in hours.values() if h < 144) >= 10
    assert hours["11223344595"] == 108  # Иванова needs 36 more hours


def test_named_people_users_and_roles(loaded: LoadResult) -> None:
    for account in NAMED_ACCOUNTS:
        person = m.Person.objects.filter(snils=account.snils).first()
        assert (person is not None) == account.has_record, account.last_name
        user = User.objects.filter(esia_oid=account.esia_oid).first()
        if not account.has_user:
            assert user is None
            continue
        assert user is not None
        assert user.username == f"esia-{account.esia_oid}"
        assert user.snils == account.snils
        assert (user.last_name, user.first_name, user.patronymic) == (
            account.last_name,
            account.first_name,
            account.patronymic,
        )
        assert not user.has_usable_password()
        assert user.person == person
        if person is not None:
            assert (person.last_name, person.first_name, person.patronymic) == (
                account.last_name,
                account.first_name,
                account.patronymic,
            )
            assert person.birth_date.isoformat() == account.birth_date
            assert person.gender == account.gender
            assert person.phone == account.mobile
        grants = {(g.role, g.organization.oid if g.organization else None) for g in user.roles.all()}
        if account.role is None:
            assert grants == set()
        else:
            org = {o.key: o.oid for o in ORGANIZATIONS}.get(account.organization or "")
            assert grants == {(account.role, org)}
    volkov = User.objects.get(esia_oid="1000000008")
    assert volkov.is_staff and volkov.is_superuser
    assert not m.Person.objects.filter(last_name="Новиков", first_name="Павел").exists()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("admin-demo-2026")


def test_lebedev_moved_from_a_to_b(loaded: LoadResult) -> None:
    cards = list(m.EmploymentCard.objects.filter(person__snils="13467925891").order_by("begin_date"))
    assert [c.organization.oid for c in cards] == [ORGANIZATIONS[0].oid, ORGANIZATIONS[1].oid]
    assert cards[0].end_date is not None and cards[0].end_reason is not None
    assert cards[1].end_date is None and cards[1].position.name == "Врач-хирург"


def test_admin_password_comes_from_the_environment(var_dir: Path, settings: Settings) -> None:
    settings.DEMO_ADMIN_PASSWORD = "another-secret-42"  # FRMR_DEMO_ADMIN_PASSWORD, read by config/settings
    dictionaries_load()
    result = load_demo()
    assert User.objects.get(username="admin").check_password("another-secret-42")
    text = (result.logins_file or Path()).read_text(encoding="utf-8")
    assert "another-secret-42" not in text
    assert "FRMR_DEMO_ADMIN_PASSWORD" in text


def test_production_is_refused_without_force(var_dir: Path, settings: Settings) -> None:
    settings.PRODUCTION = True
    dictionaries_load()
    with pytest.raises(ImproperlyConfigured, match="FRMR_ENV=production"):
        load_demo()
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO())
    assert m.Person.objects.count() == 0


def test_missing_dictionaries_name_the_entry(var_dir: Path) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"load_dictionaries"):
        load_demo()


def test_command_prints_what_it_did(var_dir: Path) -> None:
    dictionaries_load()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "создано: работников — 53" in out.getvalue()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "изменений нет" in out.getvalue()
    text = (var_dir / "demo-logins.txt").read_text(encoding="utf-8")
    assert "112-233-445 95" in text and "demo12345" in text and "admin" in text


def test_data_files_are_what_the_script_makes() -> None:
    people, esia = make_people.build()
    assert read_people() == json.loads(json.dumps(people))
    shipped: list[dict[str, Any]] = json.loads(
        (make_people.DATA_DIR / "esia_users.json").read_text(encoding="utf-8")
    )
    assert shipped == json.loads(json.dumps(esia))
    assert [a["oid"] for a in shipped] == list(range(1000000101, 1000000151))
    generic = {p["snils"]: p for p in people["persons"] if not p["key"].isalpha()}
    for account in shipped:
        validate_snils(account["snils"])
        person = generic[account["snils"]]
        assert (account["last_name"], account["first_name"], account["middle_name"]) == (
            person["last_name"],
            person["first_name"],
            person["patronymic"],
        )
        assert account["password"] == "demo12345" and account["level"] == "confirmed"
        assert account["mobile"] == person["phone"] and account["email"] == person["email"]


def test_production_with_force_needs_the_admin_password(var_dir: Path, settings: Settings) -> None:
    settings.PRODUCTION = True
    dictionaries_load()
    settings.DEMO_ADMIN_PASSWORD = ""
    with pytest.raises(ImproperlyConfigured, match="FRMR_DEMO_ADMIN_PASSWORD"):
        load_demo(force=True)
    assert m.Person.objects.count() == 0
    settings.DEMO_ADMIN_PASSWORD = "stand-secret-77"
    load_demo(force=True)
    assert User.objects.get(username="admin").check_password("stand-secret-77")
