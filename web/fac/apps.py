from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class FacConfig(AppConfig):
    name = "web.fac"
    label = "fac"
    verbose_name = gettext_lazy("Кабинет аккредитационного центра")
