"""Employment cards: hire, transfer (a new card), dismissal, corrections, and periods of absence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from frmr.core.text import by_gender
from frmr.registry import models as m
from frmr.registry.selectors import absence_get_for_organization, person_get_for_organization
from frmr.registry.services import (
    absence_add,
    absence_delete,
    card_dismiss,
    card_hire,
    card_transfer,
    card_update,
)
from frmr.registry.services.employment import HIRE_FIELDS
from web.auth.access import AuthenticatedHttpRequest
from web.mo.access import Cabinet, operator_required
from web.mo.forms import (
    AbsenceForm,
    DismissForm,
    EditState,
    HireForm,
    TransferForm,
    apply_service_errors,
    initial_from,
)
from web.mo.views.common import card_or_404, page
from web.mo.views.employees import FOUND_KEY, found_person


def _hire_candidate(request: HttpRequest, cabinet: Cabinet, oid: str) -> m.Person:
    """A person of this organization, or the one just found by СНИЛС in «Добавить сотрудника»."""
    try:
        return person_get_for_organization(organization=cabinet.organization, oid=oid)
    except m.Person.DoesNotExist:
        found = found_person(request)
        if found is not None and found.oid == oid:
            return found
        raise Http404(_("Такого работника в вашей организации нет.")) from None


def _back(card_or_person: m.EmploymentCard | m.Person) -> str:
    person = card_or_person.person if isinstance(card_or_person, m.EmploymentCard) else card_or_person
    return reverse("mo:person", args=[person.oid]) + "#employment"


def _card_form_page(
    request: HttpRequest,
    cabinet: Cabinet,
    form: forms.Form,
    *,
    save: Callable[[dict[str, Any]], str],
    back: str,
    context: dict[str, Any],
    state: EditState | None = None,
) -> HttpResponseBase:
    """The one flow of every card form: on a valid POST, `save` calls the service and returns the
    success message; a refusal goes back onto the form, with everything the operator entered kept.
    An edit form's `state` hands `save` the loaded version and is renewed after a stale save."""
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if state is not None:
            data.update(state.expected(data))  # takes the hidden field out, puts the version in
        try:
            message = save(data)
        except ValidationError as error:
            apply_service_errors(form, error)
            if state is not None:
                state.renew(error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, message)
            return redirect(back)
    return page(request, cabinet, "mo/card_form.html", {"form": form, **context})


