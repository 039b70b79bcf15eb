from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "web.public"
    label = "public"
    verbose_name = "Публичные страницы"
