from django.urls import path

from web.fac import views

app_name = "fac"

urlpatterns = [
    path("", views.home, name="home"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/register/", views.register, name="register"),
    path("applications/<int:pk>/refuse/", views.refuse, name="refuse"),
    path("applications/<int:pk>/return/", views.return_for_revision, name="return"),
    path("applications/<int:pk>/commission/", views.pass_to_commission, name="commission"),
    path("applications/<int:pk>/decision/", views.decision, name="decision"),
    path("documents/<int:pk>/", views.document, name="document"),
]
