from __future__ import annotations

from django_tasks import task

from frmr.notifications.delivery import notification_deliver_email


@task()
def deliver_notification_email(notification_id: int) -> str:
    return str(notification_deliver_email(notification_id=notification_id))
