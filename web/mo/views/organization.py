"""The organization's own profile (kept by the register's administrators) and its departments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from frmr.registry import models as m
from frmr.registry.selectors import department_get_for_organization
from frmr.registry.services import department_create, department_update
from web.auth.access import AuthenticatedHttpRequest
from web.mo.access import Cabinet, operator_required
from web.mo.forms import DepartmentEditForm, DepartmentForm, EditState, apply_service_errors
from web.mo.views.common import page


def _departments(cabinet: Cabinet) -> list[m.Department]:
    return list(m.Department.objects.filter(organization=cabinet.organization).order_by("-is_active", "name"))


@operator_required
def organization(request: AuthenticatedHttpRequest, cabinet: Cabinet) -> HttpResponse:
    form = DepartmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            department = department_create(
                actor=cabinet.user, organization=cabinet.organization, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Подразделение «%(name)s» добавлено, OID %(oid)s.")
                % {"name": department.name, "oid": department.oid},
            )
            return redirect("mo:organization")
    return page(
        request,
        cabinet,
        "mo/organization.html",
        {"organization": cabinet.organization, "departments": _departments(cabinet), "form": form},
    )


@operator_required
def department_edit(
    request: AuthenticatedHttpRequest, cabinet: Cabinet, department_id: int
) -> HttpResponseBase:
    try:
        department = department_get_for_organization(
            organization=cabinet.organization, department_id=department_id
        )
    except m.Department.DoesNotExist:
        raise Http404(_("Такого подразделения в вашей организации нет.")) from None
    form = DepartmentEditForm(
        request.POST or None, initial={"name": department.name, "is_active": department.is_active}
    )
    state = EditState(form, department, ("name", "is_active"))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            department_update(
                actor=cabinet.user,
                organization=cabinet.organization,
                department=department,
                data=data,
                **state.expected(data),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
            state.renew(error)
        else:
            messages.success(request, _("Подразделение сохранено."))
            return redirect("mo:organization")
    return page(request, cabinet, "mo/department_form.html", {"form": form, "department": department})
