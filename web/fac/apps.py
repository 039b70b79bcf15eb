from django.apps import AppConfig


class FacConfig(AppConfig):
    name = "web.fac"
    label = "fac"
    verbose_name = "Кабинет аккредитационного центра"
