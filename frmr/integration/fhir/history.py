"""`<Type>/_history`: what changed since a moment, newest first (docs/fhir.md, «История»).

For now the history is read from the rows' own `updated_at` and `version`: each resource appears once,
in its current state, with POST when it is still in its first version and PUT otherwise. Deletions are
not seen, and a row written by a transaction that committed after a reader's `_since` moment but was
stamped earlier can be missed. The register's transactional change log (issue 15, item 1) removes both
limits; when it lands, `history_queryset` is the one function to replace — the views, the Bundle and the
paging do not change.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import F, QuerySet

from frmr.integration.fhir import selectors
from frmr.registry import models as m

# Newest first, as FHIR orders a history; the primary key breaks ties of equal times.
HISTORY_ORDER = selectors.Keyset(("fhir_updated", "pk"), descending=True)


def history_queryset(
    resource_type: str, *, organization: m.Organization, since: datetime.datetime | None
) -> QuerySet[Any]:
    """The resources of `resource_type` the token may see that changed at or after `since`, each with
    the time of its last change as `fhir_updated`."""
    queryset: QuerySet[Any]
    if resource_type == "Practitioner":
        persons = selectors.practitioners(organization=organization)
        queryset = persons.annotate(fhir_updated=selectors.practitioner_updated_expression())
    elif resource_type == "PractitionerRole":
        queryset = selectors.practitioner_roles(organization=organization).annotate(
            fhir_updated=F("updated_at")
        )
    elif resource_type == "Organization":
        queryset = selectors.organizations().annotate(fhir_updated=F("updated_at"))
    elif resource_type == "Location":
        queryset = selectors.locations().annotate(fhir_updated=F("updated_at"))
    else:
        raise ValueError(resource_type)
    if since is not None:
        queryset = queryset.filter(fhir_updated__gte=since)
    return queryset


def history_method(version: int) -> tuple[str, str]:
    """The request and response status a history entry reports for a row in `version`."""
    return ("POST", "201 Created") if version <= 1 else ("PUT", "200 OK")
