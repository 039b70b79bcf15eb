"""The accreditation centre's back office: the queue, an application beside the applicant's file, actions.

Access: the whole cabinet answers 403 to a logged-in user without the fac_staff or secretary role and
sends an anonymous visitor to the login page; an application outside a reader's scope is 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frmr.accounts.models import User
from frmr.accounts.permissions import is_fac_staff, is_secretary
from frmr.accreditation import services
from frmr.accreditation.calendar import working_days_between
from frmr.accreditation.models import Application, ApplicationDocument, ApplicationStatus
from frmr.accreditation.queue import DEADLINE_CHOICES, STATUS_CHOICES, QueueFilters, queue_page
from frmr.accreditation.selectors import (
    applicant_file,
    application_get_for_staff,
    application_history,
    deadline_of,
    document_get_for_user,
    document_rows,
)
from frmr.accreditation.services import application_audit_view
from frmr.documents.responses import serve_private_file
from frmr.nsi import oids
from frmr.nsi.selectors import entries_of
from web.fac.access import AuthenticatedHttpRequest, staff_only, staff_only_unseen
from web.fac.forms import DecisionForm, ReasonForm, ReturnForm, apply_errors

S = ApplicationStatus
View = Callable[..., HttpResponseBase]


def _application_or_404(request: AuthenticatedHttpRequest, pk: int) -> Application:
    """A sent application; a draft, or a number that does not exist, is «not found»."""
    try:
        return application_get_for_staff(user=request.user, pk=pk)
    except Application.DoesNotExist:
        raise Http404(_("Заявление не найдено.")) from None


@staff_only
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = QueueFilters(
        **{
            key: request.GET.get(key, "").strip()[:200]
            for key in ("status", "deadline", "kind", "specialty", "region", "q")
        }
    )
    page = queue_page(
        user=request.user, filters=filters, after=request.GET.get("after"), before=request.GET.get("before")
    )
    today = timezone.localdate()
    rows = []
    for application in page.rows:
        deadline = deadline_of(application)
        left = working_days_between(today, deadline) if deadline else None
        rows.append({"application": application, "deadline": deadline, "left": left, "overdue": -(left or 0)})
    query = request.GET.copy()
    for key in ("after", "before"):
        query.pop(key, None)
    return render(
        request,
        "fac/queue.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "query": query.urlencode(),
            "statuses": STATUS_CHOICES,
            "deadlines": DEADLINE_CHOICES,
            "kind_options": _options(oids.ACCREDITATION_KINDS, filters.kind),
            "specialty_options": _options(oids.SPECIALTIES, filters.specialty),
            "region_options": _options(oids.REGIONS, filters.region),
        },
    )


def _options(oid: str, chosen: str) -> str:
    """The `<option>`s of a dictionary filter, built in one pass: hundreds of entries drawn through the
    template language cost more than the queue's own queries."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (code, mark_safe(" selected") if code == chosen else "", name)
            for code, name in entries_of(oid=oid).values_list("code", "name")
        ),
    )


@staff_only
def application_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    return _render_detail(request, application)


