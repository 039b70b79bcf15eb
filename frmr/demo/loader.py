"""`manage.py load_demo`: the fictional organizations, people and users of the demo stand.

Idempotence: every object is looked up by its natural key (organization and department OID, person
СНИЛС, user ЕСИА OID, role) and only created when missing; existing ones are never rewritten, so a
second run changes nothing and edits made while demonstrating survive `make run`.

Dates: people.json keeps recent events relative to the day of loading (see make_people.py). They are
resolved once, when a person is created; later runs leave them alone, so on a later day the demo ages
like real data (accreditations approach their end and expire). `load_demo --reset` deletes the demo
people and creates them again with dates relative to that day.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone

from frmr.accounts.models import RoleGrant, User
from frmr.accreditation.numbering import registry_counters_catch_up
from frmr.core.validators import (
    validate_fio_part,
    validate_inn_legal,
    validate_inn_person,
    validate_kpp,
    validate_ogrn,
    validate_snils,
)
from frmr.demo.accounts import (
    ADMIN_USERNAME,
    NAMED_ACCOUNTS,
    admin_dev_password,
)
from frmr.demo.catalog import ORGANIZATIONS, DemoOrganization
from frmr.demo.dictionaries import Dictionaries
from frmr.demo.logins import write_logins_file
from frmr.nsi import codes, oids
from frmr.registry import models as m
from frmr.registry.roster import roster_refresh
from frmr.registry.services.oids import person_oid_allocate_block

PEOPLE_FILE = Path(__file__).resolve().parent / "data" / "people.json"


@dataclass
class LoadResult:
    anchor: datetime.date
    created: dict[str, int] = field(default_factory=dict)
    deleted_persons: int = 0
    logins_file: Path | None = None

    def add(self, what: str, count: int) -> None:
        self.created[what] = self.created.get(what, 0) + count

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or self.deleted_persons > 0


def read_people() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PEOPLE_FILE.read_text(encoding="utf-8"))
    return data


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class DateResolver:
    """Turns people.json dates (`YYYY-MM-DD` or `T-<days>` before the anchor) into dates."""

    def __init__(self, anchor: datetime.date) -> None:
        self.anchor = anchor

    def __call__(self, value: str | None) -> datetime.date | None:
        if not value:
            return None
        if value.startswith("T-"):
            return self.anchor - datetime.timedelta(days=int(value[2:]))
        if value.startswith("T+"):
            return self.anchor + datetime.timedelta(days=int(value[2:]))
        return datetime.date.fromisoformat(value)

    def required(self, value: str) -> datetime.date:
        day = self(value)
        if day is None:
            raise ImproperlyConfigured(f"people.json: a required date is empty ({value!r})")
        return day

    def until(self, start: datetime.date, item: dict[str, Any]) -> datetime.date:
        """The last day of validity: `valid_years` from `start` (the rule for these documents)."""
        return add_years(start, int(item["valid_years"])) - datetime.timedelta(days=1)


def anchor_date(people: dict[str, Any], today: datetime.date | None = None) -> datetime.date:
    # Never earlier than the day the file was made: its relative dates assume that (make_people.py).
    today = today or timezone.localdate()
    return max(today, datetime.date.fromisoformat(people["reference_date"]))


def check_production(*, force: bool) -> None:
    if settings.PRODUCTION and not force:
        raise ImproperlyConfigured(
            "Демонстрационные данные не загружаются в рабочую систему (FRMR_ENV=production). "
            "Если это действительно нужно (стенд для показа), запустите с --force."
        )


def load_demo(
    *,
    today: datetime.date | None = None,
    reset: bool = False,
    force: bool = False,
    write_logins: bool = True,
    log: Callable[[str], None] | None = None,
) -> LoadResult:
    """Create whatever part of the demo stand is missing; see the module docstring."""
    check_production(force=force)
    people = read_people()
    result = LoadResult(anchor=anchor_date(people, today))
    say = log or (lambda _text: None)
    dicts = Dictionaries()
    with transaction.atomic():
        orgs, departments = _organizations(dicts, result)
        if reset:
            snils = [p["snils"] for p in people["persons"]]
            result.deleted_persons = m.Person.objects.filter(snils__in=snils).count()
            m.Person.objects.filter(snils__in=snils).delete()
        _persons(people["persons"], dicts, orgs, departments, DateResolver(result.anchor), result)
        snils = [p["snils"] for p in people["persons"]]
        roster_refresh(person_ids=m.Person.objects.filter(snils__in=snils).values_list("pk", flat=True))
        _users(orgs, result)
        registry_counters_catch_up(
            [r["registry_number"] for p in people["persons"] for r in p.get("accreditations", [])]
        )
    if write_logins:
        result.logins_file = write_logins_file()
    for what, count in result.created.items():
        if count:
            say(f"создано: {what} — {count}")
    if not result.changed:
        say("демонстрационные данные уже загружены, изменений нет")
    return result


# ------------------------------------------------------------------------------------- Organizations


def _check_organization(org: DemoOrganization) -> None:
    validate_ogrn(org.ogrn)
    validate_inn_legal(org.inn)
    validate_kpp(org.kpp)


def _organizations(
    dicts: Dictionaries, result: LoadResult
) -> tuple[dict[str, m.Organization], dict[tuple[str, str], m.Department]]:
    existing = {o.oid: o for o in m.Organization.objects.filter(oid__in=[d.oid for d in ORGANIZATIONS])}
    missing = []
    for demo in ORGANIZATIONS:
        if demo.oid in existing:
            continue
        _check_organization(demo)
        missing.append(
            m.Organization(
                oid=demo.oid,
                name_full=demo.name_full,
                name_short=demo.name_short,
                ogrn=demo.ogrn,
                inn=demo.inn,
                kpp=demo.kpp,
                region=dicts.region(demo.region),
                address=demo.address,
                phone=demo.phone,
                email=demo.email,
            )
        )
    m.Organization.objects.bulk_create(missing)
    result.add("организаций", len(missing))
    orgs = {o.oid: o for o in m.Organization.objects.filter(oid__in=[d.oid for d in ORGANIZATIONS])}
    by_key = {demo.key: orgs[demo.oid] for demo in ORGANIZATIONS}

    wanted = {
        demo.department_oid(i): (by_key[demo.key], name)
        for demo in ORGANIZATIONS
        for i, name in enumerate(demo.departments)
    }
    have = set(m.Department.objects.filter(oid__in=wanted).values_list("oid", flat=True))
    new = [m.Department(organization=o, oid=oid, name=n) for oid, (o, n) in wanted.items() if oid not in have]
    m.Department.objects.bulk_create(new)
    result.add("подразделений", len(new))
    departments = {
        (demo.key, dep.name): dep
        for demo in ORGANIZATIONS
        for dep in m.Department.objects.filter(organization=by_key[demo.key])
    }
    return by_key, departments


# ------------------------------------------------------------------------------------------ Persons


def check_person_data(data: dict[str, Any]) -> None:
    """The same checks an operator's input gets, so demo data never shows what the forms refuse."""
    where = f"people.json, {data.get('last_name')} {data.get('snils')}"
    try:
        validate_snils(data["snils"])
        if data.get("inn"):
            validate_inn_person(data["inn"])
        for part in ("last_name", "first_name", "patronymic"):
            if data.get(part):
                validate_fio_part(data[part])
    except ValidationError as exc:
        raise ImproperlyConfigured(f"{where}: {'; '.join(exc.messages)}") from exc


