from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from frmr.registry import models as m
from frmr.registry.selectors import card_get_for_organization, person_get_for_organization
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
        raise Http404(_("Такого работника в вашей организации нет.")) from None


def card_or_404(cabinet: Cabinet, card_id: int) -> m.EmploymentCard:
    try:
        card = card_get_for_organization(organization=cabinet.organization, card_id=card_id)
    except m.EmploymentCard.DoesNotExist:
        raise Http404(_("Такой карточки в вашей организации нет.")) from None
    card.organization = cabinet.organization
    return card
