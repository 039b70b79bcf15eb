"""Routes of the extract, meant for the `lk` namespace: config/urls.py includes them there."""

from django.urls import path

from web.extract import views

urlpatterns = [
    path("accreditation/<str:registry_number>/extract.pdf", views.download, name="extract"),
]