def _persons(
    persons: list[dict[str, Any]],
    dicts: Dictionaries,
    orgs: dict[str, m.Organization],
    departments: dict[tuple[str, str], m.Department],
    dates: DateResolver,
    result: LoadResult,
) -> None:
    have = set(
        m.Person.objects.filter(snils__in=[p["snils"] for p in persons]).values_list("snils", flat=True)
    )
    todo = [p for p in persons if p["snils"] not in have]
    if not todo:
        return
    for data in todo:
        check_person_data(data)
    oid_list = person_oid_allocate_block(count=len(todo), year=dates.anchor.year)
    citizenship = dicts.code(oids.CITIZENSHIP, codes.CITIZENSHIP_RF)
    rows = [
        m.Person(
            oid=oid,
            snils=d["snils"],
            last_name=d["last_name"],
            first_name=d["first_name"],
            patronymic=d["patronymic"],
            gender=d["gender"],
            birth_date=dates.required(d["birth_date"]),
            birth_place=d["birth_place"],
            inn=d["inn"],
            citizenship=citizenship,
            phone=d["phone"],
            email=d["email"],
            created_by_organization=orgs[d["organization"]],
        )
        for oid, d in zip(oid_list, todo, strict=True)
    ]
    m.Person.objects.bulk_create(rows)
    result.add("работников", len(rows))
    by_snils = {p.snils: p for p in m.Person.objects.filter(snils__in=[d["snils"] for d in todo])}
    sections = SectionBuilder(dicts, orgs, departments, dates)
    for d in todo:
        sections.add(by_snils[d["snils"]], d)
    sections.save(result)


