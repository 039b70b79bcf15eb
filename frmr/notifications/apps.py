from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "frmr.notifications"
    label = "notifications"
    verbose_name = "Уведомления"

    def ready(self) -> None:
        from frmr.taskqueue.periodic import register

        # Letters never queued, backed off after a failure, or left by a sender that vanished.
        register("letters_queued", "frmr.notifications.delivery.notifications_queue_due")
