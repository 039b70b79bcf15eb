from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy


class User(AbstractUser):
    """A person who logs in: through ЕСИА (identified by the ЕСИА OID) or, for administrators, a password."""

    esia_oid = models.CharField(gettext_lazy("OID в ЕСИА"), max_length=32, unique=True, null=True, blank=True)
    snils = models.CharField(gettext_lazy("СНИЛС"), max_length=11, blank=True, db_index=True)
    patronymic = models.CharField(gettext_lazy("отчество"), max_length=150, blank=True)
    # Linked on each ЕСИА login by СНИЛС; empty while the register holds nothing about the person.
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=gettext_lazy("запись в регистре"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="users",
    )

    class Meta:
        verbose_name = gettext_lazy("пользователь")
        verbose_name_plural = gettext_lazy("пользователи")

    def get_full_name(self) -> str:
        # Russian order: фамилия, имя, отчество (Django's default is "first last").
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)


class Role(models.TextChoices):
    # A worker needs no grant: anyone whose СНИЛС is in the register is one.
    OPERATOR = "operator", gettext_lazy("оператор медицинской организации")
    FAC_STAFF = "fac_staff", gettext_lazy("сотрудник аккредитационного центра")
    SECRETARY = "secretary", gettext_lazy("секретарь аккредитационной комиссии")
    ADMIN = "admin", gettext_lazy("администратор")


class RoleGrant(models.Model):
    """A role granted to a user by an administrator; an operator's grant names the organization."""

    user = models.ForeignKey(
        User, verbose_name=gettext_lazy("пользователь"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(gettext_lazy("роль"), max_length=16, choices=Role.choices)
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=gettext_lazy("организация"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    granted_at = models.DateTimeField(gettext_lazy("выдана"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User,
        verbose_name=gettext_lazy("кем выдана"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = gettext_lazy("роль пользователя")
        verbose_name_plural = gettext_lazy("роли пользователей")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(role="operator") & models.Q(organization__isnull=False))
                | (~models.Q(role="operator") & models.Q(organization__isnull=True)),
                name="rolegrant_operator_has_organization",
                violation_error_message=(
                    gettext_lazy("Роль оператора выдаётся для конкретной организации; другие роли — без неё.")
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organization"],
                name="rolegrant_unique_with_org",
                condition=models.Q(organization__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                name="rolegrant_unique_without_org",
                condition=models.Q(organization__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        if self.organization_id:
            return f"{self.get_role_display()} ({self.organization})"
        return self.get_role_display()


class LoginThrottleScope(models.TextChoices):
    ACCOUNT = "account", gettext_lazy("учётная запись")
    ADDRESS = "address", gettext_lazy("IP-адрес")


class LoginThrottle(models.Model):
    """Failed password logins to the Django admin, per account and per client address.

    In the database, not the cache: the default cache is per process, and a lockout must hold across
    every web process and a restart. One row per key; see frmr/accounts/admin_login.py.
    """

    scope = models.CharField(gettext_lazy("по чему"), max_length=16, choices=LoginThrottleScope.choices)
    key = models.CharField(gettext_lazy("учётная запись или адрес"), max_length=150)
    failures = models.PositiveIntegerField(gettext_lazy("неудачных попыток"), default=0)
    window_started_at = models.DateTimeField(gettext_lazy("первая неудача окна"), null=True, blank=True)
    locked_until = models.DateTimeField(gettext_lazy("заблокировано до"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("блокировка входа по паролю")
        verbose_name_plural = gettext_lazy("блокировки входа по паролю")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="login_throttle_scope_key")]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.key}"
