from django.apps import AppConfig


class AuthConfig(AppConfig):
    name = "web.auth"
    # Django's own app is labelled "auth"; this one needs another label.
    label = "web_auth"
    verbose_name = "Вход через ЕСИА"
