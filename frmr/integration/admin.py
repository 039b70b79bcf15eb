from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from frmr.integration.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Read-only: tokens are issued and revoked in the organization's cabinet (and audited there)."""

    list_display = (
        "prefix",
        "name",
        "organization",
        "created_at",
        "last_used_at",
        "valid_until",
        "revoked_at",
    )
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "name", "organization__name_short", "organization__oid")
    exclude = ("secret_hash",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False
