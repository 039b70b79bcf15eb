from django.apps import AppConfig


class AccreditationConfig(AppConfig):
    name = "frmr.accreditation"
    label = "accreditation"
    verbose_name = "Аккредитация специалистов"
