from django.urls import path

from web.public import check, views

app_name = "public"

urlpatterns = [
    path("", views.start, name="start"),
    path("check/<str:registry_number>", check.check, name="check"),
]
