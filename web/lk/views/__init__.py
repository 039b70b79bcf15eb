"""Views of the worker's cabinet, one module per area; imported here for the URLconf."""

from web.lk.views.corrections import (
    correction_close,
    correction_detail,
    correction_list,
    correction_new,
    correction_proof,
)
from web.lk.views.extract import extract_download
from web.lk.views.file import contacts, section
from web.lk.views.home import home
from web.lk.views.notifications import notification_list, notification_read, notifications_read_all

__all__ = [
    "contacts",
    "correction_close",
    "correction_detail",
    "correction_list",
    "correction_new",
    "correction_proof",
    "extract_download",
    "home",
    "notification_list",
    "notification_read",
    "notifications_read_all",
    "section",
]
