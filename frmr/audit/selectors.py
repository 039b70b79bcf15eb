"""Reading the audit log, scoped to who reads it (docs/audit.md, «Who sees which entries»)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from frmr.audit.models import AuditEntry

if TYPE_CHECKING:
    from frmr.registry.models import Organization, Person

# Records that belong to one organization only: its employment cards and their periods of absence. The
# card services act only for the card's own organization, so such an entry always names it.
ORGANIZATION_OWN_TYPES = frozenset({"registry.employmentcard", "registry.absence"})
CORRECTION_TYPE = "corrections.correctionrequest"


@cache
def personal_file_types() -> frozenset[str]:
    """The person's record and every section of the file: what any organization that sees the file sees."""
    from frmr.registry.models import Person
    from frmr.registry.models.sections import PersonSection

    sections = (
        model._meta.label_lower
        for model in apps.get_app_config("registry").get_models()
        if issubclass(model, PersonSection)
    )
    return frozenset({Person._meta.label_lower, *sections})


def audit_for_person(*, person: Person) -> QuerySet[AuditEntry]:
    """Everything recorded about one personal file, newest first, in one query however long.

    Unscoped: for administrators and the code itself. A page for anybody else reads through a scoped
    selector below.
    """
    return (
        AuditEntry.objects.filter(person=person)
        .select_related("actor", "organization")
        .order_by("-at", "-id")
    )


def audit_for_person_seen_by_organization(
    *, person: Person, organization: Organization
) -> QuerySet[AuditEntry]:
    """A person's history as an employer may read it, newest first, in one query however long.

    The same rules as the employer's own pages: the personal file (the person's data and every section)
    is shared by the organizations that see the person, so all its changes are shown, whoever made them;
    employment cards and absences only of this organization; correction requests only those addressed to
    it (its inbox shows them, another employer's answers 404). Nothing else: accreditation applications
    are between the worker and the centre, who viewed the file and the worker's logins are not the
    employer's business. A kind of entry not named here stays hidden.

    The caller has already checked that the organization sees the person (`person_get_for_organization`).
    """
    corrections = (
        apps.get_model(CORRECTION_TYPE)
        ._default_manager.filter(person=person, organization=organization)
        .annotate(key=Cast("pk", output_field=CharField()))
        .values("key")
    )
    visible = (
        Q(object_type__in=personal_file_types())
        | Q(object_type__in=ORGANIZATION_OWN_TYPES, organization=organization)
        | Q(object_type=CORRECTION_TYPE, object_id__in=corrections)
    )
    return audit_for_person(person=person).filter(visible)


def audit_for_object(*, obj_type: str, object_id: str) -> QuerySet[AuditEntry]:
    return (
        AuditEntry.objects.filter(object_type=obj_type, object_id=object_id)
        .select_related("actor", "organization")
        .order_by("-at", "-id")
    )
