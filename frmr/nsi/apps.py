from django.apps import AppConfig


class NsiConfig(AppConfig):
    name = "frmr.nsi"
    label = "nsi"
    verbose_name = "Справочники (НСИ)"
