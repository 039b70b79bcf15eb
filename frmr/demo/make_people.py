"""Write the demo people: `python -m frmr.demo.make_people` (fixed seed, same output each run).

Output: data/people.json (the personal files `load_demo` loads) and data/esia_users.json (the ЕСИА
emulator's accounts of the generic people). Run it only when the demo should change, and commit both.

Dates in people.json are either absolute (`YYYY-MM-DD`) or relative to the day of loading (`T-400`: 400
days before it), so that accreditations and courses stay recent whenever the demo is loaded. Relative
dates are only used for events that come after every absolute date of the same person as long as the
load happens on or after REFERENCE_DATE, so the order of dates holds on any later day as well.
"""

from __future__ import annotations

import datetime
import json
import random
from pathlib import Path
from typing import Any

from frmr.demo import ids
from frmr.demo.catalog import ESIA_DEMO_PASSWORD, ORGANIZATIONS_BY_KEY, PROFILES_BY_KEY, Profile
from frmr.demo.pools import (
    COURSE_THEMES,
    FEMALE_FIRST,
    MALE_FIRST,
    PATRONYMICS,
    REGIONS,
    SURNAMES,
    translit,
)
from frmr.nsi import codes

SEED = 20261127
REFERENCE_DATE = datetime.date(2026, 11, 27)
# Specialist certificates were replaced by accreditation: none is issued after this day.
LAST_CERTIFICATE_DAY = datetime.date(2020, 12, 31)
# Those qualified from this day on got a primary accreditation instead of a certificate.
ACCREDITATION_START = datetime.date(2018, 1, 1)
FIVE_YEARS = 5 * 365 + 1
DATA_DIR = Path(__file__).resolve().parent / "data"

# (organization, profile, story) of the 50 generic people; build_person() tells what each story adds:
# expiring accreditation, award, maternity leave, young specialist, transfer, move, dismissal, part-time.
PLAN: tuple[tuple[str, str, str], ...] = (
    *(("A", "district_therapist", "") for _ in range(3)),
    ("A", "therapist", "expiring"),
    ("A", "therapist", ""),
    ("A", "surgeon", "internal_part_time"),
    ("A", "surgeon", "award"),
    ("A", "cardiologist", "expiring"),
    ("A", "cardiologist", ""),
    ("A", "anesthesiologist", "award"),
    ("A", "ward_nurse", "maternity"),
    ("A", "ward_nurse", ""),
    ("A", "ward_nurse", "young"),
    ("A", "procedure_nurse", ""),
    ("A", "district_nurse", "expiring"),
    ("A", "district_nurse", ""),
    ("A", "senior_nurse", "transfer"),
    ("A", "nurse_anesthetist", ""),
    ("A", "operating_nurse", "expiring"),
    ("B", "therapist", "expiring"),
    ("B", "therapist", "dismissed"),
    ("B", "surgeon", "moved"),
    ("B", "neurologist", "award"),
    ("B", "neurologist", "young"),
    ("B", "anesthesiologist", "expiring"),
    ("B", "feldsher", ""),
    ("B", "feldsher", "young"),
    ("B", "ward_nurse", "expiring"),
    ("B", "ward_nurse", ""),
    ("B", "procedure_nurse", "maternity"),
    ("B", "nurse_anesthetist", ""),
    ("B", "operating_nurse", ""),
    ("B", "provisor", ""),
    ("B", "pharmacist", "young"),
    ("C", "district_pediatrician", "expiring"),
    ("C", "district_pediatrician", ""),
    ("C", "district_pediatrician", "young"),
    ("C", "therapist", "award"),
    ("C", "neurologist", "external_part_time"),
    ("C", "obgyn", ""),
    ("C", "obgyn", "expiring"),
    ("C", "midwife", ""),
    ("C", "midwife", "young"),
    ("C", "ward_nurse", ""),
    ("C", "ward_nurse", "expiring"),
    ("C", "district_nurse", ""),
    ("C", "feldsher", "award"),
    ("C", "senior_nurse", "transfer"),
    ("B", "procedure_nurse", ""),
    ("C", "therapist", "young"),
)


def iso(day: datetime.date) -> str:
    return day.isoformat()


