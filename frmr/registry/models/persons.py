from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from frmr.nsi import oids
from frmr.registry.models._dict import dict_fk, opt_bool, opt_int, opt_text
from frmr.registry.models._version import version_field


class Gender(models.IntegerChoices):
    # Codes of the real register's `gender` field.
    MALE = 1, "мужской"
    FEMALE = 2, "женский"


class Person(models.Model):
    """A person in the register (личные данные): unique by СНИЛС, with a register OID `<year>.<7 digits>`."""

    oid = models.CharField("OID в регистре", max_length=16, unique=True)
    snils = models.CharField("СНИЛС", max_length=11, unique=True)
    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    patronymic = models.CharField("отчество", max_length=100, blank=True)
    gender = models.PositiveSmallIntegerField("пол", choices=Gender.choices)
    birth_date = models.DateField("дата рождения")
    birth_place = models.CharField("место рождения", max_length=500, blank=True)
    death_date = models.DateField("дата смерти", null=True, blank=True)
    inn = models.CharField("ИНН", max_length=12, blank=True)
    citizenship = dict_fk(oids.CITIZENSHIP, "гражданство", required=False)
    phone = models.CharField("телефон", max_length=16, blank=True)
    email = models.EmailField("электронная почта", blank=True)
    # Attributes of the real register's `person` that МИС/HR systems send (research §2.2). They are kept
    # as sent and given back unchanged; empty (None) means "not stated", which differs from false.
    mr = opt_bool("работник внесён в ФРМР")
    student = opt_bool("обучающийся")
    is_medical_worker = opt_bool("медицинский работник")
    is_pharm_worker = opt_bool("фармацевтический работник")
    ern_id = opt_text("идентификатор ЕРН", 64)
    oksm_code = opt_text("страна (код ОКСМ)", 8)
    oksm_name = opt_text("страна (название)", 250)
    military_relation = opt_int("отношение к военной службе")
    is_disabled = opt_bool("инвалидность")
    disabled_group = opt_int("группа инвалидности")
    disabled_group_name = opt_text("группа инвалидности, как в справке", 20)
    disabled_date = models.DateField("инвалидность установлена", null=True, blank=True)
    covid19 = opt_bool("может привлекаться к помощи при угрозе опасных заболеваний")
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)
    version = version_field()
    created_by_organization = models.ForeignKey(
        "registry.Organization",
        verbose_name="кем внесено",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "медицинский работник"
        verbose_name_plural = "медицинские работники"
        ordering = ["last_name", "first_name", "patronymic"]
        indexes = [models.Index(fields=["last_name", "first_name", "birth_date"], name="person_name_birth")]
        constraints = [
            models.CheckConstraint(
                condition=Q(snils__regex=r"^[0-9]{11}$"),
                name="person_snils_digits",
                violation_error_message="СНИЛС должен состоять из 11 цифр.",
            ),
            models.CheckConstraint(
                condition=Q(oid__regex=r"^[0-9]{4}\.[0-9]{7}$"),
                name="person_oid_format",
                violation_error_message="OID работника имеет вид ГГГГ.NNNNNNN.",
            ),
            models.CheckConstraint(
                condition=Q(inn="") | Q(inn__regex=r"^[0-9]{12}$"),
                name="person_inn_digits",
                violation_error_message="ИНН физического лица состоит из 12 цифр.",
            ),
            models.CheckConstraint(
                condition=Q(death_date__isnull=True) | Q(death_date__gte=F("birth_date")),
                name="person_death_after_birth",
                violation_error_message="Дата смерти не может быть раньше даты рождения.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)
