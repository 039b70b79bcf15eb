from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from frmr.registry import models as m
from frmr.registry.selectors import person_get_for_organization
from web.mo.access import Cabinet


def page(
    request: HttpRequest, cabinet: Cabinet, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    return render(request, template, {"cabinet": cabinet, **context}, status=status)


def person_or_404(cabinet: Cabinet, oid: str) -> m.Person:
    """A person the organization may see; anybody else is «not found», exactly like a wrong OID."""
    try:
        return person_get_for_organization(organization=cabinet.organization, oid=oid)
    except m.Person.DoesNotExist:
        raise Http404("Такого работника в вашей организации нет.") from None


def card_or_404(cabinet: Cabinet, card_id: int) -> m.EmploymentCard:
    card = (
        m.EmploymentCard.objects.select_related(
            "person", "department", "position", "position_type", "end_reason"
        )
        .filter(pk=card_id, organization=cabinet.organization)
        .first()
    )
    if card is None:
        raise Http404("Такой карточки в вашей организации нет.")
    card.organization = cabinet.organization
    return card
