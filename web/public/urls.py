from django.urls import path

from web.public import views

app_name = "public"

urlpatterns = [
    path("", views.start, name="start"),
]
