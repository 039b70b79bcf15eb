"""The directory's reads: what a token may see of each resource type, its search filters, and keyset
pages. The scope is the ФРМР API's (frmr.registry.selectors): persons visible to the token's
organization, and only that organization's own employment cards. Organizations and their departments
are ФРМО's public facts and are listed whole.

Each search page is a fixed number of queries whatever `_count` (docs/fhir.md, «Запросы к базе»).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest

from frmr.core.validators import normalize_snils
from frmr.integration.fhir import systems
from frmr.integration.fhir.params import Bound, Cursor, Token
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry
from frmr.registry import models as m
from frmr.registry.selectors import cards_of_organization, persons_visible_to_organization

# ---------------------------------------------------------------------------------- Keyset paging


@dataclass(frozen=True)
class Keyset:
    """The order a listing pages in: `fields` (the last one unique), all ascending or all descending."""

    fields: tuple[str, ...]
    descending: bool = False

    def key_of(self, row: Any) -> tuple[Any, ...]:
        if isinstance(row, dict):  # a page fetched as values()
            return tuple(row[name] for name in self.fields)
        return tuple(getattr(row, name) for name in self.fields)

    def beyond(self, key: Sequence[Any], *, later: bool) -> Q:
        """Rows after `key` in this order (`later`) or before it, as (a, b) > (x, y) spelled out."""
        greater = later != self.descending
        op = "gt" if greater else "lt"
        condition = Q()
        for i, name in enumerate(self.fields):
            step = Q(**{f"{name}__{op}": key[i]})
            for prior, value in zip(self.fields[:i], key[:i], strict=True):
                step &= Q(**{prior: value})
            condition |= step
        return condition

    def order(self, *, reverse: bool) -> list[str]:
        down = self.descending != reverse
        return [f"-{name}" if down else name for name in self.fields]


BY_ID = Keyset(("pk",))


@dataclass
class Page:
    rows: list[Any]
    next: Cursor | None
    previous: Cursor | None


def keyset_page(queryset: QuerySet[Any], keyset: Keyset, *, count: int, cursor: Cursor | None) -> Page:
    """One page in one query: `count + 1` rows tell whether there is a page further on.

    A page is found by the sort key of the row before it (WHERE key > last), never by OFFSET, so a deep
    page costs what the first one does.
    """
    backward = cursor is not None and not cursor.forward
    rows_qs = queryset
    if cursor is not None:
        rows_qs = rows_qs.filter(keyset.beyond(cursor.key, later=cursor.forward))
    rows = list(rows_qs.order_by(*keyset.order(reverse=backward))[: count + 1])
    more = len(rows) > count
    rows = rows[:count]
    if backward:
        rows.reverse()
    if not rows:
        return Page(rows, None, None)
    first, last = keyset.key_of(rows[0]), keyset.key_of(rows[-1])
    # Going forward, a page reached through a cursor has one before it; going back, one after it.
    has_next = more if not backward else True
    has_previous = (cursor is not None) if not backward else more
    return Page(
        rows,
        Cursor(True, last) if has_next else None,
        Cursor(False, first) if has_previous else None,
    )


# ----------------------------------------------------------------------------- _lastUpdated filters


def updated_filter(bounds: Sequence[Bound], field: str = "updated_at") -> Q:
    condition = Q()
    for bound in bounds:
        condition &= Q(**{f"{field}__{'gte' if bound.at_least else 'lt'}": bound.instant})
    return condition


# Practitioner's time is the latest of the person's row and of its qualification rows.
_QUALIFICATION_MODELS: tuple[type[m.PersonSection], ...] = (
    m.ProfessionalEducation,
    m.SpecialistCertificate,
    m.AccreditationRecord,
)


def practitioner_updated_filter(bounds: Sequence[Bound]) -> Q:
    """max(person, qualifications) ≥ t ⇔ any of them ≥ t; max < t ⇔ every one of them < t."""
    condition = Q()
    for bound in bounds:
        later = [
            Exists(model._default_manager.filter(person=OuterRef("pk"), updated_at__gte=bound.instant))
            for model in _QUALIFICATION_MODELS
        ]
        if bound.at_least:
            either = Q(updated_at__gte=bound.instant)
            for exists in later:
                either |= Q(exists)
            condition &= either
        else:
            every = Q(updated_at__lt=bound.instant)
            for exists in later:
                every &= ~Q(exists)
            condition &= every
    return condition


def practitioner_updated_expression() -> Greatest:
    """The same time as one SQL value, for ordering a history."""
    latest = [
        Coalesce(
            model._default_manager.filter(person=OuterRef("pk"))
            .values("person")
            .annotate(t=Max("updated_at"))
            .values("t")[:1],
            "updated_at",
        )
        for model in _QUALIFICATION_MODELS
    ]
    return Greatest("updated_at", *latest)


# ------------------------------------------------------------------------------------ Practitioner


# The person's values a Practitioner shows (the rest of the personal file is not in the directory).
PRACTITIONER_VALUES = (
    "pk",
    "oid",
    "snils",
    "last_name",
    "first_name",
    "patronymic",
    "gender",
    "birth_date",
    "death_date",
    "updated_at",
    "version",
)

# Each qualification section: its model and the values resources.practitioner_qualifications reads.
QUALIFICATION_VALUES: dict[str, tuple[type[Any], tuple[str, ...]]] = {
    "professional_education": (
        m.ProfessionalEducation,
        ("doc_series", "doc_number", "doc_date", "specialty_name"),
    ),
    "certificates": (m.SpecialistCertificate, ("series", "number", "exam_date", "pass_date", "end_date")),
    "accreditations": (
        m.AccreditationRecord,
        ("registry_number", "pass_date", "end_date", "passed", "kind__name"),
    ),
}
_SECTION_COMMON = ("person_id", "institution_name", "specialty__code", "specialty__name", "updated_at")


def practitioners(*, organization: m.Organization) -> QuerySet[m.Person]:
    return persons_visible_to_organization(organization=organization)


def practitioners_by_ids(person_ids: Sequence[int]) -> QuerySet[Any]:
    """The persons of a page of roles, for `_include` (the roles' scope already holds for them)."""
    persons: QuerySet[Any] = m.Person.objects.filter(pk__in=person_ids).values(*PRACTITIONER_VALUES)
    return persons


def qualifications_of(person_ids: Sequence[int]) -> dict[int, dict[str, list[dict[str, Any]]]]:
    """Diplomas, certificates and accreditations of the persons: three queries for any number."""
    found: dict[int, dict[str, list[dict[str, Any]]]] = {}
    if not person_ids:
        return found
    for section, (model, names) in QUALIFICATION_VALUES.items():
        rows = model._default_manager.filter(person_id__in=person_ids).values(*_SECTION_COMMON, *names)
        for row in rows:
            found.setdefault(row["person_id"], {}).setdefault(section, []).append(row)
    return found


def practitioner_identifier_filter(tok: Token) -> Q:
    if tok.system == systems.SNILS:
        return Q(snils=normalize_snils(tok.value))
    if tok.system == systems.REGISTER_NUMBER:
        return Q(oid=tok.value)
    if tok.system is None:
        return Q(snils=normalize_snils(tok.value)) | Q(oid=tok.value)
    return Q(pk__in=[])  # a system the register does not issue identifiers in: no match


def name_filter(value: str, fields: Sequence[str], *, contains: bool = False) -> Q:
    """FHIR string search: starts with the value, any case (`:contains` — anywhere)."""
    lookup = "icontains" if contains else "istartswith"
    # SQLite folds the case of ASCII letters only: there the usual spellings of the word are tried.
    variants = {value} if connection.vendor != "sqlite" else {value, value.lower(), value.capitalize()}
    condition = Q()
    for name in fields:
        for variant in variants:
            condition |= Q(**{f"{name}__{lookup}": variant})
    return condition


PERSON_NAME_FIELDS = ("last_name", "first_name", "patronymic")


# -------------------------------------------------------------------------------- PractitionerRole


# What resources.practitioner_role reads: a page is fetched as these values, not as model objects.
ROLE_VALUES = (
    "pk",
    "begin_date",
    "end_date",
    "fed_position_code",
    "fed_position_name",
    "updated_at",
    "version",
    "person_id",
    "person__oid",
    "person__last_name",
    "person__first_name",
    "person__patronymic",
    "department_id",
    "department__name",
    "position__code",
    "position__name",
    "position__attrs",
    "position_type__code",
    "position_type__name",
)


def practitioner_roles(*, organization: m.Organization) -> QuerySet[m.EmploymentCard]:
    """The organization's own cards (another organization's cards are not its to see, as in the API)."""
    return cards_of_organization(organization=organization).order_by()


def specialty_names(codes: set[str]) -> dict[str, str]:
    """One query: the names of the specialty codes a page's positions admit."""
    if not codes:
        return {}
    entries = DictionaryEntry.objects.filter(dictionary=oids.SPECIALTIES, code__in=sorted(codes))
    return dict(entries.values_list("code", "name"))


# ---------------------------------------------------------------------------- Organization, Location


def organizations() -> QuerySet[m.Organization]:
    return m.Organization.objects.order_by()


def organization_identifier_filter(tok: Token) -> Q:
    oid = tok.value.removeprefix("urn:oid:")
    if tok.system == systems.URI:
        return Q(oid=oid)
    if tok.system == systems.OGRN:
        return Q(ogrn=tok.value)
    if tok.system == systems.INN_LEGAL:
        return Q(inn=tok.value)
    if tok.system is None:
        return Q(oid=oid) | Q(ogrn=tok.value) | Q(inn=tok.value)
    return Q(pk__in=[])


def locations() -> QuerySet[m.Department]:
    return m.Department.objects.select_related("organization").order_by()


def location_identifier_filter(tok: Token) -> Q:
    if tok.system in (None, systems.URI):
        return Q(oid=tok.value.removeprefix("urn:oid:"))
    return Q(pk__in=[])
