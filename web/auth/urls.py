from django.urls import path

from web.auth import views

app_name = "auth"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/esia/callback/", views.callback, name="callback"),
    path("login/done/", views.after_login, name="after_login"),
    path("choose-role/", views.choose_role, name="choose_role"),
    path("no-data/", views.no_data, name="no_data"),
    path("logout/", views.logout, name="logout"),
]
