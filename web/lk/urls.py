from django.urls import URLPattern, URLResolver, include, path

from web.lk import views

app_name = "lk"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("file/<slug:slug>/", views.section, name="section"),
    path("contacts/", views.contacts, name="contacts"),
    path("corrections/", views.correction_list, name="corrections"),
    path("corrections/new/", views.correction_new, name="correction_new"),
    path("corrections/<int:request_id>/", views.correction_detail, name="correction_detail"),
    path("corrections/<int:request_id>/close/", views.correction_close, name="correction_close"),
    path("corrections/<int:request_id>/proof/", views.correction_proof, name="correction_proof"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:notification_id>/read/", views.notification_read, name="notification_read"),
    path("application/", include("web.lk.application.urls")),
    path("accreditation/<str:registry_number>/extract.pdf", views.extract_download, name="extract"),
]
