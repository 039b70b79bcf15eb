from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class WebhooksConfig(AppConfig):
    name = "frmr.webhooks"
    label = "webhooks"
    verbose_name = gettext_lazy("Вебхуки")

    def ready(self) -> None:
        from frmr.changes.services import changes_committed
        from frmr.taskqueue.periodic import register
        from frmr.webhooks import triggers

        changes_committed.connect(triggers.fan_out_after_commit, dispatch_uid="webhooks.fan_out")
        register("webhooks_fanned_out", "frmr.webhooks.services.webhooks_fan_out_all")
        register("webhooks_queued", "frmr.webhooks.services.webhook_deliveries_queue_due")
