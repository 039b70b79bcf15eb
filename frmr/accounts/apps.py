from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy


class AccountsConfig(AppConfig):
    name = "frmr.accounts"
    label = "accounts"
    verbose_name = gettext_lazy("Пользователи и роли")

    def ready(self) -> None:
        from frmr.accounts.models import RoleGrant
        from frmr.accounts.permissions import forget_grants_of_changed_row

        # A grant given or taken away is seen at once by the user object the grant was saved with.
        forget = forget_grants_of_changed_row
        post_save.connect(forget, sender=RoleGrant, dispatch_uid="accounts.forget_grants.save")
        post_delete.connect(forget, sender=RoleGrant, dispatch_uid="accounts.forget_grants.delete")
