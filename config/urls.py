from django.contrib import admin
from django.urls import include, path

from frmr.integration.api import api as frmr_api
from web.extract import urls as extract_urls

admin.site.site_header = "ФРМР — администрирование"
admin.site.site_title = "ФРМР"
admin.site.index_title = "Управление регистром"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/frmr/", frmr_api.urls),
    path("fac/", include("web.fac.urls")),
    # The extract belongs to the worker's cabinet (`lk:extract`) but lives in web/extract; when web/lk is
    # merged, its patterns and these are included together: include((lk + extract patterns, "lk")).
    path("lk/", include((extract_urls.urlpatterns, "lk"))),
    path("", include("web.public.urls")),
]
