"""A synthetic register of any size for load tests: `manage.py generate_register --persons N`.

Rows are made as plain tuples in the tables' column order, batch by batch, and written with COPY on
PostgreSQL (psycopg 3) or bulk_create elsewhere; only one batch is in memory at a time. Every row is
built to pass the same validators and constraints as an operator's input (valid СНИЛС and ИНН, Cyrillic
ФИО, dates in order, rates of 0.25 steps).

Identifiers: СНИЛС are numbers 700-000-000…799-999-999 taken in order after the highest one already in
the database, so runs add up without collisions and never meet the demo's (2xx) or real-looking ones;
register OIDs come from `person_oid_allocate_block`; primary keys of persons from the table's sequence.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import itertools
import math
import multiprocessing
import random
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, connections, models, transaction
from django.db.models import Max
from django.utils import timezone

from frmr.demo import ids
from frmr.demo.catalog import ORG_OID_ROOT, PROFILES, Profile
from frmr.demo.dictionaries import Dictionaries
from frmr.demo.pools import (
    COURSE_THEMES,
    FEMALE_FIRST,
    MALE_FIRST,
    PATRONYMICS,
    REGIONS,
    SURNAMES,
    Region,
)
from frmr.nsi import codes, oids
from frmr.registry import models as m
from frmr.registry.roster import roster_refresh
from frmr.registry.services.oids import person_oid_allocate_block

SNILS_FIRST = 700_000_000
SNILS_LAST = 799_999_999
# Synthetic organizations: OIDs `…12.2.<region>.8<4 digits>`, outside the demo's `…9xxxx`.
SYNTHETIC_ORG_BASE = 80000
# Share of each kind of job among the generated persons.
PROFILE_WEIGHTS = {
    "therapist": 8,
    "district_therapist": 8,
    "surgeon": 5,
    "district_pediatrician": 5,
    "cardiologist": 3,
    "neurologist": 3,
    "anesthesiologist": 3,
    "obgyn": 3,
    "ward_nurse": 18,
    "procedure_nurse": 8,
    "district_nurse": 8,
    "senior_nurse": 3,
    "nurse_anesthetist": 4,
    "operating_nurse": 4,
    "feldsher": 6,
    "midwife": 4,
    "provisor": 2,
    "pharmacist": 3,
}
DEPARTMENTS = tuple(sorted({name for profile in PROFILES for name in profile.departments}))
# Organization sizes: a few national-scale hospitals (the largest card counts of the bench), then
# most organizations between SMALL_ORG and LARGE_ORG persons, log-uniformly (many small, few large).
BIG_ORGS = (70_000, 60_000, 52_000)
BIG_SHARE_MAX = 0.06  # of all persons per big organization, so that small runs stay mixed
SMALL_ORG, LARGE_ORG = 50, 3_000
# The most frequent Russian surnames and first names, most frequent first (public frequency lists);
# the pool's other names follow. Draws are Zipf-like by that rank.
FREQUENT_SURNAMES = [
    "Смирнов",
    "Иванов",
    "Кузнецов",
    "Попов",
    "Соколов",
    "Лебедев",
    "Козлов",
    "Новиков",
    "Морозов",
    "Петров",
    "Волков",
    "Соловьёв",
    "Васильев",
    "Зайцев",
    "Павлов",
    "Семёнов",
    "Голубев",
    "Виноградов",
    "Богданов",
    "Воробьёв",
    "Фёдоров",
    "Михайлов",
    "Беляев",
    "Тарасов",
    "Белов",
    "Комаров",
    "Орлов",
    "Киселёв",
    "Макаров",
    "Андреев",
    "Ковалёв",
    "Ильин",
    "Гусев",
    "Титов",
    "Кузьмин",
    "Кудрявцев",
    "Баранов",
    "Куликов",
    "Алексеев",
    "Степанов",
    "Яковлев",
    "Сорокин",
    "Сергеев",
    "Романов",
    "Захаров",
    "Борисов",
    "Королёв",
]
FREQUENT_MALE = [
    "Александр",
    "Сергей",
    "Андрей",
    "Алексей",
    "Дмитрий",
    "Владимир",
    "Евгений",
    "Михаил",
    "Николай",
    "Игорь",
]
FREQUENT_FEMALE = [
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Ирина",
    "Светлана",
    "Анна",
    "Марина",
    "Юлия",
    "Екатерина",
]
DISMISSED_SHARE = 0.07  # persons whose only job ended (left of their own wish) and who work nowhere now

# The tables written, each with the attnames of its columns in the order of the generated tuples.
COLUMNS: dict[type[models.Model], tuple[str, ...]] = {
    m.Person: (
        "id",
        "oid",
        "snils",
        "last_name",
        "first_name",
        "patronymic",
        "gender",
        "birth_date",
        "birth_place",
        "inn",
        "citizenship_id",
        "phone",
        "email",
        "created_by_organization_id",
        "created_at",
        "updated_at",
    ),
    m.IdentityDocument: (
        "person_id",
        "organization_id",
        "document_type_id",
        "series",
        "number",
        "issue_date",
        "issued_by",
        "division_code",
        "created_at",
        "updated_at",
    ),
    m.Address: (
        "person_id",
        "organization_id",
        "address_type_id",
        "region_id",
        "registration_date",
        "area_name",
        "street_name",
        "house",
        "building",
        "structure",
        "flat",
        "created_at",
        "updated_at",
    ),
    m.ProfessionalEducation: (
        "person_id",
        "organization_id",
        "education_type_id",
        "institution_name",
        "institution_code",
        "begin_year",
        "end_year",
        "doc_series",
        "doc_number",
        "doc_date",
        "specialty_name",
        "qualification_name",
        "specialty_id",
        "created_at",
        "updated_at",
    ),
    m.PostgraduateEducation: (
        "person_id",
        "organization_id",
        "stage_id",
        "institution_name",
        "institution_code",
        "begin_date",
        "end_date",
        "doc_series",
        "doc_number",
        "doc_date",
        "specialty_id",
        "created_at",
        "updated_at",
    ),
    m.AdditionalEducation: (
        "person_id",
        "organization_id",
        "kind_id",
        "institution_name",
        "institution_code",
        "theme",
        "hours",
        "doc_series",
        "doc_number",
        "doc_date",
        "specialty_id",
        "created_at",
        "updated_at",
    ),
    m.AccreditationRecord: (
        "person_id",
        "organization_id",
        "registry_number",
        "kind_id",
        "specialty_id",
        "pass_date",
        "end_date",
        "protocol_number",
        "protocol_date",
        "institution_name",
        "passed",
        "application_ref",
        "created_at",
        "updated_at",
    ),
    m.EmploymentCard: (
        "person_id",
        "organization_id",
        "department_id",
        "position_id",
        "position_type_id",
        "rate",
        "begin_date",
        "end_date",
        "end_reason_id",
        "contract_number",
        "contract_date",
        "service_number",
        "created_at",
        "updated_at",
    ),
}

Rows = dict[type[models.Model], list[tuple[Any, ...]]]


def _five_years(day: datetime.date) -> datetime.date:
    """The last day of a five-year validity that starts on `day`."""
    try:
        end = day.replace(year=day.year + 5)
    except ValueError:  # 29 February
        end = day.replace(year=day.year + 5, day=28)
    return end - datetime.timedelta(days=1)


@dataclass
class OrgInfo:
    pk: int
    region: Region
    region_pk: int
    departments: dict[str, int]


@dataclass
class ProfileIds:
    profile: Profile
    position: int
    specialty: int
    diploma_specialty: int
    education_type: int


@dataclass
class Stats:
    persons: int = 0
    rows: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        return max(time.monotonic() - self.started, 1e-9)


def default_organizations(persons: int) -> int:
    """How many organizations make the size distribution above for `persons` persons."""
    mean = (LARGE_ORG - SMALL_ORG) / math.log(LARGE_ORG / SMALL_ORG)
    big = sum(min(size, int(persons * BIG_SHARE_MAX)) for size in BIG_ORGS)
    return len(BIG_ORGS) + max(1, math.ceil(max(0, persons - big) / mean))


def organization_weights(count: int, persons: int, seed: int) -> list[float]:
    """Expected persons per organization: BIG_ORGS first, the rest log-uniform in SMALL_ORG…LARGE_ORG."""
    rng = random.Random(f"{seed}:sizes")
    big = [float(min(size, max(1, int(persons * BIG_SHARE_MAX)))) for size in BIG_ORGS[:count]]
    rest = [SMALL_ORG * (LARGE_ORG / SMALL_ORG) ** rng.random() for _ in range(count - len(big))]
    if rest:
        # The small ones share what the big ones leave; their proportions stay log-uniform.
        left = max(float(persons) - sum(big), float(len(rest)))
        scale = left / sum(rest)
        rest = [size * scale for size in rest]
    return big + rest


def _ranked(pool: list[str], frequent: list[str]) -> list[int]:
    """Indices of `pool`: the frequent ones in their order, then the others in the pool's order."""
    rank = {name: i for i, name in enumerate(frequent)}
    return sorted(range(len(pool)), key=lambda i: (rank.get(pool[i], len(frequent)), i))


