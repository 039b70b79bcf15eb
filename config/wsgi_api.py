"""WSGI entry of an API-only process group: `gunicorn config.wsgi_api:application` (docs/api.md)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)

from frmr.integration.api.wsgi import ApiWSGIHandler  # noqa: E402 (needs the apps loaded)

application = ApiWSGIHandler()
