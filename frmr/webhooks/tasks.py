from __future__ import annotations

from django_tasks import task

from frmr.webhooks.services import webhook_delivery_attempt, webhooks_fan_out_all


@task()
def webhooks_fan_out() -> int:
    return webhooks_fan_out_all()


@task()
def webhook_deliver(delivery_id: int) -> str:
    return str(webhook_delivery_attempt(delivery_id=delivery_id))