def zipf_cumulative(order: list[int], exponent: float = 0.9) -> tuple[list[int], list[float]]:
    """(pool indices, cumulative weights) for drawing index order[r] with weight 1 / (r + 1)^exponent."""
    weights = [1 / (r + 1) ** exponent for r in range(len(order))]
    return order, list(itertools.accumulate(weights))


def ensure_organizations(count: int, dicts: Dictionaries) -> list[OrgInfo]:
    """`count` synthetic organizations (spread over the demo regions), created when missing."""
    regions = list(REGIONS.values())
    wanted: list[tuple[str, Region, int]] = []
    for n in range(1, count + 1):
        region = regions[(n - 1) % len(regions)]
        wanted.append((f"{ORG_OID_ROOT}.{region.code}.{SYNTHETIC_ORG_BASE + n}", region, n))
    existing = set(
        m.Organization.objects.filter(oid__in=[w[0] for w in wanted]).values_list("oid", flat=True)
    )
    new = []
    for oid, region, n in wanted:
        if oid in existing:
            continue
        new.append(
            m.Organization(
                oid=oid,
                name_full=f"Государственное бюджетное учреждение здравоохранения «Городская больница № {n}»",
                name_short=f"ГБУЗ «ГБ № {n}» ({region.cities[0]})",
                ogrn=ids.ogrn(f"1{region.code}8{n:08d}"),
                inn=ids.organization_inn(f"{region.inn_prefix}8{n:06d}"),
                kpp=f"{region.inn_prefix}8001001",
                region=dicts.region(region.code),
            )
        )
    m.Organization.objects.bulk_create(new)
    orgs = {o.oid: o for o in m.Organization.objects.filter(oid__in=[w[0] for w in wanted])}
    have_deps = set(m.Department.objects.filter(organization__in=orgs.values()).values_list("oid", flat=True))
    m.Department.objects.bulk_create(
        [
            m.Department(organization=orgs[oid], oid=f"{oid}.0.{i + 1}", name=name)
            for oid, _region, _n in wanted
            for i, name in enumerate(DEPARTMENTS)
            if f"{oid}.0.{i + 1}" not in have_deps
        ]
    )
    result = []
    for oid, region, _n in wanted:
        org = orgs[oid]
        deps = dict(m.Department.objects.filter(organization=org).values_list("name", "pk"))
        result.append(OrgInfo(pk=org.pk, region=region, region_pk=org.region_id, departments=deps))
    return result


