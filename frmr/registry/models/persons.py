from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy

from frmr.nsi import oids
from frmr.registry.models._dict import dict_fk, opt_bool, opt_int, opt_text
from frmr.registry.models._version import version_field


class Gender(models.IntegerChoices):
    # Codes of the real register's `gender` field.
    MALE = 1, gettext_lazy("мужской")
    FEMALE = 2, gettext_lazy("женский")


class Person(models.Model):
    """A person in the register (личные данные): unique by СНИЛС, with a register OID `<year>.<7 digits>`."""

    oid = models.CharField(gettext_lazy("OID в регистре"), max_length=16, unique=True)
    snils = models.CharField(gettext_lazy("СНИЛС"), max_length=11, unique=True)
    last_name = models.CharField(gettext_lazy("фамилия"), max_length=100)
    first_name = models.CharField(gettext_lazy("имя"), max_length=100)
    patronymic = models.CharField(gettext_lazy("отчество"), max_length=100, blank=True)
    gender = models.PositiveSmallIntegerField(gettext_lazy("пол"), choices=Gender.choices)
    birth_date = models.DateField(gettext_lazy("дата рождения"))
    birth_place = models.CharField(gettext_lazy("место рождения"), max_length=500, blank=True)
    death_date = models.DateField(gettext_lazy("дата смерти"), null=True, blank=True)
    inn = models.CharField(gettext_lazy("ИНН"), max_length=12, blank=True)
    citizenship = dict_fk(oids.CITIZENSHIP, gettext_lazy("гражданство"), required=False)
    phone = models.CharField(gettext_lazy("телефон"), max_length=16, blank=True)
    email = models.EmailField(gettext_lazy("электронная почта"), blank=True)
    # Attributes of the real register's `person` that МИС/HR systems send (research §2.2). They are kept
    # as sent and given back unchanged; empty (None) means "not stated", which differs from false.
    mr = opt_bool(gettext_lazy("работник внесён в ФРМР"))
    student = opt_bool(gettext_lazy("обучающийся"))
    is_medical_worker = opt_bool(gettext_lazy("медицинский работник"))
    is_pharm_worker = opt_bool(gettext_lazy("фармацевтический работник"))
    ern_id = opt_text(gettext_lazy("идентификатор ЕРН"), 64)
    oksm_code = opt_text(gettext_lazy("страна (код ОКСМ)"), 8)
    oksm_name = opt_text(gettext_lazy("страна (название)"), 250)
    military_relation = opt_int(gettext_lazy("отношение к военной службе"))
    is_disabled = opt_bool(gettext_lazy("инвалидность"))
    disabled_group = opt_int(gettext_lazy("группа инвалидности"))
    disabled_group_name = opt_text(gettext_lazy("группа инвалидности, как в справке"), 20)
    disabled_date = models.DateField(gettext_lazy("инвалидность установлена"), null=True, blank=True)
    covid19 = opt_bool(gettext_lazy("может привлекаться к помощи при угрозе опасных заболеваний"))
    created_at = models.DateTimeField(gettext_lazy("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("изменено"), auto_now=True)
    version = version_field()
    created_by_organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=gettext_lazy("кем внесено"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = gettext_lazy("медицинский работник")
        verbose_name_plural = gettext_lazy("медицинские работники")
        ordering = ["last_name", "first_name", "patronymic"]
        indexes = [models.Index(fields=["last_name", "first_name", "birth_date"], name="person_name_birth")]
        constraints = [
            models.CheckConstraint(
                condition=Q(snils__regex=r"^[0-9]{11}$"),
                name="person_snils_digits",
                violation_error_message=gettext_lazy("СНИЛС должен состоять из 11 цифр."),
            ),
            models.CheckConstraint(
                condition=Q(oid__regex=r"^[0-9]{4}\.[0-9]{7}$"),
                name="person_oid_format",
                violation_error_message=gettext_lazy("OID работника имеет вид ГГГГ.NNNNNNN."),
            ),
            models.CheckConstraint(
                condition=Q(inn="") | Q(inn__regex=r"^[0-9]{12}$"),
                name="person_inn_digits",
                violation_error_message=gettext_lazy("ИНН физического лица состоит из 12 цифр."),
            ),
            models.CheckConstraint(
                condition=Q(death_date__isnull=True) | Q(death_date__gte=F("birth_date")),
                name="person_death_after_birth",
                violation_error_message=gettext_lazy("Дата смерти не может быть раньше даты рождения."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)
