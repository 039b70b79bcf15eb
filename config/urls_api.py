"""The URLconf of the API's lean handler (frmr.integration.api.wsgi): /api/frmr/ and the probes."""

from django.urls import path

from frmr.integration.api import api as frmr_api
from web.health import urls as health_urls

urlpatterns = [path("api/frmr/", frmr_api.urls), *health_urls.root_patterns]
