"""The audit log in the admin: read-only, because entries are append-only evidence."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frmr.audit.models import AuditEntry
from frmr.audit.services import describe_changes


def _shown(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = [
        "at",
        "action",
        "object_repr",
        "object_type",
        "actor_label",
        "organization",
        "person_shown",
    ]
    list_select_related = ["organization", "person"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor_label", "=object_id", "=person__snils", "=person__oid"]
    date_hierarchy = "at"
    readonly_fields = (
        "at",
        "action",
        "actor",
        "actor_label",
        "organization",
        "object_type",
        "object_id",
        "object_repr",
        "person_shown",
        "changes_table",
        "reason",
    )
    fields = readonly_fields

    @admin.display(description=gettext_lazy("личное дело"))
    def person_shown(self, obj: AuditEntry) -> str:
        # The entries outlive a deleted person (no constraint on person_id): say so instead of a blank.
        if obj.person_id is None:
            return "—"
        try:
            person = obj.person  # from list_select_related's outer join: None when the row is gone
        except ObjectDoesNotExist:
            person = None
        if person is not None:
            return str(person)
        return _("удалён из регистра (№ %(number)s)") % {"number": obj.person_id}

    @admin.display(description=gettext_lazy("изменения (было → стало)"))
    def changes_table(self, obj: AuditEntry) -> SafeString:
        rows = describe_changes(obj)
        if not rows:
            return format_html("{}", "—")
        body = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            ((r.label, _shown(r.old), _shown(r.new)) for r in rows),
        )
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
            _("поле"),
            _("было"),
            _("стало"),
            body,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
