from django.urls import include, path

from web.lk import views

app_name = "lk"

urlpatterns = [
    path("", views.home, name="home"),
    path("application/", include("web.lk.application_urls")),
]
