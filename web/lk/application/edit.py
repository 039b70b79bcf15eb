"""The worker's application form: one page with sections, saved as a draft as the worker goes.

Everything works without JavaScript (the whole form posts, files included); static/js/upload.js adds
per-row uploads with a progress bar (`application_upload`) and refreshes the cascading choices. The
document table is the domain's `document_groups`; every file goes through `application_document_upload`
(which stores, attaches, and cleans up a refused file); the file checks are in frmr.documents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from frmr.accounts.models import User
from frmr.accreditation.models import EDITABLE, Application, ApplicationStatus
from frmr.accreditation.requirements import MAX_ROWS, Requirement, parse_row_key, requirements_for, row_key
from frmr.accreditation.selectors import DocumentGroup, DocumentRow, document_groups, duplicate_in_progress
from frmr.accreditation.services.documents import application_document_remove, application_document_upload
from frmr.accreditation.services.worker import (
    MESSAGE_ALREADY_IN_PROGRESS,
    application_save_draft,
    application_send_check,
)
from frmr.documents.pdf import format_megabytes, too_large_message
from frmr.documents.uploads import limited_upload, upload_limit
from web.lk.access import AuthenticatedHttpRequest, login_required
from web.lk.application.forms import ApplicationForm, initial_from
from web.lk.application.views import first_message, own_application

S = ApplicationStatus
# Files one no-JavaScript post may carry (every row of the longest list, with a few repeated rows).
MAX_FILES_IN_FORM = 20
FILE_FIELD_PREFIX = "file-"
# The service keys its errors by form field; these are shown beside the field, the rest at the top.
FORM_FIELDS = tuple(ApplicationForm.base_fields)


def _upload_too_large(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return JsonResponse({"error": too_large_message()}, status=413)


@login_required
@limited_upload(max_files=1, too_large=_upload_too_large)
@require_POST
def application_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One row's file, posted by upload.js (XMLHttpRequest with a progress bar); answers JSON."""
    application = own_application(request, pk)
    doc_type = request.POST.get("doc_type", "")
    try:
        row = int(request.POST.get("row", ""))
    except ValueError:
        return JsonResponse({"error": _("Не указана строка документа.")}, status=400)
    handler = upload_limit(request)
    if handler is not None and handler.oversized:
        return JsonResponse({"error": too_large_message()}, status=413)
    file = request.FILES.get("file")
    if file is None:
        return JsonResponse({"error": _("Выберите файл.")}, status=400)
    try:
        application_document_upload(
            application=application, actor=request.user, doc_type=doc_type, row=row, file=file
        )
    except (ValidationError, PermissionDenied) as error:
        return JsonResponse({"error": first_message(error)}, status=400)
    application.refresh_from_db()
    page = _page(application, extra={}, row_errors={})
    row_view = next(
        (item for group in page.groups for item in group.rows if item.key == row_key(doc_type, row)), None
    )
    html = render_to_string("lk/application/_document_row.html", {"item": row_view, "page": page}, request)
    return JsonResponse({"ok": True, "html": html})


# --- the form ----------------------------------------------------------------------------------------


@dataclass
class RowView:
    """A document row as the form shows it: the domain's row, with its refusal and its anchor."""

    row: DocumentRow
    error: str = ""

    @property
    def key(self) -> str:
        return self.row.key

    @property
    def editable(self) -> bool:
        return self.row.editable

    @property
    def anchor(self) -> str:
        return f"{FILE_FIELD_PREFIX}{self.row.requirement.doc_type}-{self.row.row}"

    @property
    def document(self) -> Any:
        return self.row.document


@dataclass
class RowGroup:
    group: DocumentGroup
    rows: list[RowView] = field(default_factory=list)

    @property
    def requirement(self) -> Requirement:
        return self.group.requirement

    @property
    def doc_type(self) -> str:
        return self.group.doc_type

    @property
    def can_add(self) -> bool:
        return self.group.can_add

    @property
    def extra(self) -> int:
        """The rows shown, carried in the form and the address so added empty rows stay."""
        return self.group.count


