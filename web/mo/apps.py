from django.apps import AppConfig


class MoConfig(AppConfig):
    name = "web.mo"
    label = "mo"
    verbose_name = "Кабинет медицинской организации"
