from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "frmr.demo"
    label = "demo"
    verbose_name = "Демонстрационные данные"
