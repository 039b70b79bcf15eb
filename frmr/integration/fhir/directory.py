"""The four resource types of the directory: their search parameters, reads, pages and history.

Views hand in the query's parameters and the token's organization and get resources back; everything
FHIR-shaped but not HTTP-shaped (which parameter filters what, how a page of rows becomes resources)
is here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from frmr.integration.fhir import history, params, resources, selectors
from frmr.integration.fhir.errors import FhirError, bad_request, not_found
from frmr.integration.fhir.params import Cursor
from frmr.registry import models as m

Query = Mapping[str, Sequence[str]]

# Parameters every search takes besides its own.
COMMON = frozenset({"_count", "_cursor", "_lastUpdated", "_format"})


@dataclass(frozen=True)
class Kind:
    name: str
    params: frozenset[str]
    scoped: Callable[[m.Organization], QuerySet[Any]]
    by_id: Callable[[str], Q]
    filters: Callable[[QuerySet[Any], Query, m.Organization], QuerySet[Any]]
    render: Callable[[list[Any], m.Organization], list[dict[str, Any]]]
    includes: frozenset[str] = field(default_factory=frozenset)
    # When set, `render` takes rows fetched as these values() instead of model objects.
    values: tuple[str, ...] | None = None

    def fetch(self, queryset: QuerySet[Any], *extra: str) -> QuerySet[Any]:
        return queryset if self.values is None else queryset.values(*self.values, *extra)


# ------------------------------------------------------------------------------------ Practitioner


def _practitioner_filters(qs: QuerySet[Any], query: Query, organization: m.Organization) -> QuerySet[Any]:
    for raw in query.get("identifier", ()):
        qs = qs.filter(selectors.practitioner_identifier_filter(params.token(raw, "identifier")))
    for name, contains in (("name", False), ("name:contains", True)):
        for raw in query.get(name, ()):
            qs = qs.filter(selectors.name_filter(raw, selectors.PERSON_NAME_FIELDS, contains=contains))
    if "family" in query:
        qs = qs.filter(last_name__istartswith=params.one(query["family"], "family"))
    if "given" in query:
        qs = qs.filter(
            selectors.name_filter(params.one(query["given"], "given"), ("first_name", "patronymic"))
        )
    if "active" in query:
        qs = qs.filter(death_date__isnull=params.boolean(query["active"], "active"))
    if "_lastUpdated" in query:
        qs = qs.filter(selectors.practitioner_updated_filter(params.last_updated(query["_lastUpdated"])))
    return qs


def _render_practitioners(
    persons: list[dict[str, Any]], organization: m.Organization
) -> list[dict[str, Any]]:
    qualifications = selectors.qualifications_of([person["pk"] for person in persons])
    return [resources.practitioner(person, qualifications.get(person["pk"], {})) for person in persons]


PRACTITIONER = Kind(
    name="Practitioner",
    params=COMMON | {"identifier", "name", "name:contains", "family", "given", "active"},
    scoped=lambda organization: selectors.practitioners(organization=organization),
    by_id=lambda resource_id: Q(oid=resource_id),
    filters=_practitioner_filters,
    render=_render_practitioners,
    values=selectors.PRACTITIONER_VALUES,
)


# -------------------------------------------------------------------------------- PractitionerRole


def _organization_id(query: Query, name: str) -> str:
    return params.reference_id(params.one(query[name], name), "Organization", name)


def _role_filters(qs: QuerySet[Any], query: Query, organization: m.Organization) -> QuerySet[Any]:
    if "organization" in query:
        wanted = _organization_id(query, "organization")
        if wanted != organization.oid:
            # As `mo` of another organization in the ФРМР API: its cards are not this token's to see.
            raise FhirError(
                403,
                "forbidden",
                f"Токен выдан организации «{organization}» (OID {organization.oid}); карточки организации "
                f"{wanted} ему не видны. Укажите organization=Organization/{organization.oid}.",
            )
    if "practitioner" in query:
        person_oid = params.reference_id(
            params.one(query["practitioner"], "practitioner"), "Practitioner", "practitioner"
        )
        qs = qs.filter(person__oid=person_oid)
    if "active" in query:
        qs = qs.filter(end_date__isnull=params.boolean(query["active"], "active"))
    if "_lastUpdated" in query:
        qs = qs.filter(selectors.updated_filter(params.last_updated(query["_lastUpdated"])))
    return qs


def _render_roles(cards: list[dict[str, Any]], organization: m.Organization) -> list[dict[str, Any]]:
    names = selectors.specialty_names(resources.specialty_codes(cards))
    return [resources.practitioner_role(card, organization=organization, specialties=names) for card in cards]


PRACTITIONER_ROLE = Kind(
    name="PractitionerRole",
    params=COMMON | {"organization", "practitioner", "active", "_include"},
    scoped=lambda organization: selectors.practitioner_roles(organization=organization),
    by_id=lambda resource_id: Q(pk=int(resource_id)) if resource_id.isdigit() else Q(pk__in=[]),
    filters=_role_filters,
    render=_render_roles,
    values=selectors.ROLE_VALUES,
    includes=frozenset({"PractitionerRole:practitioner"}),
)


# ---------------------------------------------------------------------------- Organization, Location


def _organization_filters(qs: QuerySet[Any], query: Query, organization: m.Organization) -> QuerySet[Any]:
    for raw in query.get("identifier", ()):
        qs = qs.filter(selectors.organization_identifier_filter(params.token(raw, "identifier")))
    for name, contains in (("name", False), ("name:contains", True)):
        for raw in query.get(name, ()):
            qs = qs.filter(selectors.name_filter(raw, ("name_full", "name_short"), contains=contains))
    if "active" in query:
        qs = qs.filter(is_active=params.boolean(query["active"], "active"))
    if "_lastUpdated" in query:
        qs = qs.filter(selectors.updated_filter(params.last_updated(query["_lastUpdated"])))
    return qs


ORGANIZATION = Kind(
    name="Organization",
    params=COMMON | {"identifier", "name", "name:contains", "active"},
    scoped=lambda organization: selectors.organizations(),
    by_id=lambda resource_id: Q(oid=resource_id),
    filters=_organization_filters,
    render=lambda orgs, organization: [resources.organization(org) for org in orgs],
)


def _location_filters(qs: QuerySet[Any], query: Query, organization: m.Organization) -> QuerySet[Any]:
    for raw in query.get("identifier", ()):
        qs = qs.filter(selectors.location_identifier_filter(params.token(raw, "identifier")))
    for name, contains in (("name", False), ("name:contains", True)):
        for raw in query.get(name, ()):
            qs = qs.filter(selectors.name_filter(raw, ("name",), contains=contains))
    if "organization" in query:
        qs = qs.filter(organization__oid=_organization_id(query, "organization"))
    if "status" in query:
        status = params.one(query["status"], "status")
        if status not in ("active", "inactive"):
            raise bad_request(f"status принимает active или inactive, а не «{status}».")
        qs = qs.filter(is_active=status == "active")
    if "_lastUpdated" in query:
        qs = qs.filter(selectors.updated_filter(params.last_updated(query["_lastUpdated"])))
    return qs


LOCATION = Kind(
    name="Location",
    params=COMMON | {"identifier", "name", "name:contains", "organization", "status"},
    scoped=lambda organization: selectors.locations(),
    by_id=lambda resource_id: Q(pk=int(resource_id)) if resource_id.isdigit() else Q(pk__in=[]),
    filters=_location_filters,
    render=lambda deps, organization: [
        resources.location(dep, organization=dep.organization) for dep in deps
    ],
)

KINDS: dict[str, Kind] = {
    kind.name: kind for kind in (PRACTITIONER, PRACTITIONER_ROLE, ORGANIZATION, LOCATION)
}


# ---------------------------------------------------------------------------------- Interactions


def kind_of(resource_type: str) -> Kind:
    kind = KINDS.get(resource_type)
    if kind is None:
        raise not_found(f"Ресурса {resource_type} в справочнике нет. Есть: {', '.join(KINDS)} и metadata.")
    return kind


def read(kind: Kind, resource_id: str, *, organization: m.Organization) -> dict[str, Any]:
    row = kind.fetch(kind.scoped(organization).filter(kind.by_id(resource_id))).first()
    if row is None:
        raise not_found(f"{kind.name}/{resource_id} не найден среди ресурсов, доступных токену.")
    return kind.render([row], organization)[0]


@dataclass
class SearchResult:
    matches: list[dict[str, Any]]
    included: list[dict[str, Any]]
    next: Cursor | None
    previous: Cursor | None


def _check_names(kind: Kind, query: Query, allowed: frozenset[str]) -> None:
    unknown = sorted(set(query) - allowed)
    if unknown:
        raise bad_request(
            f"{kind.name} не ищется по {', '.join(unknown)}. Параметры: {', '.join(sorted(allowed))}."
        )


def search(kind: Kind, query: Query, *, organization: m.Organization) -> SearchResult:
    _check_names(kind, query, kind.params)
    include = set(query.get("_include", ()))
    if include - kind.includes:
        raise bad_request(
            f"_include={', '.join(sorted(include - kind.includes))} не поддерживается; "
            f"можно: {', '.join(sorted(kind.includes)) or 'ничего'}."
        )
    count = params.count(query.get("_count"))
    cursor = params.cursor_decode(query["_cursor"], (int,)) if "_cursor" in query else None
    queryset = kind.fetch(kind.filters(kind.scoped(organization), query, organization))
    page = selectors.keyset_page(queryset, selectors.BY_ID, count=count, cursor=cursor)
    matches = kind.render(page.rows, organization)
    included: list[dict[str, Any]] = []
    if include:
        # PractitionerRole:practitioner: four more queries for the whole page (persons, diplomas,
        # certificates, accreditations).
        person_ids = list(dict.fromkeys(card["person_id"] for card in page.rows))
        included = _render_practitioners(list(selectors.practitioners_by_ids(person_ids)), organization)
    return SearchResult(matches, included, page.next, page.previous)


def _value(row: Any, name: str) -> Any:
    return row[name] if isinstance(row, dict) else getattr(row, name)


@dataclass
class HistoryResult:
    entries: list[tuple[dict[str, Any], int, datetime.datetime]]  # resource, row version, change time
    next: Cursor | None
    previous: Cursor | None


def type_history(kind: Kind, query: Query, *, organization: m.Organization) -> HistoryResult:
    _check_names(kind, query, frozenset({"_since", "_count", "_cursor", "_format"}))
    since = params.since(query["_since"]) if "_since" in query else None
    count = params.count(query.get("_count"))
    cursor = params.cursor_decode(query["_cursor"], (datetime.datetime, int)) if "_cursor" in query else None
    queryset = history.history_queryset(kind.name, organization=organization, since=since)
    queryset = kind.fetch(queryset, "fhir_updated")
    page = selectors.keyset_page(queryset, history.HISTORY_ORDER, count=count, cursor=cursor)
    rendered = kind.render(page.rows, organization)
    entries = [
        (res, _value(row, "version"), _value(row, "fhir_updated"))
        for res, row in zip(rendered, page.rows, strict=True)
    ]
    return HistoryResult(entries, page.next, page.previous)
