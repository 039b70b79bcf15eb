from __future__ import annotations

from django.urls import path

from esia_emulator import api, views

urlpatterns = [
    path("", views.index, name="index"),
    path("aas/oauth2/v2/ac", views.authorize, name="authorize"),
    path("aas/oauth2/v3/te", views.token, name="token"),
    path("aas/oauth2/ac", views.legacy_authorize, name="legacy_authorize"),
    path("aas/oauth2/te", views.legacy_token, name="legacy_token"),
    path("aas/oauth2/cert", views.certificate, name="certificate"),
    path("login/<str:rid>/", views.login, name="login"),
    path("login/<str:rid>/deny/", views.deny, name="deny"),
    path("login/<str:rid>/signature/", views.login_signature, name="login_signature"),
    path("login/<str:rid>/qr/", views.login_qr, name="login_qr"),
    path("login/<str:rid>/qr/code.png", views.qr_image, name="qr_image"),
    path("login/<str:rid>/qr/status/", views.qr_status, name="qr_status"),
    path("login/<str:rid>/qr/complete/", views.qr_complete, name="qr_complete"),
    path("qr/<str:secret>/", views.qr_confirm, name="qr_confirm"),
    path("idp/ext/Logout", views.logout, name="logout"),
    path("rs/prns/<int:oid>", api.person_root, name="person"),
]
for _segment in ("ctts", "addrs", "docs", "orgs"):
    urlpatterns += [
        path(f"rs/prns/<int:oid>/{_segment}", api.person_collection, {"segment": _segment},
             name=f"person_{_segment}"),
        path(f"rs/prns/<int:oid>/{_segment}/<int:element_id>", api.person_element, {"segment": _segment},
             name=f"person_{_segment}_element"),
    ]  # fmt: skip
