"""Admin registrations of frmr.core: the task table in Russian (django_tasks_db is listed before us, so
its own registration is already there to replace)."""

from frmr.core.tasks_admin import register

register()
