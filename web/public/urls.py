from django.urls import path

from web.public import check, views

app_name = "public"

urlpatterns = [
    path("", views.start, name="start"),
    path("check/", check.check_form, name="check_form"),
    path("check/<str:registry_number>", check.check, name="check"),
]
