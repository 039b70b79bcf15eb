"""The personal file, read-only, one section per page, and the worker's own change of contacts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from frmr.core.text import format_phone
from frmr.core.validators import format_snils
from frmr.registry.catalogue import FileSection
from frmr.registry.models import Person
from frmr.registry.selectors import person_file, person_real_register_rows
from frmr.registry.services.contacts import CONTACT_FIELDS, person_contacts_update
from frmr.registry.services.versions import StaleVersionError, read_state_token, state_token
from web.lk.access import AuthenticatedHttpRequest, own_person, worker_required
from web.lk.forms import ContactsForm
from web.lk.sections import (
    EXPIRY_WARNING_MONTHS,
    additional_hours,
    months_after,
    section_links,
    section_rows,
)


@worker_required
def section(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    if slug not in FileSection.values:
        raise Http404
    user = request.user
    loaded = person_file(person=own_person(user))
    today = timezone.localdate()
    rows = section_rows(loaded, slug)
    context = {
        "section": FileSection(slug),
        "sections": section_links(loaded),
        "person": loaded.person,
        "rows": rows,
        "today": today,
        "warn_until": months_after(today, EXPIRY_WARNING_MONTHS),
    }
    if slug == FileSection.PERSONAL:
        context["snils_display"] = format_snils(loaded.person.snils)
        context["phone_display"] = format_phone(loaded.person.phone)
        context["person_more"] = person_real_register_rows(person=loaded.person)
    if slug == FileSection.ADDITIONAL:
        context["hours"] = additional_hours(rows, today=today)
    return render(request, "lk/section.html", context)


@worker_required
def contacts(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    assert user.person_id is not None
    person = Person.objects.get(pk=user.person_id)
    if request.method == "POST":
        form = ContactsForm(request.POST)
        if form.is_valid():
            version, loaded = read_state_token(form.cleaned_data["loaded_state"])
            try:
                person_contacts_update(
                    actor=user,
                    person=person,
                    phone=form.cleaned_data["phone"],
                    email=form.cleaned_data["email"],
                    expected_version=version,
                    loaded=loaded,
                )
            except ValidationError as error:
                form.add_service_errors(error)
                if isinstance(error, StaleVersionError):
                    form.renew_state(state_token(Person.objects.get(pk=person.pk), CONTACT_FIELDS))
            else:
                messages.success(request, _("Контактные данные сохранены."))
                return redirect("lk:section", slug=FileSection.PERSONAL)
    else:
        form = ContactsForm(
            initial={
                "phone": format_phone(person.phone),
                "email": person.email,
                "loaded_state": state_token(person, CONTACT_FIELDS),
            }
        )
    return render(request, "lk/contacts.html", {"form": form, "person": person})
