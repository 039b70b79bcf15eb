"""WSGI entry of an API-only process group, served by granian in production (docs/api.md, decision 0002)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup(set_prefix=False)

from frmr.integration.api.wsgi import ApiWSGIHandler  # noqa: E402 (needs the apps loaded)

application = ApiWSGIHandler()
