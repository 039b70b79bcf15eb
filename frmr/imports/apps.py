from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ImportsConfig(AppConfig):
    name = "frmr.imports"
    label = "imports"
    verbose_name = gettext_lazy("Загрузка сотрудников из файлов")

    def ready(self) -> None:
        from frmr.taskqueue.periodic import register

        # A job whose task ended or vanished while the job says it is under way fails with a message.
        register("imports_failed", "frmr.imports.jobs.import_jobs_fail_stalled")
        # Import files hold personal data: deleted a week after the job ends, or 30 days after a check
        # nobody applied.
        register("import_files_removed", "frmr.imports.jobs.import_files_clean_up")
