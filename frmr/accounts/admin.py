"""Users and their roles in the admin. Roles are granted here by administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from frmr.accounts.models import RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ["role", "organization", "granted_at", "granted_by"]
    readonly_fields = ["granted_at", "granted_by"]
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "middle_name", "snils", "is_staff", "is_active"]
    search_fields = ["username", "last_name", "first_name", "=snils", "=esia_oid", "email"]
    autocomplete_fields = ["person"]
    inlines = [RoleGrantInline]
    fieldsets = [
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        ("ЕСИА и регистр", {"fields": ["esia_oid", "snils", "middle_name", "person"]}),
    ]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        grants = formset.save(commit=False)
        for grant in grants:
            if isinstance(grant, RoleGrant) and grant.pk is None:
                grant.granted_by = request.user
            grant.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organization", "granted_at", "granted_by"]
    list_select_related = ["user", "organization", "granted_by"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "organization__name_short"]
    autocomplete_fields = ["user", "organization"]
    readonly_fields = ["granted_at", "granted_by"]

    def save_model(self, request: HttpRequest, obj: RoleGrant, form: Any, change: bool) -> None:
        if obj.pk is None:
            obj.granted_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
