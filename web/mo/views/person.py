"""A person's file in the employer cabinet: every section, personal data, and the history of changes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from frmr.audit.selectors import audit_for_person_seen_by_organization
from frmr.audit.services import describe_changes
from frmr.registry import models as m
from frmr.registry.catalogue import Section
from frmr.registry.selectors import person_file, person_real_register_rows, section_record_get
from frmr.registry.services import person_update, section_create, section_delete, section_update
from web.auth.access import AuthenticatedHttpRequest
from web.mo.access import Cabinet, operator_required
from web.mo.forms import (
    PERSON_FORM_FIELDS,
    EditState,
    apply_service_errors,
    form_for_model,
    initial_from,
    person_form_class,
    section_fields,
)
from web.mo.sections import BY_SLUG, SECTIONS, cells, column_label
from web.mo.views.common import page, person_or_404

HISTORY_PAGE_SIZE = 30


# The real register's further person fields (the form's tail): shown in the file once filled in, so that
# what the form saved can be read without opening the form again.
@operator_required
def person(request: AuthenticatedHttpRequest, cabinet: Cabinet, oid: str) -> HttpResponse:
    found = person_or_404(cabinet, oid)
    file = person_file(person=found)
    organization_id = cabinet.organization.pk
    sections = []
    for section in SECTIONS:
        records = section.rows(file)
        headers = [column_label(section.model, name) for name in section.columns]
        sections.append(
            {
                "section": section,
                "headers": headers,
                "rows": [
                    {
                        "record": record,
                        "cells": list(zip(headers, cells(record, section.columns), strict=True)),
                        "own": section.editable and record.organization_id == organization_id,
                    }
                    for record in records
                ],
            }
        )
    own_cards = [card for card in file.cards if card.organization_id == organization_id]
    other_cards = [card for card in file.cards if card.organization_id != organization_id]
    return page(
        request,
        cabinet,
        "mo/person.html",
        {
            "person": file.person,
            "person_more": person_real_register_rows(person=file.person),
            "sections": sections,
            "own_cards": own_cards,
            "other_cards": other_cards,
        },
    )


@operator_required
def personal_edit(request: AuthenticatedHttpRequest, cabinet: Cabinet, oid: str) -> HttpResponseBase:
    found = person_or_404(cabinet, oid)
    form_class = person_form_class()
    form = form_class(
        request.POST if request.method == "POST" else None, initial=initial_from(found, PERSON_FORM_FIELDS)
    )
    state = EditState(form, found, PERSON_FORM_FIELDS)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            person_update(
                actor=cabinet.user,
                organization=cabinet.organization,
                person=found,
                data=data,
                **state.expected(data),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            state.renew(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Личные данные сохранены."))
            return redirect("mo:person", oid=found.oid)
    return page(
        request,
        cabinet,
        "mo/person_form.html",
        {"form": form, "person": found, "title": _("Личные данные")},
    )


def _section_or_404(slug: str) -> Section:
    section = BY_SLUG.get(slug)
    if section is None or not section.editable:
        raise Http404(_("Такого раздела нет или он не изменяется в кабинете организации."))
    return section


def _record_or_404(section: Section, person: m.Person, pk: int, cabinet: Cabinet) -> Any:
    try:
        record = section_record_get(section=section, person=person, record_id=pk)
    except ObjectDoesNotExist:
        raise Http404(_("Такой записи нет.")) from None
    if record.organization_id != cabinet.organization.pk:
        raise PermissionDenied(_("Эту запись внесла другая организация: изменить её может только она."))
    return record


@operator_required
def section_form(
    request: AuthenticatedHttpRequest, cabinet: Cabinet, oid: str, slug: str, pk: int | None = None
) -> HttpResponseBase:
    found = person_or_404(cabinet, oid)
    section = _section_or_404(slug)
    fields = section_fields(section.record_model)
    record = _record_or_404(section, found, pk, cabinet) if pk is not None else None
    form_class = form_for_model(section.record_model, fields)
    form = form_class(
        request.POST if request.method == "POST" else None,
        initial=initial_from(record, fields) if record else None,
    )
    state = EditState(form, record, fields) if record is not None else None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if record is None or state is None:
                section_create(
                    actor=cabinet.user,
                    organization=cabinet.organization,
                    person=found,
                    model=section.record_model,
                    data=data,
                )
            else:
                section_update(
                    actor=cabinet.user,
                    organization=cabinet.organization,
                    section=record,
                    data=data,
                    **state.expected(data),
                )
        except ValidationError as error:
            apply_service_errors(form, error)
            if state is not None:
                state.renew(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Раздел «%(title)s»: запись сохранена.") % {"title": section.title})
            return redirect(reverse("mo:person", args=[found.oid]) + f"#{section.slug}")
    return page(
        request,
        cabinet,
        "mo/section_form.html",
        {"form": form, "person": found, "section": section, "record": record},
    )


@operator_required
def section_remove(
    request: AuthenticatedHttpRequest, cabinet: Cabinet, oid: str, slug: str, pk: int
) -> HttpResponseBase:
    found = person_or_404(cabinet, oid)
    section = _section_or_404(slug)
    record = _record_or_404(section, found, pk, cabinet)
    if request.method == "POST":
        section_delete(actor=cabinet.user, organization=cabinet.organization, section=record)
        messages.success(request, _("Раздел «%(title)s»: запись удалена.") % {"title": section.title})
        return redirect("mo:person", oid=found.oid)
    fields = section_fields(section.record_model)
    summary = [
        (column_label(section.model, name), value)
        for name, value in zip(fields, cells(record, fields), strict=True)
    ]
    return page(
        request,
        cabinet,
        "mo/confirm_delete.html",
        {"person": found, "section": section, "summary": summary},
    )


@operator_required
def history(request: AuthenticatedHttpRequest, cabinet: Cabinet, oid: str) -> HttpResponse:
    found = person_or_404(cabinet, oid)
    entries_seen = audit_for_person_seen_by_organization(person=found, organization=cabinet.organization)
    current = Paginator(entries_seen, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    entries = [{"entry": entry, "changes": describe_changes(entry)} for entry in current.object_list]
    return page(request, cabinet, "mo/history.html", {"person": found, "page": current, "entries": entries})
