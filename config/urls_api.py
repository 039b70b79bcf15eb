"""The URLconf of the API's lean handler (frmr.integration.api.wsgi): /api/frmr/ only."""

from django.urls import path

from frmr.integration.api import api as frmr_api

urlpatterns = [path("api/frmr/", frmr_api.urls)]
