"""`<Type>/_history`: the token's organization's change log, as FHIR history entries (docs/fhir.md,
«История»).

Each event of the organization's feed (frmr/changes/) whose record a resource type is built from is one
entry: created → POST, deleted → DELETE (an entry without a resource), anything else → PUT. The rows
are the feed's — the same organization, the same publication line (`published`), the same
`(xid, position)` order — read the other way round, newest first, as FHIR orders a history. A page is
found by the key of the row before it, so a walk through `next` links (to older entries) reads a set
that no longer changes: it never skips or repeats an entry while writers commit. The way forward in
time is the first page's `previous` link, which a history always carries (see `history_previous`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from frmr.changes.models import ChangeKind
from frmr.changes.selectors import organization_events, published
from frmr.integration.fhir import selectors
from frmr.integration.fhir.params import Cursor
from frmr.registry import models as m

# Newest first: the feed's order reversed.
HISTORY_ORDER = selectors.Keyset(("xid", "position"), descending=True)
CURSOR_SHAPE = (int, int)

# The records each resource type is built from; the first one is the resource's own record, whose
# creation and deletion are the resource's. Practitioner.qualification comes from the three sections.
SOURCES: dict[str, tuple[str, ...]] = {
    "Practitioner": (
        m.Person._meta.label_lower,
        m.ProfessionalEducation._meta.label_lower,
        m.SpecialistCertificate._meta.label_lower,
        m.AccreditationRecord._meta.label_lower,
    ),
    "PractitionerRole": (m.EmploymentCard._meta.label_lower,),
    "Organization": (m.Organization._meta.label_lower,),
    "Location": (m.Department._meta.label_lower,),
}

EVENT_VALUES = ("xid", "position", "at", "entity_type", "entity_id", "person_id", "person_oid", "kind")

_RESPONSE = {"POST": "201 Created", "PUT": "200 OK", "DELETE": "204 No Content"}


def history_events(
    resource_type: str, *, organization: m.Organization, since: datetime.datetime | None
) -> QuerySet[Any]:
    """The published events of the organization's feed that change a `resource_type`, at or after
    `since`, as values of EVENT_VALUES."""
    rows = organization_events(organization.pk).filter(entity_type__in=SOURCES[resource_type])
    if since is not None:
        rows = rows.filter(at__gte=since)
    return published(rows).values(*EVENT_VALUES)


def resource_key(resource_type: str, event: dict[str, Any]) -> int:
    """The primary key of the row the resource is read from (a Practitioner is its person's)."""
    return int(event["person_id"]) if resource_type == "Practitioner" else int(event["entity_id"])


def history_method(resource_type: str, event: dict[str, Any]) -> tuple[str, str]:
    """The request method and response status an event reports."""
    own = event["entity_type"] == SOURCES[resource_type][0]
    if own and event["kind"] == ChangeKind.CREATED:
        method = "POST"
    elif own and event["kind"] == ChangeKind.DELETED:
        method = "DELETE"
    else:  # the record changed, or one of the sections it is built from did (any of the three kinds)
        method = "PUT"
    return method, _RESPONSE[method]


@dataclass(frozen=True)
class HistoryEntry:
    resource_type: str
    resource_id: str
    method: str
    status: str
    at: datetime.datetime
    # The resource's current state; None for a deletion, and for an entry of a resource deleted since.
    resource: dict[str, Any] | None


def history_previous(page: selectors.Page, cursor: Cursor | None) -> Cursor | None:
    """The `previous` link of a history page: the entries newer than its first one.

    Unlike a search, a history has one even on its first page and on an empty page: a client that keeps
    a copy follows it later to read what was published since, without relying on `_since` (an event's
    time is taken when it is written, and its transaction may commit later than a later event's). On
    an empty first page nothing matching is published yet, so every matching entry is newer: the key
    (-1, 0) is below every row's.
    """
    if page.rows:
        return Cursor(False, HISTORY_ORDER.key_of(page.rows[0]))
    return Cursor(False, cursor.key) if cursor is not None else Cursor(False, (-1, 0))