def next_snils_number() -> int:
    top = m.Person.objects.filter(
        snils__gte=f"{SNILS_FIRST:09d}00", snils__lte=f"{SNILS_LAST:09d}99"
    ).aggregate(top=Max("snils"))["top"]
    return int(top[:9]) + 1 if top else SNILS_FIRST


class Generator:
    """Makes the rows of persons and their sections, deterministically for a given seed."""

    def __init__(
        self, *, seed: int, organizations: list[OrgInfo], dicts: Dictionaries, persons: int = 0
    ) -> None:
        self.rng = random.Random(seed)
        self.orgs = organizations
        weights = organization_weights(len(organizations), max(persons, len(organizations)), seed)
        self.org_cumulative = list(itertools.accumulate(weights))
        self.surnames = zipf_cumulative(_ranked([s[0] for s in SURNAMES], FREQUENT_SURNAMES))
        self.male = zipf_cumulative(_ranked(list(MALE_FIRST), FREQUENT_MALE))
        self.female = zipf_cumulative(_ranked(list(FEMALE_FIRST), FREQUENT_FEMALE))
        self.today = timezone.localdate()
        self.now = timezone.now()
        code = dicts.code
        # Institution name → its code in the dictionary of institutions (None if it lists none such).
        self.institution_code = functools.cache(dicts.institution)
        self.profiles = []
        for key, weight in PROFILE_WEIGHTS.items():
            profile = next(p for p in PROFILES if p.key == key)
            ids_ = ProfileIds(
                profile=profile,
                position=dicts.position(profile.position).pk,
                specialty=dicts.specialty(profile.specialty, higher=profile.higher).pk,
                diploma_specialty=dicts.specialty(profile.diploma, higher=profile.higher).pk,
                education_type=code(
                    oids.EDUCATION_TYPES,
                    codes.EDUCATION_TYPE_HIGHER if profile.higher else codes.EDUCATION_TYPE_SECONDARY,
                ).pk,
            )
            self.profiles += [ids_] * weight
        self.passport = code(oids.IDENTITY_DOCUMENT_TYPES, codes.IDENTITY_DOCUMENT_RF_PASSPORT).pk
        self.registration = code(oids.ADDRESS_TYPES, codes.ADDRESS_REGISTRATION).pk
        self.citizen = code(oids.CITIZENSHIP, codes.CITIZENSHIP_RF).pk
        self.internship = code(oids.POSTGRADUATE_STAGES, codes.POSTGRADUATE_INTERNSHIP).pk
        self.residency = code(oids.POSTGRADUATE_STAGES, codes.POSTGRADUATE_RESIDENCY).pk
        self.advanced = code(oids.ADDITIONAL_EDUCATION_KINDS, codes.ADDITIONAL_EDUCATION_ADVANCED_TRAINING).pk
        self.primary = code(oids.ACCREDITATION_KINDS, codes.ACCREDITATION_PRIMARY).pk
        self.primary_specialized = code(oids.ACCREDITATION_KINDS, codes.ACCREDITATION_PRIMARY_SPECIALIZED).pk
        self.periodic = code(oids.ACCREDITATION_KINDS, codes.ACCREDITATION_PERIODIC).pk
        self.main_job = code(oids.POSITION_TYPES, codes.POSITION_TYPE_MAIN).pk
        self.internal = code(oids.POSITION_TYPES, codes.POSITION_TYPE_INTERNAL_PART_TIME).pk
        self.external = code(oids.POSITION_TYPES, codes.POSITION_TYPE_EXTERNAL_PART_TIME).pk
        self.own_wish = code(oids.DISMISSAL_REASONS, codes.DISMISSAL_OWN_WISH).pk
        self.birth_first = datetime.date(1960, 1, 1).toordinal()
        self.birth_span = datetime.date(2000, 12, 31).toordinal() - self.birth_first
        self.today_ordinal = self.today.toordinal()
        self.rates = (Decimal("1.00"), Decimal("1.00"), Decimal("1.00"), Decimal("0.75"))
        self.part_rates = (Decimal("0.25"), Decimal("0.50"))

    def _org(self) -> OrgInfo:
        cumulative = self.org_cumulative
        return self.orgs[bisect.bisect(cumulative, self.rng.random() * cumulative[-1]) % len(self.orgs)]

    def _draw(self, table: tuple[list[int], list[float]]) -> int:
        order, cumulative = table
        return order[min(bisect.bisect(cumulative, self.rng.random() * cumulative[-1]), len(order) - 1)]

    def reseed(self, seed: int, batch_index: int) -> None:
        self.rng.seed(f"{seed}:{batch_index}")

    def _department(self, org: OrgInfo, profile: Profile) -> int:
        for name in profile.departments:
            if name in org.departments:
                return org.departments[name]
        return next(iter(org.departments.values()))

    def batch(self, *, person_ids: list[int], snils_numbers: range, person_oids: list[str]) -> Rows:
        rows: Rows = {model: [] for model in COLUMNS}
        for pk, number, oid in zip(person_ids, snils_numbers, person_oids, strict=True):
            self._person(rows, pk, number, oid)
        return rows

    def _person(self, rows: Rows, pk: int, number: int, oid: str) -> None:
        rng = self.rng
        rnd = rng.random
        now = self.now
        today = self.today
        pid = self.profiles[int(rnd() * len(self.profiles))]
        profile = pid.profile
        org = self._org()
        region = org.region
        female = rnd() < profile.female_share
        g = 1 if female else 0
        last = SURNAMES[self._draw(self.surnames)][g]
        names = FEMALE_FIRST if female else MALE_FIRST
        first = names[self._draw(self.female if female else self.male)]
        patronymic = PATRONYMICS[int(rnd() * len(PATRONYMICS))][g]
        span = self.birth_span - (3 * 365 if profile.residency else 0)
        birth = datetime.date.fromordinal(self.birth_first + int(rnd() * span))
        snils = ids.snils_from_number(number)
        inn = ids.person_inn(f"{region.inn_prefix}{number % 100:02d}{number // 100 % 1000000:06d}")
        rows[m.Person].append(
            (
                pk,
                oid,
                snils,
                last,
                first,
                patronymic,
                2 if female else 1,
                birth,
                region.cities[int(rnd() * len(region.cities))],
                inn,
                self.citizen,
                f"+7999{number % 10_000_000:07d}",
                f"user{number}@example.ru",
                org.pk,
                now,
                now,
            )
        )

        age = 45 if birth.year <= today.year - 46 else 20
        issued = datetime.date(birth.year + age, birth.month, min(birth.day, 28)) + datetime.timedelta(
            days=5 + int(rnd() * 40)
        )
        rows[m.IdentityDocument].append(
            (
                pk,
                org.pk,
                self.passport,
                f"{region.passport_prefix}{issued.year % 100:02d}",
                f"{100000 + int(rnd() * 899999)}",
                issued,
                region.passport_office,
                f"{region.division_prefix}-{1 + int(rnd() * 98):03d}",
                now,
                now,
            )
        )
        registered = datetime.date(birth.year + 18 + int(rnd() * 6), 1 + int(rnd() * 12), 1 + int(rnd() * 28))
        rows[m.Address].append(
            (
                pk,
                org.pk,
                self.registration,
                org.region_pk,
                registered,
                region.cities[int(rnd() * len(region.cities))],
                region.streets[int(rnd() * len(region.streets))],
                str(1 + int(rnd() * 120)),
                "",
                "",
                str(1 + int(rnd() * 240)),
                now,
                now,
            )
        )

        if profile.higher:
            begin = birth.year + 17
            end = begin + (5 if profile.diploma == "Фармация" else 6)
            institution = region.university
        else:
            begin = birth.year + 15 + int(rnd() * 3)
            end = begin + 3
            institution = region.college
        diploma = datetime.date(end, 6, 20 + int(rnd() * 10))
        rows[m.ProfessionalEducation].append(
            (
                pk,
                org.pk,
                pid.education_type,
                institution,
                self.institution_code(institution),
                begin,
                end,
                "",
                f"{1000000 + int(rnd() * 8999999)}",
                diploma,
                profile.diploma,
                profile.qualification,
                pid.diploma_specialty,
                now,
                now,
            )
        )
        qualified = diploma
        if profile.residency:
            years = 1 if end < 2016 and rnd() < 0.5 else 2
            finish = datetime.date(end + years, 7, 1 + int(rnd() * 14))
            rows[m.PostgraduateEducation].append(
                (
                    pk,
                    org.pk,
                    self.internship if years == 1 else self.residency,
                    institution,
                    self.institution_code(institution),
                    datetime.date(end, 9, 1),
                    finish,
                    "",
                    f"{10000000 + int(rnd() * 89999999)}",
                    finish,
                    pid.specialty,
                    now,
                    now,
                )
            )
            qualified = finish
        days_since = self.today_ordinal - qualified.toordinal()

        for _ in range(int(rnd() * 4)):
            day = datetime.date.fromordinal(
                self.today_ordinal - 20 - int(rnd() * max(1, min(1800, days_since - 21)))
            )
            themes = COURSE_THEMES[profile.specialty]
            rows[m.AdditionalEducation].append(
                (
                    pk,
                    org.pk,
                    self.advanced,
                    region.dpo,
                    self.institution_code(region.dpo),
                    themes[int(rnd() * len(themes))],
                    (18, 36, 36, 72, 72, 144)[int(rnd() * 6)],
                    "",
                    f"{region.code}{number:09d}{int(rnd() * 100):02d}",
                    day,
                    pid.specialty,
                    now,
                    now,
                )
            )

        if rnd() < 0.88:
            if qualified.year >= 2018 and days_since < 4 * 365:
                kind = self.primary_specialized if profile.residency else self.primary
                passed = qualified + datetime.timedelta(days=10 + int(rnd() * 30))
            else:
                kind = self.periodic
                passed = datetime.date.fromordinal(
                    self.today_ordinal - 10 - int(rnd() * max(1, min(1800, days_since - 11)))
                )
            rows[m.AccreditationRecord].append(
                (
                    pk,
                    org.pk,
                    f"{passed.year}{region.code}{number:09d}",
                    kind,
                    pid.specialty,
                    passed,
                    _five_years(passed),
                    f"{1 + int(rnd() * 350)}/{passed.year % 100:02d}",
                    passed,
                    region.accreditation_centre,
                    True,
                    "",
                    now,
                    now,
                )
            )

        hired = qualified + datetime.timedelta(days=10 + int(rnd() * 100))
        department = self._department(org, profile)
        extra = rnd()
        if extra < 0.12 and days_since > 3 * 365:
            # An earlier job in another organization, left of the person's own wish.
            other = self._org()
            left = hired + datetime.timedelta(days=300 + int(rnd() * (days_since - 700)))
            rows[m.EmploymentCard].append(
                (
                    pk,
                    other.pk,
                    self._department(other, profile),
                    pid.position,
                    self.main_job,
                    Decimal("1.00"),
                    hired,
                    left,
                    self.own_wish,
                    f"{number % 100000}-ТД",
                    hired,
                    f"S{number}-1",
                    now,
                    now,
                )
            )
            hired = left + datetime.timedelta(days=1 + int(rnd() * 60))
        ended = None
        if 0.2 <= extra < 0.2 + DISMISSED_SHARE and hired < today - datetime.timedelta(days=60):
            ended = hired + datetime.timedelta(days=30 + int(rnd() * ((today - hired).days - 30)))
        rows[m.EmploymentCard].append(
            (
                pk,
                org.pk,
                department,
                pid.position,
                self.main_job,
                self.rates[int(rnd() * 4)],
                hired,
                ended,
                self.own_wish if ended else None,
                f"{number % 100000}-ТД",
                hired,
                f"S{number}",
                now,
                now,
            )
        )
        if 0.12 <= extra < 0.2 and hired < today - datetime.timedelta(days=40):
            other = self._org()
            same = other.pk == org.pk
            since = hired + datetime.timedelta(days=int(rnd() * (today - hired).days))
            rows[m.EmploymentCard].append(
                (
                    pk,
                    other.pk,
                    self._department(other, profile),
                    pid.position,
                    self.internal if same else self.external,
                    self.part_rates[int(rnd() * 2)],
                    since,
                    None,
                    None,
                    f"{number % 100000}-ТД/С",
                    since,
                    f"S{number}-2",
                    now,
                    now,
                )
            )


