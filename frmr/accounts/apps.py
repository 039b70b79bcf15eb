from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "frmr.accounts"
    label = "accounts"
    verbose_name = "Пользователи и роли"