@dataclass
class Page:
    application: Application
    groups: list[RowGroup]
    returned: bool

    @property
    def max_mb(self) -> str:
        return format_megabytes(settings.DOCUMENT_MAX_BYTES)


def _too_large_form(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = own_application(request, pk)
    form = ApplicationForm(initial=initial_from(application))
    summary = [
        (
            "documents",
            _(
                "Файлы слишком большие: каждый файл — не больше %(megabytes)s МБ. Введённые "
                "данные не сохранены — заполните форму ещё раз."
            )
            % {"megabytes": format_megabytes(_max_bytes())},
        )
    ]
    return _render_form(request, application, form, {}, summary=summary, extra={}, status=413)


@login_required
@limited_upload(max_files=MAX_FILES_IN_FORM, too_large=_too_large_form)
def application_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = own_application(request, pk)
    if application.status not in EDITABLE:
        return redirect("lk:application_detail", pk=application.pk)
    extra = _extra_rows(request.POST if request.method == "POST" else request.GET)
    if request.method != "POST":
        form = ApplicationForm(initial=initial_from(application))
        return _render_form(request, application, form, {}, extra=extra)

    user = request.user
    action = request.POST.get("action", "save")
    form = ApplicationForm(request.POST)
    # Files of rows the saved kind asks for go in first, the rest after the typed fields (a new kind)
    # are saved: a post that changes the kind keeps the files chosen on either list.
    asked_before = {str(item.doc_type) for item in requirements_for(application.kind_code)}
    row_errors = _receive_files(request, application, user, doc_types=asked_before)
    field_errors = _save_fields(application, user, form)
    application.refresh_from_db()
    row_errors.update(_receive_files(request, application, user, skip=asked_before))

    if action.startswith("remove:"):
        doc_type, row = parse_row_key(action.removeprefix("remove:"))
        try:
            application_document_remove(application=application, actor=user, doc_type=doc_type, row=row or 0)
        except (ValidationError, PermissionDenied) as error:
            row_errors[row_key(doc_type, row or 0)] = first_message(error)

    application.refresh_from_db()
    if action.startswith("add:"):
        doc_type = action.removeprefix("add:")
        shown = {
            group.doc_type: group.extra for group in _page(application, extra=extra, row_errors={}).groups
        }
        if doc_type in shown:
            extra[doc_type] = shown[doc_type] + 1
    if action == "submit" and duplicate_in_progress(application=application):
        # Said first and alone: what else is missing does not matter for an application not needed.
        field_errors, row_errors = {"specialty": _(MESSAGE_ALREADY_IN_PROGRESS)}, {}
    if action == "submit" and not field_errors and not row_errors:
        # «Отправить» first shows the answers to check (application_review); it sends from there.
        try:
            application_send_check(application=application, actor=user)
        except ValidationError as error:
            for key, value in error.message_dict.items():
                target = field_errors if key in FORM_FIELDS or ":" not in key else row_errors
                target.setdefault(key, value[0])
        else:
            return redirect("lk:application_review", pk=application.pk)

    if field_errors or row_errors:
        for name, message in field_errors.items():
            if name in form.fields:
                form.add_error(name, message)
        return _render_form(request, application, form, row_errors, extra=extra, field_errors=field_errors)

    url = reverse("lk:application_edit", kwargs={"pk": application.pk})
    page = _page(application, extra=extra, row_errors={})
    # Only rows still empty after the last file need carrying over in the address.
    query = {
        f"rows-{group.doc_type}": group.extra
        for group in page.groups
        if group.rows and group.rows[-1].document is None and group.extra > 1
    }
    anchor = ""
    if action.startswith("add:"):
        anchor = "#group-" + action.removeprefix("add:")
    elif action == "refresh":
        anchor = "#section-specialty"
    elif action == "refresh-kind":
        anchor = "#section-kind"
    elif action.startswith("remove:"):
        anchor = "#group-" + parse_row_key(action.removeprefix("remove:"))[0]
    if action == "save":
        messages.success(request, _("Черновик сохранён. Вы можете вернуться к нему позже."))
    return redirect(url + (f"?{urlencode(query)}" if query else "") + anchor)


def _render_form(
    request: AuthenticatedHttpRequest,
    application: Application,
    form: ApplicationForm,
    row_errors: dict[str, str],
    *,
    extra: dict[str, int],
    field_errors: dict[str, str] | None = None,
    summary: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    page = _page(application, extra=extra, row_errors=row_errors)
    summary = list(summary or [])
    for name, message in (field_errors or {}).items():
        summary.append((f"id_{name}" if name in form.fields else "section-status", message))
    for group in page.groups:
        for item in group.rows:
            if item.error:
                summary.append((item.anchor, item.error))
    for key, message in row_errors.items():
        if not any(item.key == key for group in page.groups for item in group.rows):
            summary.append(("section-documents", message))
    return render(
        request,
        "lk/application/edit.html",
        {
            "application": application,
            "form": form,
            "page": page,
            "summary": summary,
            "required": ApplicationForm.REQUIRED,
            "upload_url": reverse("lk:application_upload", kwargs={"pk": application.pk}),
            "max_bytes": _max_bytes(),
            "duplicate": duplicate_in_progress(application=application),
        },
        status=status,
    )


def _page(application: Application, *, extra: dict[str, int], row_errors: dict[str, str]) -> Page:
    """The document table of `document_groups`, each row with the refusal of this post (if any)."""
    groups = [
        RowGroup(group, [RowView(row, row_errors.get(row.key, "")) for row in group.rows])
        for group in document_groups(application=application, extra=extra)
    ]
    return Page(application=application, groups=groups, returned=application.status == S.RETURNED)


def _save_fields(application: Application, user: User, form: ApplicationForm) -> dict[str, str]:
    """Save the typed fields; when some are wrong, the others are saved and the wrong ones reported."""
    values = form.cleaned()
    if "accreditation_kind" not in form.data:
        # A chosen radio button cannot be unchosen, so a post without it did not come from the page;
        # clearing the kind would drop every document row, so the saved kind stays.
        values["accreditation_kind_code"] = application.kind_code
    try:
        return application_save_draft(application=application, actor=user, **values)
    except PermissionDenied as error:
        return {"status": str(error)}


def _receive_files(
    request: AuthenticatedHttpRequest,
    application: Application,
    user: User,
    *,
    doc_types: set[str] | None = None,
    skip: frozenset[str] | set[str] = frozenset(),
) -> dict[str, str]:
    """Files of a whole-form post (no JavaScript): each into its row; a refusal stays at its row.
    Only the document types in `doc_types` (all when None), none of those in `skip`."""
    errors: dict[str, str] = {}

    def wanted(doc_type: str) -> bool:
        return (doc_types is None or doc_type in doc_types) and doc_type not in skip

    handler = upload_limit(request)
    for field_name in handler.oversized if handler is not None else []:
        parsed = _row_of_field(field_name)
        if parsed is not None and wanted(parsed[0]):
            errors[row_key(*parsed)] = too_large_message()
    for field_name, file in request.FILES.items():
        parsed = _row_of_field(field_name)
        if parsed is None or not wanted(parsed[0]):
            continue
        try:
            application_document_upload(
                application=application, actor=user, doc_type=parsed[0], row=parsed[1], file=file
            )
        except (ValidationError, PermissionDenied) as error:
            errors[row_key(*parsed)] = first_message(error)
    return errors


def _row_of_field(field_name: str) -> tuple[str, int] | None:
    if not field_name.startswith(FILE_FIELD_PREFIX):
        return None
    doc_type, _dash, row = field_name.removeprefix(FILE_FIELD_PREFIX).rpartition("-")
    if not doc_type or not row.isdigit():
        return None
    return doc_type, int(row)


def _extra_rows(data: Any) -> dict[str, int]:
    extra: dict[str, int] = {}
    for key in data:
        if key.startswith("rows-"):
            value = str(data.get(key) or "")
            if value.isdigit():
                extra[key.removeprefix("rows-")] = min(int(value), MAX_ROWS)
    return extra


def _max_bytes() -> int:
    return int(settings.DOCUMENT_MAX_BYTES)