def _posted(request: HttpRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


@operator_required
def hire(request: AuthenticatedHttpRequest, cabinet: Cabinet, oid: str) -> HttpResponseBase:
    person = _hire_candidate(request, cabinet, oid)

    def save(data: dict[str, Any]) -> str:
        card_hire(actor=cabinet.user, organization=cabinet.organization, person=person, data=data)
        request.session.pop(FOUND_KEY, None)
        # Whole sentences per gender, so that a translation can agree the words its own way.
        hired = by_gender(person, _("%(full_name)s принят на работу."), _("%(full_name)s принята на работу."))
        return hired % {"full_name": person.full_name}

    return _card_form_page(
        request,
        cabinet,
        HireForm(_posted(request), organization=cabinet.organization),
        save=save,
        back=_back(person),
        context={"person": person, "title": _("Приём на работу"), "submit": _("Принять на работу")},
    )


@operator_required
def card_edit(request: AuthenticatedHttpRequest, cabinet: Cabinet, card_id: int) -> HttpResponseBase:
    card = card_or_404(cabinet, card_id)

    def save(data: dict[str, Any]) -> str:
        expected = {key: data.pop(key) for key in ("expected_version", "loaded")}
        card_update(actor=cabinet.user, organization=cabinet.organization, card=card, data=data, **expected)
        return _("Карточка исправлена.")

    form = HireForm(
        _posted(request), organization=cabinet.organization, initial=initial_from(card, sorted(HIRE_FIELDS))
    )
    return _card_form_page(
        request,
        cabinet,
        form,
        state=EditState(form, card, sorted(HIRE_FIELDS)),
        save=save,
        back=_back(card),
        context={
            "person": card.person,
            "card": card,
            "title": _("Исправление карточки"),
            "hint": _(
                "Исправьте ошибку в данных карточки. Перевод на другую должность оформляется отдельно — "
                "кнопкой «Перевести»."
            ),
            "submit": _("Сохранить"),
        },
    )


@operator_required
def transfer(request: AuthenticatedHttpRequest, cabinet: Cabinet, card_id: int) -> HttpResponseBase:
    card = card_or_404(cabinet, card_id)
    initial = {name: getattr(card, f"{name}_id") for name in ("department", "position", "position_type")}
    initial["rate"] = f"{card.rate:.2f}"

    def save(data: dict[str, Any]) -> str:
        card_transfer(actor=cabinet.user, organization=cabinet.organization, card=card, data=data)
        return _("Перевод оформлен: прежняя карточка закрыта, открыта новая.")

    return _card_form_page(
        request,
        cabinet,
        TransferForm(_posted(request), organization=cabinet.organization, initial=initial),
        save=save,
        back=_back(card),
        context={"person": card.person, "card": card, "title": _("Перевод"), "submit": _("Перевести")},
    )


@operator_required
def dismiss(request: AuthenticatedHttpRequest, cabinet: Cabinet, card_id: int) -> HttpResponseBase:
    """Two steps: a valid form shows what the dismissal does; only «Подтвердить увольнение» records it.
    «Изменить» on the confirmation page brings the form back as it was filled in."""
    card = card_or_404(cabinet, card_id)
    context = {"person": card.person, "card": card, "title": _("Увольнение"), "submit": _("Уволить")}
    if request.method == "POST" and request.POST.get("confirm") != "1":
        form = DismissForm(request.POST)
        if "back" in request.POST:
            return page(request, cabinet, "mo/card_form.html", {"form": form, **context})
        if form.is_valid():
            try:
                card_dismiss(
                    actor=cabinet.user,
                    organization=cabinet.organization,
                    card=card,
                    end_date=form.cleaned_data["end_date"],
                    end_reason=form.cleaned_data["end_reason"],
                    check_only=True,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                return page(request, cabinet, "mo/confirm_dismiss.html", {"form": form, **context})
        return page(request, cabinet, "mo/card_form.html", {"form": form, **context})

    def save(data: dict[str, Any]) -> str:
        card_dismiss(
            actor=cabinet.user,
            organization=cabinet.organization,
            card=card,
            end_date=data["end_date"],
            end_reason=data["end_reason"],
        )
        dismissed = by_gender(
            card.person,
            _("%(full_name)s уволен с должности «%(position)s»."),
            _("%(full_name)s уволена с должности «%(position)s»."),
        )
        return dismissed % {"full_name": card.person.full_name, "position": card.position}

    return _card_form_page(
        request,
        cabinet,
        DismissForm(_posted(request)),
        save=save,
        back=_back(card),
        context=context,
    )


@operator_required
def absence_new(request: AuthenticatedHttpRequest, cabinet: Cabinet, card_id: int) -> HttpResponseBase:
    card = card_or_404(cabinet, card_id)

    def save(data: dict[str, Any]) -> str:
        absence_add(actor=cabinet.user, organization=cabinet.organization, card=card, data=data)
        return _("Период отсутствия добавлен.")

    return _card_form_page(
        request,
        cabinet,
        AbsenceForm(_posted(request)),
        save=save,
        back=_back(card),
        context={
            "person": card.person,
            "card": card,
            "title": _("Период отсутствия"),
            "submit": _("Добавить"),
        },
    )


@operator_required
def absence_remove(request: AuthenticatedHttpRequest, cabinet: Cabinet, absence_id: int) -> HttpResponseBase:
    try:
        absence = absence_get_for_organization(organization=cabinet.organization, absence_id=absence_id)
    except m.Absence.DoesNotExist:
        raise Http404(_("Такого периода отсутствия нет.")) from None
    if request.method == "POST":
        absence_delete(actor=cabinet.user, organization=cabinet.organization, absence=absence)
        messages.success(request, _("Период отсутствия удалён."))
        return redirect(_back(absence.card))
    summary = [
        (_("Причина"), str(absence.reason)),
        (_("Дата начала"), f"{absence.begin_date:%d.%m.%Y}"),
        (_("Дата окончания"), f"{absence.end_date:%d.%m.%Y}" if absence.end_date else "—"),
    ]
    return page(
        request,
        cabinet,
        "mo/confirm_delete.html",
        {"person": absence.card.person, "title": _("Период отсутствия"), "summary": summary},
    )
