"""Synthetic accreditation applications over a generated register: `manage.py generate_applications`.

A year of the centre's work for its benchmarks (bench/fac/): each application belongs to a person of
the register without one (and gets a login linked to that person), is sent on a day of the last
`days` days, and has gone through the steps its age allows — registration after a few days (or a
refusal, a return for revision, a withdrawal), the commission, the decision — so that about the last
six weeks are still in work, some of them past their deadline. Deadlines are the working-day ones the
services set; registration numbers follow the counters, which are moved past the numbers used. The
applicant's snapshot (name, СНИЛС, region) is filled as sending fills it, and the name words go into
the lexicon. No documents (no files) and no register entries for the positive decisions are made.

Rows are written with COPY on PostgreSQL (psycopg 3), `bulk_create` elsewhere, one batch per
transaction; the content depends only on `--seed` and the persons chosen.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from frmr.accounts.models import User
from frmr.accreditation.calendar import add_working_days
from frmr.accreditation.models import (
    ApplicantNameWord,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    RegistrationCounter,
)
from frmr.accreditation.numbering import KIND_ABBREVIATIONS
from frmr.core.names import lexicon_add, name_words
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry
from frmr.registry.models import AccreditationRecord, Address, EmploymentCard, Person

S = ApplicationStatus
# Shares of the kinds (code → weight): most applicants are practising specialists.
KIND_WEIGHTS = {"3": 70, "1": 20, "2": 10}

APPLICATION_COLUMNS = (
    "id",
    "person_id",
    "applicant_id",
    "contact_phone",
    "contact_email",
    "specialty_id",
    "accreditation_kind_id",
    "comment",
    "consent",
    "consent_at",
    "status",
    "status_reason",
    "rows_to_fix",
    "registration_number",
    "submitted_at",
    "registered_at",
    "returned_at",
    "passed_to_commission_at",
    "decided_at",
    "check_deadline",
    "commission_deadline",
    "protocol_number",
    "protocol_date",
    "created_at",
    "updated_at",
    "applicant_name",
    "applicant_snils",
    "name_words",
    "region_id",
)
EVENT_COLUMNS = ("application_id", "from_status", "to_status", "actor_id", "reason", "rows", "at")
USER_COLUMNS = (
    "id",
    "password",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "snils",
    "patronymic",
    "person_id",
)


@dataclass
class Stats:
    applications: int = 0
    rows: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        return max(time.monotonic() - self.started, 1e-9)


@lru_cache(maxsize=4096)
def _working_deadline(day: datetime.date, days: int) -> datetime.date:
    return add_working_days(day, days)


def _column(model: type[models.Model], attname: str) -> str:
    return str(model._meta.get_field(attname.removesuffix("_id")).column)  # type: ignore[union-attr]


def _copy(model: type[models.Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    if connection.vendor != "postgresql":
        # The rows carry JSON columns as text, as COPY takes them; the ORM wants the values.
        json_columns = {
            name
            for name in columns
            if isinstance(model._meta.get_field(name.removesuffix("_id")), models.JSONField)
        }
        model._default_manager.bulk_create(
            [
                model(
                    **{
                        name: json.loads(value) if name in json_columns else value
                        for name, value in zip(columns, row, strict=True)
                    }
                )
                for row in rows
            ],
            batch_size=500,
        )
        return
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(model._meta.db_table),
        sql.SQL(", ").join(sql.Identifier(_column(model, name)) for name in columns),
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]
    top = model._default_manager.aggregate(top=Max("id"))["top"] or 0
    return list(range(top + 1, top + 1 + count))


class Maker:
    """Builds the rows of one application: its steps as far as its age allows."""

    def __init__(self, *, seed: int, days: int, now: datetime.datetime) -> None:
        self.rng = random.Random(seed)
        self.days = days
        self.now = now
        self.today = timezone.localdate(now)
        self.kinds = {
            code: DictionaryEntry.objects.get(dictionary=oids.ACCREDITATION_KINDS, code=code).pk
            for code in KIND_WEIGHTS
        }
        self.kind_pool = [code for code, weight in KIND_WEIGHTS.items() for _ in range(weight)]
        self.counters = {
            (c.year, c.series): c.last_number
            for c in RegistrationCounter.objects.filter(series__in=list(KIND_ABBREVIATIONS))
        }

    def _number(self, year: int, kind: str) -> str:
        last = self.counters.get((year, kind), 0) + 1
        self.counters[(year, kind)] = last
        return f"{year}-{KIND_ABBREVIATIONS[kind]}-{last:06d}"

    def make(
        self, *, pk: int, person: dict[str, Any], user_id: int, specialty_id: int
    ) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
        rnd = self.rng.random
        now = self.now
        sent = now - datetime.timedelta(seconds=int(rnd() * self.days * 86400))
        kind = self.kind_pool[int(rnd() * len(self.kind_pool))]
        sent_day = timezone.localdate(sent)
        app: dict[str, Any] = {
            "status": S.SUBMITTED,
            "status_reason": "",
            "rows_to_fix": [],
            "registration_number": None,
            "registered_at": None,
            "returned_at": None,
            "passed_to_commission_at": None,
            "decided_at": None,
            "commission_deadline": None,
            "protocol_number": "",
            "protocol_date": None,
            "check_deadline": _working_deadline(sent_day, 20),
        }
        events: list[tuple[Any, ...]] = [(pk, S.DRAFT, S.SUBMITTED, user_id, "", "[]", sent)]
        last = sent

        def step(to: str, at: datetime.datetime, reason: str = "", actor: int | None = None) -> bool:
            nonlocal last
            if at > now:
                return False
            events.append((pk, app["status"], to, actor, reason, "[]", at))
            app["status"] = to
            last = at
            return True

        # The centre takes 1–30 days (sometimes past its 20 working days), and decides how.
        checked = sent + datetime.timedelta(hours=6 + rnd() * 24 * 30)
        fate = rnd()
        if fate < 0.03:
            step(S.WITHDRAWN, sent + datetime.timedelta(hours=1 + rnd() * 48))
        elif fate < 0.07:
            if step(S.REFUSED_REGISTRATION, checked, "Документы принадлежат другому лицу."):
                app["status_reason"] = "Документы принадлежат другому лицу."
        elif step(S.REGISTERED, checked):
            app["registered_at"] = checked
            app["registration_number"] = self._number(timezone.localdate(checked).year, kind)
            at = checked + datetime.timedelta(hours=6 + rnd() * 24 * 14)
            if rnd() < 0.08 and step(S.RETURNED, at, "Скан паспорта нечитаем."):
                app["returned_at"] = at
                app["status_reason"] = "Скан паспорта нечитаем."
                app["rows_to_fix"] = ["passport:0"]
                back = at + datetime.timedelta(hours=12 + rnd() * 24 * 10)
                if not step(S.REGISTERED, back, actor=user_id):
                    return self._rows(pk, person, user_id, specialty_id, kind, sent, last, app), events
                app["status_reason"] = ""
                app["rows_to_fix"] = []
                app["check_deadline"] = _working_deadline(timezone.localdate(back), 20)
                at = back + datetime.timedelta(hours=6 + rnd() * 24 * 7)
            if step(S.AT_COMMISSION, at):
                app["passed_to_commission_at"] = at
                app["commission_deadline"] = _working_deadline(timezone.localdate(at), 15)
                decided = at + datetime.timedelta(hours=24 + rnd() * 24 * 24)
                accredited = rnd() < 0.92
                reason = "" if accredited else "Не пройден этап тестирования."
                if step(S.ACCREDITED if accredited else S.NOT_ACCREDITED, decided, reason):
                    app["decided_at"] = decided
                    app["protocol_date"] = timezone.localdate(decided)
                    app["protocol_number"] = f"{1 + int(rnd() * 400)}/{decided.year % 100:02d}"
                    app["status_reason"] = reason
        return self._rows(pk, person, user_id, specialty_id, kind, sent, last, app), events

    def _rows(
        self,
        pk: int,
        person: dict[str, Any],
        user_id: int,
        specialty_id: int,
        kind: str,
        sent: datetime.datetime,
        last: datetime.datetime,
        app: dict[str, Any],
    ) -> tuple[Any, ...]:
        name = " ".join(p for p in (person["last_name"], person["first_name"], person["patronymic"]) if p)
        values = {
            "id": pk,
            "person_id": person["id"],
            "applicant_id": user_id,
            "contact_phone": "",
            "contact_email": f"applicant{pk}@example.ru",
            "specialty_id": specialty_id,
            "accreditation_kind_id": self.kinds[kind],
            "comment": "",
            "consent": True,
            "consent_at": sent,
            "submitted_at": sent,
            "created_at": sent - datetime.timedelta(hours=1),
            "updated_at": last,
            "applicant_name": name,
            "applicant_snils": person["snils"],
            "name_words": json.dumps(name_words(name), ensure_ascii=False),
            "region_id": person["employer_region"] or person["address_region"],
            **app,
        }
        values["rows_to_fix"] = json.dumps(values["rows_to_fix"])
        return tuple(values[column] for column in APPLICATION_COLUMNS)


def _first_by_person(queryset: Any, value: str) -> dict[int, Any]:
    first: dict[int, Any] = {}
    for person_id, found in queryset.values_list("person_id", value):
        first.setdefault(person_id, found)
    return first


def _candidates(after_id: int, count: int) -> tuple[list[dict[str, Any]], int]:
    """Persons after `after_id` with neither an application nor a login, with what the snapshot needs;
    and the last person id looked at. A few set queries per batch rather than subqueries per row."""
    persons = list(
        Person.objects.filter(pk__gt=after_id)
        .order_by("pk")
        .values("id", "snils", "last_name", "first_name", "patronymic")[:count]
    )
    if not persons:
        return [], after_id
    ids = [person["id"] for person in persons]
    taken = set(Application.objects.filter(person_id__in=ids).values_list("person_id", flat=True))
    taken |= set(User.objects.filter(person_id__in=ids).values_list("person_id", flat=True))
    employer = _first_by_person(
        EmploymentCard.objects.filter(person_id__in=ids, end_date__isnull=True).order_by(
            "person_id", "-begin_date", "-pk"
        ),
        "organization__region_id",
    )
    address = _first_by_person(
        Address.objects.filter(person_id__in=ids).order_by("person_id", "pk"), "region_id"
    )
    specialty = _first_by_person(
        AccreditationRecord.objects.filter(person_id__in=ids).order_by("person_id", "-pass_date"),
        "specialty_id",
    )
    kept = []
    for person in persons:
        if person["id"] in taken:
            continue
        pid = person["id"]
        kept.append(
            {
                **person,
                "employer_region": employer.get(pid),
                "address_region": address.get(pid),
                "specialty": specialty.get(pid),
            }
        )
    return kept, ids[-1]


def generate_applications(
    *,
    applications: int,
    seed: int = 1,
    days: int = 365,
    batch: int = 10_000,
    progress: Callable[[Stats], None] | None = None,
) -> Stats:
    """Add `applications` synthetic applications (see the module docstring); stops early when the
    register has no more persons without one."""
    if applications < 1 or days < 1 or batch < 1:
        raise ValueError("applications, days and batch must be positive")
    now = timezone.now()
    maker = Maker(seed=seed, days=days, now=now)
    fallback_specialties = list(
        AccreditationRecord.objects.values_list("specialty_id", flat=True).distinct()[:50]
    ) or list(DictionaryEntry.objects.filter(dictionary=oids.SPECIALTIES).values_list("pk", flat=True)[:50])
    stats = Stats()
    after_id = 0
    while stats.applications < applications:
        persons, last_seen = _candidates(after_id, min(batch, applications - stats.applications))
        if last_seen == after_id:
            break
        after_id = last_seen
        if not persons:
            continue
        with transaction.atomic():
            user_ids = _reserve_ids(User, len(persons))
            app_ids = _reserve_ids(Application, len(persons))
            users, apps, events = [], [], []
            words: set[str] = set()
            for person, user_id, pk in zip(persons, user_ids, app_ids, strict=True):
                users.append(
                    (
                        user_id,
                        "!",  # no usable password: applicants log in through ЕСИА
                        False,
                        f"applicant-{person['snils']}",
                        person["first_name"],
                        person["last_name"],
                        "",
                        False,
                        True,
                        now,
                        person["snils"],
                        person["patronymic"],
                        person["id"],
                    )
                )
                specialty = person["specialty"] or fallback_specialties[pk % len(fallback_specialties)]
                row, own_events = maker.make(pk=pk, person=person, user_id=user_id, specialty_id=specialty)
                apps.append(row)
                events += own_events
                words.update(json.loads(row[APPLICATION_COLUMNS.index("name_words")]))
                status = row[APPLICATION_COLUMNS.index("status")]
                stats.by_status[status] = stats.by_status.get(status, 0) + 1
            _copy(User, USER_COLUMNS, users)
            _copy(Application, APPLICATION_COLUMNS, apps)
            _copy(ApplicationEvent, EVENT_COLUMNS, events)
            lexicon_add(ApplicantNameWord, words)
        stats.applications += len(apps)
        stats.rows += len(users) + len(apps) + len(events)
        if progress:
            progress(stats)
    _counters_catch_up(maker.counters)
    return stats


def _counters_catch_up(counters: dict[tuple[int, str], int]) -> None:
    """Move the registration counters past the numbers used, so the services never hand one out twice."""
    with transaction.atomic():
        for (year, series), last in counters.items():
            counter, _ = RegistrationCounter.objects.select_for_update().get_or_create(
                year=year, series=series
            )
            if counter.last_number < last:
                counter.last_number = last
                counter.save(update_fields=["last_number"])
