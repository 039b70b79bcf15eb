from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class DocumentsConfig(AppConfig):
    name = "frmr.documents"
    label = "documents"
    verbose_name = gettext_lazy("Документы")

    def ready(self) -> None:
        from frmr.taskqueue.periodic import register

        # Files whose upload stopped between the storage and the database (a killed process, a failed
        # transaction whose clean-up never ran) are removed once nobody can still be writing their row.
        register("documents_orphans_removed", "frmr.documents.cleanup.documents_remove_orphans")
