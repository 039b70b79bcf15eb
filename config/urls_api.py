"""The URLconf of the API's lean handler (frmr.integration.api.wsgi): /api/frmr/ and /fhir/."""

from django.urls import include, path

from frmr.integration.api import api as frmr_api

urlpatterns = [
    path("api/frmr/", frmr_api.urls),
    path("fhir/", include("frmr.integration.fhir.urls")),
]
