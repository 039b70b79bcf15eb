from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from frmr.integration.api import api as frmr_api
from web.extract import urls as extract_urls
from web.lk import urls as lk_urls

admin.site.site_header = "ФРМР — администрирование"
admin.site.site_title = "ФРМР"
admin.site.index_title = "Управление регистром"

# The extract belongs to the worker's cabinet (`lk:extract`) but lives in web/extract: both sets of
# patterns share the `lk` namespace.
lk_patterns: list[URLPattern | URLResolver] = [*lk_urls.urlpatterns, *extract_urls.urlpatterns]

# 400, 403 and 404 are Django's own handlers with our templates; 500 also tells a database outage (503).
handler500 = "web.errors.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/frmr/", frmr_api.urls),
    path("fhir/", include("frmr.integration.fhir.urls")),
    path("fac/", include("web.fac.urls")),
    path("mo/", include("web.mo.urls")),
    path("lk/", include((lk_patterns, "lk"))),
    path("healthz/", include("web.health.urls")),
    path("", include("web.auth.urls")),
    path("", include("web.public.urls")),
]