def _render_detail(
    request: AuthenticatedHttpRequest,
    application: Application,
    *,
    forms: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    # 152-ФЗ: staff reading an application and the applicant's file is recorded.
    application_audit_view(actor=user, application=application, what=_("заявление и личное дело"))
    rows = document_rows(application=application)
    forms = forms or {}
    context = {
        "application": application,
        "file": applicant_file(user=user, application=application),
        "rows": [{"row": row, "url": document_url(row.document)} for row in rows],
        # The viewer opens on the first attached document rather than as an empty frame.
        "first_document_url": next((document_url(row.document) for row in rows if row.document), ""),
        "history": application_history(application=application),
        "deadline": deadline_of(application),
        "can_process": is_fac_staff(user),
        "can_decide": is_secretary(user),
        "refuse_form": forms.get("refuse") or ReasonForm(prefix="refuse"),
        "return_form": forms.get("return")
        or ReturnForm(prefix="return", row_choices=_row_choices(application)),
        "decision_form": forms.get("decision") or DecisionForm(prefix="decision"),
        "S": S,
    }
    return render(request, "fac/application.html", context, status=status)


def _row_choices(application: Application) -> list[tuple[str, str]]:
    choices: list[tuple[str, str]] = []
    for row in document_rows(application=application):
        label = row.requirement.label
        if row.requirement.repeatable:
            label = _("%(label)s — строка %(number)s") % {"label": label, "number": row.row + 1}
        choices.append((row.key, label))
        if row.requirement.repeatable and row.row == 0:
            choices.append(
                (
                    str(row.requirement.doc_type),
                    _("%(label)s — все строки, можно добавить") % {"label": row.requirement.label},
                )
            )
    return choices


def document_url(document: Any) -> str:
    """The permission-checked inline view of a document: the documents app's when it is installed."""
    if document is None:
        return ""
    return reverse("fac:document", kwargs={"pk": document.pk})


def _act(
    request: AuthenticatedHttpRequest,
    pk: int,
    action: Callable[[Application, User], object],
    done: str,
    *,
    check: Callable[[Application, User], object] | None = None,
    confirm_template: str = "",
) -> HttpResponse:
    """Run `action`; or, when the action is irreversible (`check` given) and not yet confirmed, run
    its check and show the confirmation page. Both answer refusals the same way."""
    application = _application_or_404(request, pk)
    run = check if check is not None and not _confirmed(request) else action
    confirming = run is not action
    try:
        run(application, request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("fac:application", pk=pk)
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    if confirming:
        return render(request, confirm_template, {"application": application})
    messages.success(request, done)
    return redirect("fac:application", pk=pk)


def _forbidden(request: AuthenticatedHttpRequest, exc: PermissionDenied) -> HttpResponse:
    return render(request, "fac/forbidden.html", {"message": str(exc)}, status=403)


def _confirmed(request: AuthenticatedHttpRequest) -> bool:
    """Irreversible actions take a second POST with `confirm=1` from their confirmation page."""
    return request.POST.get("confirm") == "1"


@require_POST
@staff_only
def register(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def check(application: Application, user: User) -> None:
        services.application_register_check(application=application, actor=user)

    def action(application: Application, user: User) -> Application:
        return services.application_register(application=application, actor=user)

    return _act(
        request,
        pk,
        action,
        _("Заявление зарегистрировано, заявителю отправлено уведомление с номером."),
        check=check,
        confirm_template="fac/confirm_register.html",
    )


@require_POST
@staff_only
def pass_to_commission(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    def action(application: Application, user: User) -> Application:
        return services.application_pass_to_commission(application=application, actor=user)

    return _act(request, pk, action, _("Заявление передано в аккредитационную комиссию."))


@require_POST
@staff_only
def refuse(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    form = ReasonForm(request.POST, prefix="refuse")
    form.is_valid()
    try:
        services.application_refuse_registration(
            application=application, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    except ValidationError as exc:
        return _refused(request, application, "refuse", form, exc)
    messages.success(request, _("В регистрации отказано, заявитель получил уведомление с причиной."))
    return redirect("fac:application", pk=pk)


@require_POST
@staff_only
def return_for_revision(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    form = ReturnForm(request.POST, prefix="return", row_choices=_row_choices(application))
    form.is_valid()
    try:
        services.application_return_for_revision(
            application=application,
            actor=request.user,
            reason=form.cleaned_data.get("reason", ""),
            rows=list(form.cleaned_data.get("rows", [])),
        )
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    except ValidationError as exc:
        return _refused(request, application, "return", form, exc)
    messages.success(request, _("Заявление возвращено на доработку, заявитель получил уведомление."))
    return redirect("fac:application", pk=pk)


@require_POST
@staff_only
def decision(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = _application_or_404(request, pk)
    form = DecisionForm(request.POST, prefix="decision")
    if not form.is_valid():
        return _render_detail(request, application, forms={"decision": form}, status=400)
    if "back" in request.POST:  # from the confirmation page: the form again, as it was filled in
        return _render_detail(request, application, forms={"decision": form})
    # The check and the decision take the same arguments and refuse alike.
    arguments = {
        "application": application,
        "actor": request.user,
        "accredited": form.cleaned_data["accredited"],
        "protocol_number": form.cleaned_data.get("protocol_number", ""),
        "protocol_date": form.cleaned_data.get("protocol_date"),
        "reason": form.cleaned_data.get("reason", ""),
    }
    confirmed = _confirmed(request)
    try:
        if confirmed:
            services.application_record_decision(**arguments)
        else:
            _accredited, protocol_date, _reason = services.application_decision_check(**arguments)
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    except ValidationError as exc:
        return _refused(request, application, "decision", form, exc)
    if not confirmed:
        context = {
            "application": application,
            "form": form,
            "accredited": form.cleaned_data["accredited"],
            "end_date": services.accreditation_end_date(protocol_date),
        }
        return render(request, "fac/confirm_decision.html", context)
    messages.success(request, _("Решение комиссии внесено, заявитель получил уведомление."))
    return redirect("fac:application", pk=pk)


def _refused(
    request: AuthenticatedHttpRequest, application: Application, name: str, form: Any, exc: ValidationError
) -> HttpResponse:
    for message in apply_errors(form, exc):
        messages.error(request, message)
    application.refresh_from_db()
    return _render_detail(request, application, forms={name: form}, status=400)


@staff_only_unseen
def document(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """Show a sent document inline to the centre's staff and secretaries, recorded in the audit log.

    Unlike the rest of the back office, a logged-in user without a role gets 404, not the 403 page:
    a document address tells nobody else even that the document exists (docs/uploads.md).
    """
    try:
        item = document_get_for_user(user=request.user, pk=pk)
    except ApplicationDocument.DoesNotExist:
        raise Http404(_("Документ не найден.")) from None
    application_audit_view(
        actor=request.user, application=item.application, what=_("документ «%(item)s»") % {"item": item}
    )
    return serve_private_file(
        request, storage_name=item.storage_name, display_name=item.original_name, inline=True
    )
