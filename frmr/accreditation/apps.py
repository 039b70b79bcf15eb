from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class AccreditationConfig(AppConfig):
    name = "frmr.accreditation"
    label = "accreditation"
    verbose_name = gettext_lazy("Аккредитация специалистов")

    def ready(self) -> None:
        from frmr.taskqueue.periodic import register

        # Drafts never sent: their owners are reminded, and the drafts left past their time are deleted
        # with their files (frmr/accreditation/retention.py).
        register("drafts_cleaned_up", "frmr.accreditation.services.drafts.drafts_clean_up")
