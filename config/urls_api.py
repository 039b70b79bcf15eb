"""The URLconf of the API's lean handler (frmr.integration.api.wsgi): /api/frmr/, /fhir/ and the probes."""

from django.urls import include, path

from frmr.integration.api import api as frmr_api
from web.health import urls as health_urls

urlpatterns = [
    path("api/frmr/", frmr_api.urls),
    path("fhir/", include("frmr.integration.fhir.urls")),
    *health_urls.root_patterns,
]