def _column(model: type[models.Model], attname: str) -> str:
    field = model._meta.get_field(attname.removesuffix("_id"))
    assert isinstance(field, models.Field)
    return str(field.column)


class Writer:
    """Writes a batch of rows; the PostgreSQL one streams them with COPY."""

    def reserve_person_ids(self, count: int) -> list[int]:
        raise NotImplementedError

    def write(self, rows: Rows) -> None:
        raise NotImplementedError


class CopyWriter(Writer):
    def reserve_person_ids(self, count: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [m.Person._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]

    def write(self, rows: Rows) -> None:
        from psycopg import sql

        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            for model, table_rows in rows.items():
                if not table_rows:
                    continue
                columns = [sql.Identifier(_column(model, name)) for name in COLUMNS[model]]
                statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                    sql.Identifier(model._meta.db_table), sql.SQL(", ").join(columns)
                )
                with raw.copy(statement) as copy:
                    for row in table_rows:
                        copy.write_row(row)


class BulkWriter(Writer):
    def reserve_person_ids(self, count: int) -> list[int]:
        # Runs inside the batch's transaction, which on SQLite holds the database's write lock.
        top = m.Person.objects.aggregate(top=Max("id"))["top"] or 0
        return list(range(top + 1, top + 1 + count))

    def write(self, rows: Rows) -> None:
        for model, table_rows in rows.items():
            names = COLUMNS[model]
            model._default_manager.bulk_create(
                [model(**dict(zip(names, row, strict=True))) for row in table_rows], batch_size=500
            )


