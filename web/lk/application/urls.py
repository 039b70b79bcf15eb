"""URLs of the accreditation application, included by web/lk/urls.py under «application/» (namespace lk)."""

from django.urls import path

from web.lk.application import edit, review, views

urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("new/", views.application_new, name="application_new"),
    path("<int:pk>/", views.application_detail, name="application_detail"),
    path("<int:pk>/edit/", edit.application_edit, name="application_edit"),
    path("<int:pk>/review/", review.application_review, name="application_review"),
    path("<int:pk>/sent/", review.application_sent, name="application_sent"),
    path("<int:pk>/upload/", edit.application_upload, name="application_upload"),
    path("<int:pk>/withdraw/", views.application_withdraw_view, name="application_withdraw"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
]