class SectionBuilder:
    """Collects the rows of every section of many persons and writes each model in one bulk insert."""

    def __init__(
        self,
        dicts: Dictionaries,
        orgs: dict[str, m.Organization],
        departments: dict[tuple[str, str], m.Department],
        dates: DateResolver,
    ) -> None:
        self.dicts = dicts
        self.orgs = orgs
        self.departments = departments
        self.dates = dates
        self.rows: dict[type[Any], list[Any]] = {}
        self.cards: list[tuple[m.EmploymentCard, list[dict[str, Any]]]] = []

    def _put(self, row: Any) -> None:
        self.rows.setdefault(type(row), []).append(row)

    def _spec(self, item: dict[str, Any]) -> Any:
        return (
            self.dicts.specialty(item["specialty"], higher=item["higher"]) if item.get("specialty") else None
        )

    def add(self, person: m.Person, d: dict[str, Any]) -> None:
        code, day = self.dicts.code, self.dates
        own = {"person": person, "organization": self.orgs[d["organization"]]}
        for doc in d["documents"]:
            self._put(
                m.IdentityDocument(
                    **own,
                    document_type=code(oids.IDENTITY_DOCUMENT_TYPES, doc["type"]),
                    series=doc["series"],
                    number=doc["number"],
                    issue_date=day.required(doc["issue_date"]),
                    issued_by=doc["issued_by"],
                    division_code=doc["division_code"],
                )
            )
        for a in d["addresses"]:
            self._put(
                m.Address(
                    **own,
                    address_type=code(oids.ADDRESS_TYPES, a["type"]),
                    region=self.dicts.region(a["region"]),
                    registration_date=day(a.get("registration_date")),
                    area_name=a["area_name"],
                    street_name=a["street_name"],
                    house=a["house"],
                    building=a["building"],
                    flat=a["flat"],
                )
            )
        for e in d["professional_education"]:
            self._put(
                m.ProfessionalEducation(
                    **own,
                    education_type=code(oids.EDUCATION_TYPES, e["type"]),
                    institution_name=e["institution_name"],
                    institution_code=self.dicts.institution(e["institution_name"]),
                    begin_year=e["begin_year"],
                    end_year=e["end_year"],
                    doc_series=e["doc_series"],
                    doc_number=e["doc_number"],
                    doc_date=day.required(e["doc_date"]),
                    specialty_name=e["specialty_name"],
                    qualification_name=e["qualification_name"],
                    specialty=self._spec(e),
                )
            )
        for g in d["postgraduate"]:
            self._put(
                m.PostgraduateEducation(
                    **own,
                    stage=code(oids.POSTGRADUATE_STAGES, g["stage"]),
                    institution_name=g["institution_name"],
                    institution_code=self.dicts.institution(g["institution_name"]),
                    begin_date=day.required(g["begin_date"]),
                    end_date=day(g["end_date"]),
                    doc_series=g["doc_series"],
                    doc_number=g["doc_number"],
                    doc_date=day(g["doc_date"]),
                    specialty=self.dicts.specialty(g["specialty"], higher=True),
                )
            )
        for x in d["additional_education"]:
            self._put(
                m.AdditionalEducation(
                    **own,
                    kind=code(oids.ADDITIONAL_EDUCATION_KINDS, x["kind"]),
                    institution_name=x["institution_name"],
                    institution_code=self.dicts.institution(x["institution_name"]),
                    theme=x["theme"],
                    hours=x["hours"],
                    doc_series=x["doc_series"],
                    doc_number=x["doc_number"],
                    doc_date=day.required(x["doc_date"]),
                    specialty=self._spec(x),
                )
            )
        for c in d["certificates"]:
            exam = day.required(c["exam_date"])
            self._put(
                m.SpecialistCertificate(
                    **own,
                    institution_name=c["institution_name"],
                    institution_code=self.dicts.institution(c["institution_name"]),
                    series=c["series"],
                    number=c["number"],
                    exam_date=exam,
                    end_date=day.until(exam, c),
                    specialty=self._spec(c),
                )
            )
        for r in d["accreditations"]:
            passed = day.required(r["pass_date"])
            self._put(
                m.AccreditationRecord(
                    **own,
                    registry_number=r["registry_number"],
                    kind=code(oids.ACCREDITATION_KINDS, r["kind"]),
                    specialty=self._spec(r),
                    pass_date=passed,
                    end_date=day.until(passed, r),
                    protocol_number=r["protocol_number"],
                    protocol_date=passed,
                    institution_name=r["institution_name"],
                )
            )
        for q in d["qualification_categories"]:
            begin = day.required(q["begin_date"])
            self._put(
                m.QualificationCategory(
                    **own,
                    category=code(oids.QUALIFICATION_CATEGORIES, q["category"]),
                    specialty=self._spec(q),
                    begin_date=begin,
                    end_date=day.until(begin, q),
                    order_number=q["order_number"],
                )
            )
        for w in d["awards"]:
            self._put(
                m.Award(
                    **own,
                    kind=code(oids.AWARD_KINDS, w["kind"]),
                    number=w["number"],
                    award_date=day.required(w["award_date"]),
                )
            )
        for k in d["cards"]:
            card = m.EmploymentCard(
                person=person,
                organization=self.orgs[k["organization"]],
                department=self.departments[(k["organization"], k["department"])],
                position=self.dicts.position(k["position"]),
                position_type=code(oids.POSITION_TYPES, k["position_type"]),
                rate=Decimal(k["rate"]),
                begin_date=day.required(k["begin_date"]),
                end_date=day(k["end_date"]),
                end_reason=code(oids.DISMISSAL_REASONS, k["end_reason"]) if k["end_reason"] else None,
                contract_number=k["contract_number"],
                contract_date=day(k["contract_date"]),
                service_number=k["service_number"],
            )
            self.cards.append((card, k["absences"]))

    def save(self, result: LoadResult) -> None:
        for model, rows in self.rows.items():
            model.objects.bulk_create(rows)
            result.add(str(model._meta.verbose_name_plural), len(rows))
        cards = [card for card, _ in self.cards]
        m.EmploymentCard.objects.bulk_create(cards)  # sets primary keys: PostgreSQL and SQLite ≥ 3.35
        result.add("карточек мест работы", len(cards))
        absences = [
            m.Absence(
                card=card,
                reason=self.dicts.code(oids.ABSENCE_REASONS, a["reason"]),
                begin_date=self.dates.required(a["begin_date"]),
                end_date=self.dates(a["end_date"]),
            )
            for card, items in self.cards
            for a in items
        ]
        m.Absence.objects.bulk_create(absences)
        result.add("периодов отсутствия", len(absences))