# What the batches of one run share; set before worker processes fork, so they inherit it.
_RUN: dict[str, Any] = {}


def generate_register(
    *,
    persons: int,
    seed: int = 1,
    batch: int = 10_000,
    organizations: int | None = None,
    workers: int = 1,
    progress: Callable[[Stats], None] | None = None,
) -> Stats:
    """Add `persons` synthetic persons with their sections; see the module docstring.

    With `workers` > 1 (PostgreSQL only) batches are written by that many processes, each with its own
    connection, so that the database server uses more than one core. The content of each batch depends
    only on the seed and the batch's number, not on the number of workers.
    """
    if organizations is None:
        organizations = default_organizations(persons)
    if persons < 1 or batch < 1 or organizations < 1 or workers < 1:
        raise ValueError("persons, batch, organizations and workers must be positive")
    dicts = Dictionaries()
    orgs = ensure_organizations(organizations, dicts)
    first_number = next_snils_number()
    if first_number + persons - 1 > SNILS_LAST:
        raise OverflowError("the synthetic СНИЛС range is exhausted")
    sizes = list(_batches(persons, batch))
    _RUN.clear()
    _RUN.update(
        generator=Generator(seed=seed, organizations=orgs, dicts=dicts, persons=persons),
        writer=CopyWriter() if connection.vendor == "postgresql" else BulkWriter(),
        seed=seed,
        sizes=sizes,
        starts=[first_number + i * batch for i in range(len(sizes))],
    )
    stats = Stats()

    def done(result: tuple[int, int]) -> None:
        stats.persons += result[0]
        stats.rows += result[1]
        if progress:
            progress(stats)

    # Workers need PostgreSQL, and they cannot see what an enclosing transaction has not committed yet
    # (the organizations just created), so inside one the batches are written here.
    parallel = workers > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block
    if not parallel or len(sizes) == 1:
        for index in range(len(sizes)):
            done(_write_batch(index))
        return stats
    # Forked workers must not share the parent's open connection; each opens its own.
    connection.close()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_forget_inherited_connections
    ) as pool:
        for result in pool.map(_write_batch, range(len(sizes))):
            done(result)
    return stats


