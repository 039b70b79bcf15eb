from django.apps import AppConfig


class LkConfig(AppConfig):
    name = "web.lk"
    label = "lk"
    verbose_name = "Личный кабинет медицинского работника"
