from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AccreditationConfig(AppConfig):
    name = "frmr.accreditation"
    label = "accreditation"
    verbose_name = gettext_lazy("Аккредитация специалистов")