def _forget_inherited_connections() -> None:
    """Drop, without closing, every database connection a forked worker inherited from its parent.

    A connection object copied by fork still holds the parent's socket: using it would interleave two
    processes' statements on one session (psycopg then reports e.g. "COPY cannot be mixed with other
    operations"), and closing it would end the parent's session. Forgetting it makes Django open a new one.
    """
    for alias in connections:
        connections[alias].connection = None


def _write_batch(index: int) -> tuple[int, int]:
    generator: Generator = _RUN["generator"]
    writer: Writer = _RUN["writer"]
    size = _RUN["sizes"][index]
    start = _RUN["starts"][index]
    generator.reseed(_RUN["seed"], index)
    # Taken in its own short transaction: the counter's row stays locked until the end of the
    # transaction that allocates, which would otherwise serialize the workers' whole batches.
    person_oids = person_oid_allocate_block(count=size)
    with transaction.atomic():
        person_ids = writer.reserve_person_ids(size)
        rows = generator.batch(
            person_ids=person_ids, snils_numbers=range(start, start + size), person_oids=person_oids
        )
        writer.write(rows)
        roster_refresh(person_ids=person_ids)
    return size, sum(len(r) for r in rows.values())


def _batches(total: int, size: int) -> Iterator[int]:
    while total > 0:
        yield min(size, total)
        total -= size
