"""The main page of the worker's cabinet (ЛК медработника)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from frmr.corrections.models import CorrectionStatus
from frmr.corrections.selectors import correction_requests_for_user
from frmr.registry.selectors import person_file
from web.lk.access import AuthenticatedHttpRequest, own_person, worker_required
from web.lk.sections import accreditation_summary, section_links

# How many of the worker's applications the main page lists (the application pages list them all).
APPLICATIONS_SHOWN = 5


def optional_url(name: str, *args: Any) -> str:
    """The URL of a page another part of the product may not have yet; "" while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def worker_applications(user: Any) -> list[dict[str, Any]] | None:
    """The worker's accreditation applications with statuses; None while that app is not installed."""
    if not apps.is_installed("frmr.accreditation"):
        return None
    from frmr.accreditation.selectors import applications_of_worker

    return [
        {"application": application, "url": optional_url("lk:application_detail", application.pk)}
        for application in applications_of_worker(user=user)[:APPLICATIONS_SHOWN]
    ]


@require_GET
@worker_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    # Everything shown comes from the user's own linked record; there is no parameter to ask for another.
    loaded = person_file(person=own_person(user))
    today = timezone.localdate()
    accreditations = accreditation_summary(loaded.accreditations, today=today)
    open_requests = correction_requests_for_user(user=user).exclude(status=CorrectionStatus.CLOSED).count()
    context = {
        "person": loaded.person,
        "cards": loaded.current_cards,
        "sections": section_links(loaded),
        "accreditations": accreditations,
        "expiring": [item for item in accreditations if item.expires_soon or item.expired],
        "application_new_url": optional_url("lk:application_new"),
        "application_list_url": optional_url("lk:application_list"),
        "applications": worker_applications(user),
        "open_requests": open_requests,
    }
    return render(request, "lk/home.html", context)
