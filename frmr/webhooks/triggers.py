"""After a transaction that wrote change events commits: queue the fan-out, if anybody listens."""

from __future__ import annotations

from typing import Any

from frmr.webhooks.models import WebhookEndpoint


def fan_out_after_commit(sender: Any, **kwargs: Any) -> None:
    # One indexed query per writing transaction; the register without webhooks queues nothing.
    if WebhookEndpoint.objects.filter(is_active=True).exists():
        from frmr.webhooks.services import enqueue_fan_out

        enqueue_fan_out()
