from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy

from frmr.integration.api import api as frmr_api
from web.health import urls as health_urls

admin.site.site_header = gettext_lazy("ФРМР — администрирование")
admin.site.site_title = gettext_lazy("ФРМР")
admin.site.index_title = gettext_lazy("Управление регистром")

# 400, 403 and 404 are Django's own handlers with our templates; 500 also tells a database outage (503).
handler500 = "web.errors.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/frmr/", frmr_api.urls),
    path("fhir/", include("frmr.integration.fhir.urls")),
    path("fac/", include("web.fac.urls")),
    path("mo/", include("web.mo.urls")),
    path("lk/", include("web.lk.urls")),
    path("healthz/", include("web.health.urls")),
    *health_urls.root_patterns,
    path("", include("web.auth.urls")),
    path("", include("web.public.urls")),
]
