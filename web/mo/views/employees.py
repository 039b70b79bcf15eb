"""The employees list with search and filters, adding an employee by СНИЛС, the organization switcher."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from frmr.core.text import by_gender
from frmr.registry import models as m
from frmr.registry.search import STATUS_ALL, STATUSES, employees_page, entry_cards, positions_in_use
from frmr.registry.selectors import person_get_by_snils, person_is_visible_to
from frmr.registry.services import person_create
from web.auth.access import AuthenticatedHttpRequest
from web.mo.access import Cabinet, operator_required, remember_organization
from web.mo.forms import SnilsForm, apply_service_errors, person_form_class
from web.mo.views.common import page

PAGE_SIZE = 25
FOUND_KEY = "mo.found_person_id"
NEW_SNILS_KEY = "mo.new_snils"
STATUS_LABELS = {
    "all": gettext_lazy("Все"),
    "current": gettext_lazy("Работают"),
    "dismissed": gettext_lazy("Уволены"),
}


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@operator_required
def home(request: AuthenticatedHttpRequest, cabinet: Cabinet) -> HttpResponse:
    organization = cabinet.organization
    query = request.GET.get("q", "").strip()[:100]
    department_id = _int(request.GET.get("department"))
    position_id = _int(request.GET.get("position"))
    status = request.GET.get("status", STATUS_ALL)
    status = status if status in STATUSES else STATUS_ALL
    # Pages go by cursor (the sort key of the last row shown), not by number: deep pages cost what the
    # first one does. The pager offers «previous», «next» and «to the start».
    found = employees_page(
        organization=organization,
        query=query,
        department_id=department_id,
        position_id=position_id,
        status=status,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        size=PAGE_SIZE,
    )
    querystring = request.GET.copy()
    for key in ("after", "before", "page"):
        querystring.pop(key, None)
    return page(
        request,
        cabinet,
        "mo/employees.html",
        {
            "found": found,
            "rows": [(entry, entry_cards(entry)) for entry in found.rows],
            "query": query,
            "department_id": department_id,
            "position_id": position_id,
            "status": status,
            "statuses": list(STATUS_LABELS.items()),
            "departments": list(organization.departments.order_by("name")),
            "positions": list(positions_in_use(organization=organization)),
            "querystring": querystring.urlencode(),
            "filtered": bool(query or department_id or position_id or status != STATUS_ALL),
        },
    )


@operator_required
def add(request: AuthenticatedHttpRequest, cabinet: Cabinet) -> HttpResponseBase:
    """Step 1: the СНИЛС. An existing person opens; an unknown one goes to the creation form."""
    form = SnilsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        snils = form.cleaned_data["snils"]
        person = person_get_by_snils(snils=snils)
        if person is None:
            request.session[NEW_SNILS_KEY] = snils
            return redirect("mo:person_new")
        if person_is_visible_to(person=person, organization=cabinet.organization):
            messages.info(request, _("Этот работник уже есть в вашей организации."))
            return redirect("mo:person", oid=person.oid)
        request.session[FOUND_KEY] = person.pk
        return redirect("mo:found")
    return page(request, cabinet, "mo/add.html", {"form": form})


def found_person(request: HttpRequest) -> m.Person | None:
    person_id = request.session.get(FOUND_KEY)
    return m.Person.objects.filter(pk=person_id).first() if isinstance(person_id, int) else None


@operator_required
def found(request: AuthenticatedHttpRequest, cabinet: Cabinet) -> HttpResponseBase:
    """A person of the register not (yet) employed here: only what any employer may see, and «hire»."""
    person = found_person(request)
    if person is None:
        return redirect("mo:add")
    if person_is_visible_to(person=person, organization=cabinet.organization):
        return redirect("mo:person", oid=person.oid)
    return page(request, cabinet, "mo/found.html", {"person": person})


@operator_required
def person_new(request: AuthenticatedHttpRequest, cabinet: Cabinet) -> HttpResponseBase:
    snils = request.session.get(NEW_SNILS_KEY, "")
    form_class = person_form_class()
    form = form_class(request.POST if request.method == "POST" else None, initial={"snils": snils})
    if request.method == "POST" and form.is_valid():
        try:
            person = person_create(
                actor=cabinet.user, organization=cabinet.organization, data=form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            request.session.pop(NEW_SNILS_KEY, None)
            messages.success(
                request,
                by_gender(
                    person,
                    _(
                        "%(full_name)s внесён в регистр, номер в регистре %(oid)s. Теперь примите "
                        "работника на работу и заполните разделы личного дела."
                    ),
                    _(
                        "%(full_name)s внесена в регистр, номер в регистре %(oid)s. Теперь примите "
                        "работника на работу и заполните разделы личного дела."
                    ),
                )
                % {"full_name": person.full_name, "oid": person.oid},
            )
            return redirect("mo:person", oid=person.oid)
    return page(request, cabinet, "mo/person_form.html", {"form": form, "title": _("Новый работник")})


@require_POST
@operator_required
def switch(request: AuthenticatedHttpRequest, cabinet: Cabinet) -> HttpResponseBase:
    chosen = _int(request.POST.get("organization"))
    organization = next((o for o in cabinet.organizations if o.pk == chosen), None)
    if organization is None:
        raise Http404(_("Вы не оператор этой организации."))
    remember_organization(request, organization)
    messages.info(
        request,
        _("Вы работаете от имени организации «%(name_short)s».") % {"name_short": organization.name_short},
    )
    return redirect("mo:home")
