"""The administrator registers national systems' endpoints (no organization) and sees every delivery."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from frmr.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from frmr.webhooks.services import webhook_endpoint_create


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin[WebhookEndpoint]):
    list_display = ["name", "organization", "url", "is_active", "failing_since", "cursor"]
    list_filter = ["is_active"]
    search_fields = ["name", "url"]
    raw_id_fields = ["organization"]
    fields = [
        "organization",
        "name",
        "url",
        "entity_types",
        "secret",
        "is_active",
        "cursor",
        "disabled_reason",
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: WebhookEndpoint | None = None) -> list[str]:
        # The secret and the cursor are the service's; a new endpoint gets both there.
        return ["secret", "cursor", "disabled_reason"]

    def save_model(self, request: HttpRequest, obj: WebhookEndpoint, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = webhook_endpoint_create(
            organization=obj.organization,
            actor=request.user,  # type: ignore[arg-type]
            name=obj.name,
            url=obj.url,
            entity_types=list(obj.entity_types or []),
        )
        obj.pk = created.pk
        obj.secret = created.secret
        obj.cursor = created.cursor


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    list_display = [
        "message_id",
        "endpoint",
        "event_type",
        "status",
        "attempts",
        "last_status_code",
        "created_at",
    ]
    list_filter = ["status"]
    search_fields = ["message_id"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(admin.ModelAdmin[WebhookAttempt]):
    list_display = ["delivery", "at", "status_code", "error", "duration_ms"]
    readonly_fields = [f.name for f in WebhookAttempt._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
