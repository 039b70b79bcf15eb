from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class LkConfig(AppConfig):
    name = "web.lk"
    label = "lk"
    verbose_name = gettext_lazy("Личный кабинет медицинского работника")
