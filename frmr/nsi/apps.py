from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class NsiConfig(AppConfig):
    name = "frmr.nsi"
    label = "nsi"
    verbose_name = gettext_lazy("Справочники (НСИ)")
