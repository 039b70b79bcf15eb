from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class NotificationsConfig(AppConfig):
    name = "frmr.notifications"
    label = "notifications"
    verbose_name = gettext_lazy("Уведомления")

    def ready(self) -> None:
        from frmr.taskqueue.periodic import register

        # Letters never queued, backed off after a failure, or left by a sender that vanished.
        register("letters_queued", "frmr.notifications.delivery.notifications_queue_due")
