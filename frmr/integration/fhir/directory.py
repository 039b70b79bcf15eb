"""The four resource types of the directory: their search parameters, reads, pages and history.

Views hand in the query's parameters and the token's organization and get resources back; everything
FHIR-shaped but not HTTP-shaped (which parameter filters what, how a page of rows becomes resources)
is here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

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
                _(
                    "Токен выдан организации «%(organization)s» (OID %(oid)s); карточки организации "
                    "%(wanted)s ему не видны. Укажите organization=Organization/%(oid)s."
                )
                % {"organization": organization, "oid": organization.oid, "wanted": wanted},
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
            raise bad_request(
                _("status принимает active или inactive, а не «%(status)s».") % {"status": status}
            )
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
        raise not_found(
            _("Ресурса %(resource_type)s в справочнике нет. Есть: %(resources)s и metadata.")
            % {"resource_type": resource_type, "resources": ", ".join(KINDS)}
        )
    return kind


def read(kind: Kind, resource_id: str, *, organization: m.Organization) -> dict[str, Any]:
    row = kind.fetch(kind.scoped(organization).filter(kind.by_id(resource_id))).first()
    if row is None:
        raise not_found(
            _("%(name)s/%(resource_id)s не найден среди ресурсов, доступных токену.")
            % {"name": kind.name, "resource_id": resource_id}
        )
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
            _("%(name)s не ищется по %(unknown)s. Параметры: %(allowed)s.")
            % {"name": kind.name, "unknown": ", ".join(unknown), "allowed": ", ".join(sorted(allowed))}
        )


def search(kind: Kind, query: Query, *, organization: m.Organization) -> SearchResult:
    _check_names(kind, query, kind.params)
    include = set(query.get("_include", ()))
    if include - kind.includes:
        raise bad_request(
            _("_include=%(unsupported)s не поддерживается; можно: %(supported)s.")
            % {
                "unsupported": ", ".join(sorted(include - kind.includes)),
                "supported": ", ".join(sorted(kind.includes)) or _("ничего"),
            }
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
    entries: list[history.HistoryEntry]
    next: Cursor | None
    previous: Cursor | None


def _current(kind: Kind, keys: set[int], organization: m.Organization) -> dict[int, dict[str, Any]]:
    """The current state of the page's resources the token still sees, by their row's key."""
    if not keys:
        return {}
    rows = list(kind.fetch(kind.scoped(organization).filter(pk__in=sorted(keys))))
    rendered = kind.render(rows, organization)
    return {_value(row, "pk"): res for row, res in zip(rows, rendered, strict=True)}


def _resource_id(kind: Kind, event: dict[str, Any], current: dict[str, Any] | None) -> str | None:
    if kind is PRACTITIONER:
        return str(event["person_oid"])  # kept in the event after the person is deleted
    if kind is ORGANIZATION:
        # An Organization's id is its OID, known from the row only; an organization is deleted only
        # together with its tokens, so no token reads the history of its own deletion.
        return str(current["id"]) if current is not None else None
    return str(event["entity_id"])


def type_history(kind: Kind, query: Query, *, organization: m.Organization) -> HistoryResult:
    """A page of the organization's change-log events for `kind`, newest first (history.py): the event
    page, then the page's resources that still exist, in the queries of a search page."""
    _check_names(kind, query, frozenset({"_since", "_count", "_cursor", "_format"}))
    since = params.since(query["_since"]) if "_since" in query else None
    count = params.count(query.get("_count"))
    cursor = params.cursor_decode(query["_cursor"], history.CURSOR_SHAPE) if "_cursor" in query else None
    events = history.history_events(kind.name, organization=organization, since=since)
    page = selectors.keyset_page(events, history.HISTORY_ORDER, count=count, cursor=cursor)
    current = _current(
        kind,
        {
            history.resource_key(kind.name, event)
            for event in page.rows
            if history.history_method(kind.name, event)[0] != "DELETE"
        },
        organization,
    )
    entries = []
    for event in page.rows:
        method, status = history.history_method(kind.name, event)
        resource = None if method == "DELETE" else current.get(history.resource_key(kind.name, event))
        resource_id = _resource_id(kind, event, resource)
        if resource_id is not None:
            entries.append(
                history.HistoryEntry(kind.name, resource_id, method, status, event["at"], resource)
            )
    return HistoryResult(entries, page.next, history.history_previous(page, cursor))