def rel(days_ago: int) -> str:
    return f"T-{days_ago}"


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class Builder:
    """Builds one person's file; numbers that must be unique come from counters shared by all."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.serial = 1000
        self.snils_seen: set[str] = set()
        self.emails: set[str] = set()
        self.phones: set[str] = set()

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial

    def day(self, year: int, month_from: int = 1, month_to: int = 12) -> datetime.date:
        return datetime.date(year, self.rng.randint(month_from, month_to), self.rng.randint(1, 28))

    def snils(self) -> str:
        while True:
            # The demo's own range 200-000-000…299-999-999; generate_register uses 7xx.
            value = ids.snils_from_number(self.rng.randint(200_000_000, 299_999_999))
            if value not in self.snils_seen:
                self.snils_seen.add(value)
                return value

    def phone(self) -> str:
        while True:
            operator = self.rng.choice(("16", "13", "23", "53", "27", "03"))
            value = f"+79{operator}{self.rng.randint(0, 9999999):07d}"
            if value not in self.phones:
                self.phones.add(value)
                return value

    def email(self, last: str, first: str, patronymic: str) -> str:
        local = f"{translit(last)}.{translit(first)[0]}{translit(patronymic)[0]}"
        candidate, n = f"{local}@example.ru", 1
        while candidate in self.emails:
            n += 1
            candidate = f"{local}{n}@example.ru"
        self.emails.add(candidate)
        return candidate

    def name(self, female: bool) -> tuple[str, str, str]:
        last = self.rng.choice(SURNAMES)[1 if female else 0]
        first = self.rng.choice(FEMALE_FIRST if female else MALE_FIRST)
        patronymic = self.rng.choice(PATRONYMICS)[1 if female else 0]
        return last, first, patronymic


def _passport(b: Builder, region_code: str, birth: datetime.date) -> dict[str, Any]:
    region = REGIONS[region_code]
    age = 45 if add_years(birth, 45) < REFERENCE_DATE - datetime.timedelta(days=60) else 20
    issued = add_years(birth, age) + datetime.timedelta(days=b.rng.randint(5, 50))
    return {
        "type": codes.IDENTITY_DOCUMENT_RF_PASSPORT,
        "series": f"{region.passport_prefix}{issued.year % 100:02d}",
        "number": f"{b.rng.randint(100000, 999999)}",
        "issue_date": iso(issued),
        "issued_by": region.passport_office,
        "division_code": f"{region.division_prefix}-{b.rng.randint(1, 99):03d}",
    }


def _address(b: Builder, region_code: str, birth: datetime.date, kind: str) -> dict[str, Any]:
    region = REGIONS[region_code]
    registered = b.day(b.rng.randint(birth.year + 18, 2024))
    return {
        "type": kind,
        "region": region_code,
        "registration_date": iso(registered) if kind == codes.ADDRESS_REGISTRATION else None,
        "area_name": b.rng.choice(region.cities),
        "street_name": b.rng.choice(region.streets),
        "house": str(b.rng.randint(1, 120)),
        "building": b.rng.choice(("", "", "", "1", "2")),
        "flat": str(b.rng.randint(1, 240)),
    }


def _education(b: Builder, profile: Profile, region_code: str, birth: datetime.date) -> dict[str, Any]:
    """Diploma, residency and retraining; returns them with the day the person became qualified."""
    region = REGIONS[region_code]
    out: dict[str, Any] = {"professional_education": [], "postgraduate": [], "retraining": []}
    if profile.higher:
        begin = birth.year + 17 + b.rng.choice((0, 0, 1))
        end = begin + (5 if profile.diploma == "Фармация" else 6)
        institution = region.university
        series = f"10{region.code}{end % 100:02d}" if end >= 2014 else "ВСГ"
    else:
        begin = birth.year + b.rng.choice((15, 17))
        end = begin + b.rng.choice((3, 4))
        institution = region.college
        series = f"11{region.code}{end % 100:02d}" if end >= 2014 else "СБ"
    diploma_day = datetime.date(end, 6, b.rng.randint(20, 30))
    out["professional_education"].append(
        {
            "type": codes.EDUCATION_TYPE_HIGHER if profile.higher else codes.EDUCATION_TYPE_SECONDARY,
            "institution_name": institution,
            "begin_year": begin,
            "end_year": end,
            "doc_series": series,
            "doc_number": f"{b.rng.randint(1000000, 9999999)}",
            "doc_date": iso(diploma_day),
            "specialty_name": profile.diploma,
            "qualification_name": profile.qualification,
            "specialty": profile.diploma,
            "higher": profile.higher,
        }
    )
    qualified = diploma_day
    if profile.residency:
        internship = end < 2016 and b.rng.random() < 0.6
        start = datetime.date(end, 9, 1)
        finish = datetime.date(end + (1 if internship else 2), 7, b.rng.randint(1, 15))
        out["postgraduate"].append(
            {
                "stage": codes.POSTGRADUATE_INTERNSHIP if internship else codes.POSTGRADUATE_RESIDENCY,
                "institution_name": institution,
                "begin_date": iso(start),
                "end_date": iso(finish),
                "doc_series": "",
                "doc_number": f"{b.rng.randint(10000000, 99999999)}",
                "doc_date": iso(finish),
                "specialty": profile.specialty,
            }
        )
        qualified = finish
    if profile.retraining:
        done = datetime.date(end + b.rng.randint(1, 3), b.rng.randint(2, 6), b.rng.randint(1, 28))
        out["retraining"].append(
            {
                "kind": codes.ADDITIONAL_EDUCATION_RETRAINING,
                "institution_name": region.dpo,
                "theme": profile.specialty,
                "hours": b.rng.choice((288, 432, 504)),
                "doc_series": "",
                "doc_number": f"{region.code}{b.rng.randint(10000000, 99999999)}",
                "doc_date": iso(done),
                "specialty": profile.specialty,
                "higher": profile.higher,
            }
        )
        qualified = done
    out["qualified"] = qualified
    return out


def _course(
    b: Builder, profile: Profile, region_code: str, when: str, hours: int | None = None
) -> dict[str, Any]:
    region = REGIONS[region_code]
    return {
        "kind": codes.ADDITIONAL_EDUCATION_ADVANCED_TRAINING,
        "institution_name": region.dpo,
        "theme": b.rng.choice(COURSE_THEMES[profile.specialty]),
        "hours": hours or b.rng.choice((18, 36, 36, 72, 72, 144)),
        "doc_series": "",
        "doc_number": f"{region.code}{b.rng.randint(10000000, 99999999)}",
        "doc_date": when,
        "specialty": profile.specialty,
        "higher": profile.higher,
    }


def _accreditation(
    b: Builder, profile: Profile, region_code: str, kind: str, when: str, year_hint: int
) -> dict[str, Any]:
    region = REGIONS[region_code]
    return {
        # The format of frmr.accreditation.numbering.registry_number; load_demo moves the counters past these.
        "registry_number": f"{year_hint}-{b.next_serial():07d}",
        "kind": kind,
        "specialty": profile.specialty,
        "higher": profile.higher,
        "pass_date": when,
        "valid_years": 5,
        "protocol_number": f"{b.rng.randint(1, 350)}/{year_hint % 100:02d}",
        "institution_name": region.accreditation_centre,
    }


def _qualification_history(
    b: Builder, p: dict[str, Any], profile: Profile, region_code: str, qualified: datetime.date, story: str
) -> None:
    """Certificates every five years until 2020 and accreditation after: periodic ones are relative."""
    region = REGIONS[region_code]
    limit_days = (REFERENCE_DATE - qualified).days - 1
    if qualified < ACCREDITATION_START:
        exam = max(qualified, datetime.date(1998, 1, 1) + datetime.timedelta(days=b.rng.randint(0, 900)))
        while exam <= LAST_CERTIFICATE_DAY:
            p["certificates"].append(
                {
                    "institution_name": region.university,
                    "series": f"01{region.code}",
                    "number": f"{b.rng.randint(100000000, 999999999)}",
                    "exam_date": iso(exam),
                    "valid_years": 5,
                    "specialty": profile.specialty,
                    "higher": profile.higher,
                }
            )
            if exam != qualified:
                # A renewed certificate needed a 144-hour course shortly before the exam.
                course_day = exam - datetime.timedelta(days=b.rng.randint(20, 90))
                p["additional_education"].append(_course(b, profile, region_code, iso(course_day), 144))
            limit_days = (REFERENCE_DATE - exam).days - 1
            exam = add_years(exam, 5) - datetime.timedelta(days=b.rng.randint(10, 60))
    else:
        kind = (
            codes.ACCREDITATION_PRIMARY_SPECIALIZED
            if profile.residency or profile.retraining
            else codes.ACCREDITATION_PRIMARY
        )
        pass_day = qualified + datetime.timedelta(days=b.rng.randint(10, 40))
        p["accreditations"].append(
            _accreditation(b, profile, region_code, kind, iso(pass_day), pass_day.year)
        )
        if (REFERENCE_DATE - pass_day).days < FIVE_YEARS - 365:
            return  # the primary accreditation is still valid for more than a year
        limit_days = (REFERENCE_DATE - pass_day).days - 1
    if story == "expiring" or (story == "" and b.rng.random() < 0.2):
        days_ago = b.rng.randint(5 * 365 - 330, 5 * 365 - 20)  # valid for 20…330 more days
    else:
        days_ago = b.rng.randint(40, 4 * 365 - 30)
    days_ago = min(days_ago, limit_days)
    year_hint = (REFERENCE_DATE - datetime.timedelta(days=days_ago)).year
    p["accreditations"].append(
        _accreditation(b, profile, region_code, codes.ACCREDITATION_PERIODIC, rel(days_ago), year_hint)
    )
    # Courses of the five years before the periodic accreditation: enough hours for most, not for all.
    courses = b.rng.choice((1, 2, 3, 3, 4))
    latest = (REFERENCE_DATE - qualified).days - 1
    for _ in range(courses):
        ago = b.rng.randint(min(days_ago + 30, latest), min(days_ago + 4 * 365, latest))
        p["additional_education"].append(_course(b, profile, region_code, rel(ago)))
    # And one course after it, towards the next one.
    if days_ago > 400:
        p["additional_education"].append(
            _course(b, profile, region_code, rel(b.rng.randint(30, days_ago - 60)))
        )


def _card(
    org_key: str,
    department: str,
    position: str,
    begin: str,
    *,
    position_type: str = codes.POSITION_TYPE_MAIN,
    rate: str = "1.00",
    end: str | None = None,
    end_reason: str | None = None,
    serial: int,
) -> dict[str, Any]:
    return {
        "organization": org_key,
        "department": department,
        "position": position,
        "position_type": position_type,
        "rate": rate,
        "begin_date": begin,
        "end_date": end,
        "end_reason": end_reason,
        "contract_number": f"{serial}-ТД",
        "contract_date": begin,
        "service_number": f"{org_key}{serial:05d}",
        "absences": [],
    }


def _departments(org_key: str, profile: Profile) -> list[str]:
    org = ORGANIZATIONS_BY_KEY[org_key]
    found = [d for d in org.departments if d in profile.departments]
    if not found:
        raise ValueError(f"organization {org_key} has no department for {profile.key}")
    return found


def build_person(b: Builder, org_key: str, profile_key: str, story: str, **fixed: Any) -> dict[str, Any]:
    rng = b.rng
    org = ORGANIZATIONS_BY_KEY[org_key]
    profile = PROFILES_BY_KEY[profile_key]
    region = REGIONS[org.region]
    if "gender" in fixed:
        female = fixed["gender"] == 2
    else:
        female = rng.random() < (1.0 if story == "maternity" else profile.female_share)
    if "birth_date" in fixed:
        birth = datetime.date.fromisoformat(fixed["birth_date"])
    elif story == "young":
        birth = b.day(rng.randint(1996, 2000 if not profile.residency else 1998))
    elif story == "maternity":
        birth = b.day(rng.randint(1990, 1997))
    elif story == "award":
        birth = b.day(rng.randint(1960, 1972))
    else:
        birth = b.day(rng.randint(1962, 1998 if not profile.residency else 1995))
    last, first, patronymic = (
        (fixed["last_name"], fixed["first_name"], fixed["patronymic"])
        if "last_name" in fixed
        else b.name(female)
    )
    inn_base = f"{region.inn_prefix}{rng.randint(1, 40):02d}{rng.randint(0, 999999):06d}"
    p: dict[str, Any] = {
        "key": fixed.get("key", ""),
        "last_name": last,
        "first_name": first,
        "patronymic": patronymic,
        "gender": 2 if female else 1,
        "birth_date": iso(birth),
        "birth_place": fixed.get("birth_place") or rng.choice(region.cities),
        "snils": fixed.get("snils") or b.snils(),
        "inn": ids.person_inn(inn_base),
        "citizenship": codes.CITIZENSHIP_RF,
        "phone": fixed.get("phone") or b.phone(),
        "email": fixed.get("email") or b.email(last, first, patronymic),
        "organization": org_key,
        "documents": [fixed["passport"] if "passport" in fixed else _passport(b, org.region, birth)],
        "addresses": [
            fixed["address"]
            if "address" in fixed
            else _address(b, org.region, birth, codes.ADDRESS_REGISTRATION)
        ],
        "professional_education": [],
        "postgraduate": [],
        "additional_education": [],
        "certificates": [],
        "accreditations": [],
        "qualification_categories": [],
        "awards": [],
        "cards": [],
    }
    if rng.random() < 0.3:
        p["addresses"].append(_address(b, org.region, birth, codes.ADDRESS_ACTUAL))
    education = _education(b, profile, org.region, birth)
    p["professional_education"] = education["professional_education"]
    p["postgraduate"] = education["postgraduate"]
    p["additional_education"] = education["retraining"]
    qualified: datetime.date = education["qualified"]
    _qualification_history(b, p, profile, org.region, qualified, story)

    experience_years = (REFERENCE_DATE - qualified).days // 365
    if experience_years >= 7 and (story == "award" or rng.random() < 0.45):
        category = rng.choice(
            (codes.QUALIFICATION_HIGHEST, codes.QUALIFICATION_FIRST, codes.QUALIFICATION_SECOND)
        )
        if story == "award":
            category = codes.QUALIFICATION_HIGHEST
        p["qualification_categories"].append(
            {
                "category": category,
                "specialty": profile.specialty,
                "higher": profile.higher,
                "begin_date": rel(rng.randint(60, 4 * 365)),
                "valid_years": 5,
                "order_number": f"{rng.randint(100, 2999)}-к",
            }
        )
    if story == "award":
        kinds: tuple[str, ...] = (
            codes.AWARD_EXCELLENCE_BADGE,
            codes.AWARD_MINISTRY_CERTIFICATE,
            codes.AWARD_MINISTER_GRATITUDE,
        )
        if profile.doctor:
            kinds += (codes.AWARD_HONORED_DOCTOR,)
        p["awards"].append(
            {
                "kind": rng.choice(kinds),
                "number": f"{rng.randint(1000, 99999)}",
                "award_date": iso(b.day(rng.randint(max(qualified.year + 10, 2005), 2024))),
            }
        )

    departments = _departments(org_key, profile)
    department = rng.choice(departments)
    hired = qualified + datetime.timedelta(days=rng.randint(10, 120))
    rate = "1.00" if rng.random() < 0.85 else "0.75"
    if story in ("moved",):
        # Worked in another region's demo hospital first, then moved here.
        other = "A" if org_key != "A" else "B"
        other_dep = _departments(other, profile)[0]
        left = datetime.date(
            min(hired.year + rng.randint(4, 9), 2022), rng.randint(1, 12), rng.randint(1, 25)
        )
        p["cards"].append(
            _card(other, other_dep, profile.position, iso(hired), end=iso(left),
                  end_reason=codes.DISMISSAL_OWN_WISH, serial=b.next_serial())
        )  # fmt: skip
        hired = left + datetime.timedelta(days=rng.randint(20, 90))
    if story == "transfer":
        # Several years as a ward nurse, then promoted within the same organization: a new card.
        ward = PROFILES_BY_KEY["ward_nurse"].position
        promoted = max(hired + datetime.timedelta(days=6 * 365), datetime.date(2019, 1, 1))
        promoted = datetime.date(promoted.year, promoted.month, 1)
        p["cards"].append(
            _card(org_key, department, ward, iso(hired), end=iso(promoted - datetime.timedelta(days=1)),
                  end_reason=codes.DISMISSAL_INTERNAL_TRANSFER, serial=b.next_serial())
        )  # fmt: skip
        hired = promoted
    if story == "dismissed":
        p["cards"].append(
            _card(org_key, department, profile.position, iso(hired), rate=rate, end=rel(rng.randint(60, 200)),
                  end_reason=codes.DISMISSAL_AGREEMENT, serial=b.next_serial())
        )  # fmt: skip
    elif story == "external_part_time":
        # The main job is outside the demo organizations; here only half a rate as an external part-timer.
        p["cards"].append(
            _card(org_key, department, profile.position, rel(rng.randint(200, 900)), rate="0.50",
                  position_type=codes.POSITION_TYPE_EXTERNAL_PART_TIME, serial=b.next_serial())
        )  # fmt: skip
    else:
        main = _card(org_key, department, profile.position, iso(hired), rate=rate, serial=b.next_serial())
        if story == "maternity":
            start = rng.randint(200, 320)
            main["absences"] = [
                {"reason": codes.ABSENCE_MATERNITY, "begin_date": rel(start), "end_date": rel(start - 139)},
                {"reason": codes.ABSENCE_CHILD_CARE, "begin_date": rel(start - 140), "end_date": None},
            ]
        p["cards"].append(main)
    if story == "internal_part_time":
        p["cards"].append(
            _card(org_key, department, profile.position, rel(rng.randint(100, 600)), rate="0.25",
                  position_type=codes.POSITION_TYPE_INTERNAL_PART_TIME, serial=b.next_serial())
        )  # fmt: skip
    return p


NAMED: tuple[dict[str, Any], ...] = (
    {
        "key": "ivanova",
        "esia_oid": "1000000001",
        "org": "A",
        "profile": "district_therapist",
        "story": "expiring",
        "last_name": "Иванова",
        "first_name": "Анна",
        "patronymic": "Сергеевна",
        "gender": 2,
        "birth_date": "1985-03-14",
        "birth_place": "г. Москва",
        "snils": "11223344595",
        "phone": "+79161234501",
        "email": "ivanova.as@example.ru",
        "passport_series": "4501",
        "passport_number": "600111",
        "flat": "11",
        "house": "1",
    },
    {
        "key": "smirnova",
        "esia_oid": "1000000002",
        "org": "A",
        "profile": "ward_nurse",
        "story": "",
        "last_name": "Смирнова",
        "first_name": "Елена",
        "patronymic": "Викторовна",
        "gender": 2,
        "birth_date": "1990-07-22",
        "birth_place": "г. Москва",
        "snils": "12345678964",
        "phone": "+79161234502",
        "email": "smirnova.ev@example.ru",
        "passport_series": "4502",
        "passport_number": "600222",
        "flat": "12",
        "house": "2",
    },
    {
        "key": "lebedev",
        "esia_oid": "1000000003",
        "org": "B",
        "profile": "surgeon",
        "story": "moved",
        "last_name": "Лебедев",
        "first_name": "Максим",
        "patronymic": "Игоревич",
        "gender": 1,
        "birth_date": "1979-11-05",
        "birth_place": "г. Москва",
        "snils": "13467925891",
        "phone": "+79161234503",
        "email": "lebedev.mi@example.ru",
        "passport_series": "4503",
        "passport_number": "600333",
        "flat": "13",
        "house": "3",
    },
)


def _named_person(b: Builder, spec: dict[str, Any]) -> dict[str, Any]:
    # Passport and (for the Moscow two) address as in the ЕСИА emulator's accounts, so both agree.
    passport = {
        "type": codes.IDENTITY_DOCUMENT_RF_PASSPORT,
        "series": spec["passport_series"],
        "number": spec["passport_number"],
        "issue_date": "2015-06-15",
        "issued_by": "ГУ МВД России по г. Москве",
        "division_code": "770-001",
    }
    fixed = {k: spec[k] for k in ("key", "last_name", "first_name", "patronymic", "gender", "birth_date",
                                  "birth_place", "snils", "phone", "email")}  # fmt: skip
    fixed["passport"] = passport
    if spec["org"] == "A":
        fixed["address"] = {
            "type": codes.ADDRESS_REGISTRATION,
            "region": "77",
            "registration_date": "2015-07-01",
            "area_name": "г. Москва",
            "street_name": "ул. Примерная",
            "house": spec["house"],
            "building": "",
            "flat": spec["flat"],
        }
    person = build_person(b, spec["org"], spec["profile"], spec["story"], **fixed)
    person["esia_oid"] = spec["esia_oid"]
    return person


def _tune_named(person: dict[str, Any]) -> None:
    """Stories of the named people that the demo script walks through."""
    if person["key"] == "ivanova":
        # Her periodic accreditation ends in about five months and her courses of the last five years
        # add up to 108 hours: she needs 36 more before she can apply again.
        for item in person["accreditations"]:
            if item["kind"] == codes.ACCREDITATION_PERIODIC:
                item["pass_date"] = rel(5 * 365 - 150)
        older = [c for c in person["additional_education"] if c["doc_date"][0].isdigit()]
        person["additional_education"] = [
            *older,
            {**_ivanova_course("Диспансерное наблюдение в первичном звене", 72), "doc_date": rel(900)},
            {**_ivanova_course("Ведение пациентов с артериальной гипертензией", 36), "doc_date": rel(300)},
        ]
        person["qualification_categories"] = [
            {
                "category": codes.QUALIFICATION_FIRST,
                "specialty": "Терапия",
                "higher": True,
                "begin_date": rel(700),
                "valid_years": 5,
                "order_number": "1204-к",
            }
        ]
    if person["key"] == "smirnova":
        # Back from child-care leave a few years ago: the leave is on her card.
        card = person["cards"][-1]
        card["absences"] = [
            {"reason": codes.ABSENCE_MATERNITY, "begin_date": "2019-02-11", "end_date": "2019-06-30"},
            {"reason": codes.ABSENCE_CHILD_CARE, "begin_date": "2019-07-01", "end_date": "2021-01-31"},
        ]


def _ivanova_course(theme: str, hours: int) -> dict[str, Any]:
    return {
        "kind": codes.ADDITIONAL_EDUCATION_ADVANCED_TRAINING,
        "institution_name": REGIONS["77"].dpo,
        "theme": theme,
        "hours": hours,
        "doc_series": "",
        "doc_number": f"77{hours:03d}{len(theme):05d}",
        "doc_date": "",
        "specialty": "Терапия",
        "higher": True,
    }


def esia_account(person: dict[str, Any], oid: int) -> dict[str, Any]:
    """The ЕСИА emulator's view of a person (its users.json format)."""
    birth = datetime.date.fromisoformat(person["birth_date"])
    passport = person["documents"][0]
    address = person["addresses"][0]
    flat = f", кв. {address['flat']}" if address.get("flat") else ""
    return {
        "oid": oid,
        "last_name": person["last_name"],
        "first_name": person["first_name"],
        "middle_name": person["patronymic"],  # the emulator's record format (esia_emulator/models.py)
        "gender": "F" if person["gender"] == 2 else "M",
        "birth_date": birth.strftime("%d.%m.%Y"),
        "birth_place": person["birth_place"],
        "snils": person["snils"],
        "mobile": person["phone"],
        "email": person["email"],
        "level": "confirmed",
        "password": ESIA_DEMO_PASSWORD,
        "citizenship": "RUS",
        "note": "Медицинский работник из демо-регистра",
        "documents": [
            {
                "type": "RF_PASSPORT",
                "series": passport["series"],
                "number": passport["number"],
                "issue_date": datetime.date.fromisoformat(passport["issue_date"]).strftime("%d.%m.%Y"),
                "issue_id": passport["division_code"],
                "issued_by": passport["issued_by"],
            }
        ],
        "addresses": [
            {
                "type": "PRG",
                "region": address["area_name"],
                "city": address["area_name"].removeprefix("г. "),
                "street": address["street_name"],
                "house": address["house"],
                "flat": address["flat"],
                "address": f"{address['area_name']}, {address['street_name']}, д. {address['house']}{flat}",
            }
        ],
    }


