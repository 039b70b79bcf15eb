"""The site's URLs plus views that fail on purpose (the error handlers come from config.urls)."""

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler500
from config.urls import urlpatterns as site_urlpatterns

__all__ = ["handler500", "urlpatterns"]


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("секретная подробность: password=hunter2")


def refused(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def database_gone(request: HttpRequest) -> HttpResponse:
    raise OperationalError('connection to server at "db.internal" (10.0.0.9), port 5432 failed')


urlpatterns = [
    path("test-boom/", boom),
    path("test-refused/", refused),
    path("test-database-gone/", database_gone),
    *site_urlpatterns,
]
