"""Users and their roles in the admin. Roles are granted here by administrators."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frmr.accounts.admin_login import (
    admin_login_failed,
    admin_login_lock,
    admin_login_succeeded,
    client_address,
    lock_message,
)
from frmr.accounts.models import LoginThrottle, RoleGrant, User


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin's password form with a lockout (frmr/accounts/admin_login.py)."""

    def clean(self) -> dict[str, Any]:
        if not settings.FRMR_ADMIN_PASSWORD_LOGIN:
            raise ValidationError(
                _(
                    "Вход в администрирование по паролю отключён. Войдите через Госуслуги (ЕСИА) на главной "
                    "странице: администратору доступ открывает его роль."
                ),
                code="password_login_disabled",
            )
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request) if self.request is not None else "unknown"
        lock = admin_login_lock(username=username, address=address)
        if lock is not None:
            raise ValidationError(lock_message(lock), code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            started = admin_login_failed(username=username, address=address)
            if started is not None:
                raise ValidationError(lock_message(started), code="locked") from None
            raise
        admin_login_succeeded(username=username)
        return cleaned


admin.site.login_form = ThrottledAdminAuthenticationForm


class RoleGrantInline(admin.TabularInline[RoleGrant, User]):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    fields = ["role", "organization", "granted_at", "granted_by"]
    readonly_fields = ["granted_at", "granted_by"]
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "last_name", "first_name", "patronymic", "snils", "is_staff", "is_active"]
    search_fields = ["username", "last_name", "first_name", "=snils", "=esia_oid", "email"]
    autocomplete_fields = ["person"]
    inlines = [RoleGrantInline]
    fieldsets = [
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (gettext_lazy("ЕСИА и регистр"), {"fields": ["esia_oid", "snils", "patronymic", "person"]}),
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
class RoleGrantAdmin(admin.ModelAdmin[RoleGrant]):
    list_display = ["user", "role", "organization", "granted_at", "granted_by"]
    list_select_related = ["user", "organization", "granted_by"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "organization__name_short"]
    autocomplete_fields = ["user", "organization"]
    readonly_fields = ["granted_at", "granted_by"]

    def save_model(self, request: HttpRequest, obj: RoleGrant, form: Any, change: bool) -> None:
        if obj.pk is None:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin[LoginThrottle]):
    """Administrators can see and lift a lock (deleting the row)."""

    list_display = ["scope", "key", "failures", "locked_until"]
    list_filter = ["scope"]
    search_fields = ["=key"]
    readonly_fields = ["scope", "key", "failures", "window_started_at", "locked_until"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
