from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class MoConfig(AppConfig):
    name = "web.mo"
    label = "mo"
    verbose_name = gettext_lazy("Кабинет медицинской организации")
