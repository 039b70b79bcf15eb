from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "frmr.notifications"
    label = "notifications"
    verbose_name = "Уведомления"
