from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "frmr.imports"
    label = "imports"
    verbose_name = "Загрузка сотрудников из файлов"

    def ready(self) -> None:
        from frmr.taskqueue.periodic import register

        # A job whose task ended or vanished while the job says it is under way fails with a message.
        register("imports_failed", "frmr.imports.jobs.import_jobs_fail_stalled")