def build() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    rng = random.Random(SEED)
    b = Builder(rng)
    named = []
    for spec in NAMED:
        b.snils_seen.add(spec["snils"])
        b.emails.add(spec["email"])
        b.phones.add(spec["phone"])
    for spec in NAMED:
        person = _named_person(b, spec)
        _tune_named(person)
        named.append(person)
    generic = []
    esia = []
    for index, (org_key, profile_key, story) in enumerate(PLAN):
        person = build_person(b, org_key, profile_key, story)
        oid = 1000000101 + index
        person["key"] = f"p{index + 1:03d}"
        person["esia_oid"] = str(oid)
        generic.append(person)
        esia.append(esia_account(person, oid))
    people = {
        "note": "Все люди, организации и номера вымышлены (демонстрационные данные ФРМР).",
        "reference_date": iso(REFERENCE_DATE),
        "seed": SEED,
        "persons": named + generic,
    }
    return people, esia


def main() -> None:
    people, esia = build()
    DATA_DIR.mkdir(exist_ok=True)
    (DATA_DIR / "people.json").write_text(
        json.dumps(people, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (DATA_DIR / "esia_users.json").write_text(
        json.dumps(esia, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"people.json: {len(people['persons'])} persons; esia_users.json: {len(esia)} accounts")


if __name__ == "__main__":
    main()
