from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AuthConfig(AppConfig):
    name = "web.auth"
    # Django's own app is labelled "auth"; this one needs another label.
    label = "web_auth"
    verbose_name = gettext_lazy("Вход через ЕСИА")
