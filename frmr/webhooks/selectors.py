"""Reading endpoints and their delivery log, scoped to the organization that owns them."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from frmr.registry.models import Organization
from frmr.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint

LOG_LENGTH = 50


def webhook_endpoints_of_organization(*, organization: Organization) -> QuerySet[WebhookEndpoint]:
    """The organization's endpoints, each with how many deliveries wait or were given up."""
    return WebhookEndpoint.objects.filter(organization=organization).annotate(
        waiting=Count(
            "deliveries", filter=Q(deliveries__status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED])
        ),
        given_up=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.GAVE_UP)),
    )


def webhook_delivery_log(*, endpoint: WebhookEndpoint, limit: int = LOG_LENGTH) -> list[WebhookDelivery]:
    """The endpoint's latest deliveries, newest first, each with its attempts (two queries)."""
    return list(
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .order_by("-created_at", "-id")
        .prefetch_related(Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("at", "id")))[
            :limit
        ]
    )
