from __future__ import annotations

from django.db.models import QuerySet

from frmr.accounts.models import User
from frmr.notifications.models import Notification


def notifications_for_user(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_get_for_user(*, user: User, notification_id: int) -> Notification:
    """The user's own notification; another user's answers DoesNotExist (→ 404), never 403."""
    return Notification.objects.get(recipient=user, pk=notification_id)


def unread_count(*, user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
