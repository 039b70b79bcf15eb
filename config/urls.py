from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "ФРМР — администрирование"
admin.site.site_title = "ФРМР"
admin.site.index_title = "Управление регистром"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("lk/", include("web.lk.urls")),
    path("", include("web.auth.urls")),
    path("", include("web.public.urls")),
]
