"""WSGI entry of the whole site; /api/frmr/ is served by the API's lean handler in the same process."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_site = get_wsgi_application()

from frmr.integration.api.wsgi import ApiWSGIHandler, dispatching_application  # noqa: E402

application = dispatching_application(_site, ApiWSGIHandler())
