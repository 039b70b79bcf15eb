from django.urls import path

from web.lk import views

app_name = "lk"

urlpatterns = [
    path("", views.home, name="home"),
]