# -------------------------------------------------------------------------------------------- Users


def admin_password() -> str:
    return settings.DEMO_ADMIN_PASSWORD or admin_dev_password()


def _users(orgs: dict[str, m.Organization], result: LoadResult) -> None:
    persons = {p.snils: p for p in m.Person.objects.filter(snils__in=[a.snils for a in NAMED_ACCOUNTS])}
    created_users = created_grants = 0
    for account in NAMED_ACCOUNTS:
        if not account.has_user:
            continue
        user = User.objects.filter(esia_oid=account.esia_oid).first()
        if user is None:
            user = User(
                username=f"esia-{account.esia_oid}",
                esia_oid=account.esia_oid,
                snils=account.snils,
                last_name=account.last_name,
                first_name=account.first_name,
                patronymic=account.patronymic,
                email=account.email,
                is_staff=account.role == "admin",
                is_superuser=account.role == "admin",
            )
            user.set_unusable_password()
            user.save()
            created_users += 1
        person = persons.get(account.snils)
        if account.has_record and person is not None and user.person_id != person.pk:
            # Set again after `--reset`, which deletes the old person (the link became empty).
            User.objects.filter(pk=user.pk).update(person=person)
        if account.role is not None:
            organization = orgs[account.organization] if account.organization else None
            _grant, made = RoleGrant.objects.get_or_create(
                user=user, role=account.role, organization=organization
            )
            created_grants += int(made)
    if not User.objects.filter(username=ADMIN_USERNAME).exists():
        User.objects.create_superuser(ADMIN_USERNAME, email="", password=admin_password())
        created_users += 1
    result.add("пользователей", created_users)
    result.add("ролей", created_grants)
