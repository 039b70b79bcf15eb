from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "frmr.imports"
    label = "imports"
    verbose_name = "Загрузка сотрудников из файлов"
