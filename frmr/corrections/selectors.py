"""Reads of correction requests, always scoped: a worker sees their own, an employer those addressed to it."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from frmr.accounts.models import User
from frmr.corrections.models import CorrectionRequest, CorrectionStatus
from frmr.registry.models import EmploymentCard, Organization, Person


def correction_employers(*, person: Person) -> QuerySet[Organization]:
    """Organizations where the person works or worked: the only possible addressees of a request."""
    cards = EmploymentCard.objects.filter(person=person, organization=OuterRef("pk"))
    return Organization.objects.filter(Exists(cards)).order_by("name_short")


def correction_requests_for_user(*, user: User) -> QuerySet[CorrectionRequest]:
    if not user.is_authenticated or user.person_id is None:
        return CorrectionRequest.objects.none()
    return (
        CorrectionRequest.objects.filter(person_id=user.person_id)
        .select_related("organization")
        .order_by("-created_at", "-id")
    )


def correction_request_get_for_user(*, user: User, request_id: int) -> CorrectionRequest:
    """The user's own request; anybody else's answers DoesNotExist (→ 404), never 403."""
    return correction_requests_for_user(user=user).select_related("answered_by").get(pk=request_id)


def correction_requests_for_organization(
    *, organization: Organization, status: CorrectionStatus | None = None
) -> QuerySet[CorrectionRequest]:
    """The employer's inbox (the employer cabinet builds on this)."""
    requests = CorrectionRequest.objects.filter(organization=organization).select_related("person")
    if status is not None:
        requests = requests.filter(status=status)
    return requests.order_by("-created_at", "-id")


def correction_request_get_for_organization(
    *, organization: Organization, request_id: int
) -> CorrectionRequest:
    """A request addressed to the organization; anybody else's answers DoesNotExist (→ 404)."""
    return (
        correction_requests_for_organization(organization=organization)
        .select_related("answered_by", "author")
        .get(pk=request_id)
    )
