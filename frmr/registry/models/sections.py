"""Sections of the personal file (личное дело), with the real register's fields (research §2)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frmr.nsi import oids
from frmr.registry.models._dict import dict_fk, opt_bool, opt_int, opt_json, opt_text
from frmr.registry.models._version import version_field

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class PersonSection(models.Model):
    """Common part of every section: whose record, which organization entered it, and when."""

    person = models.ForeignKey(
        "registry.Person", verbose_name=gettext_lazy("работник"), on_delete=models.CASCADE
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=gettext_lazy("внесено организацией"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(gettext_lazy("внесено"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("изменено"), auto_now=True)
    version = version_field()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} № {self.pk}"


def _date_order(name: str, begin: str, end: str, message: StrOrPromise) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": F(begin)}),
        name=name,
        violation_error_message=message,
    )


class IdentityDocument(PersonSection):
    document_type = dict_fk(oids.IDENTITY_DOCUMENT_TYPES, gettext_lazy("вид документа"))
    series = models.CharField(gettext_lazy("серия"), max_length=20, blank=True)
    number = models.CharField(gettext_lazy("номер"), max_length=40)
    issue_date = models.DateField(gettext_lazy("дата выдачи"))
    issued_by = models.CharField(gettext_lazy("кем выдан"), max_length=500, blank=True)
    division_code = models.CharField(gettext_lazy("код подразделения"), max_length=7, blank=True)

    class Meta:
        verbose_name = gettext_lazy("документ, удостоверяющий личность")
        verbose_name_plural = gettext_lazy("документы, удостоверяющие личность")
        ordering = ["-issue_date"]
        default_related_name = "documents"
        indexes = [models.Index(fields=["document_type", "number"], name="iddoc_type_number")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "document_type", "series", "number"], name="iddoc_unique_per_person"
            ),
        ]


class Address(PersonSection):
    # The real register identifies an address by a UUID (`addressId`) that clients keep and send back.
    # Given by the API (the client's or a new one); addresses written elsewhere have none, and their
    # id stands in for it (no callable default: bulk writers take each default once for all rows).
    uid = opt_text(gettext_lazy("идентификатор адреса"), 36)
    address_type = dict_fk(oids.ADDRESS_TYPES, gettext_lazy("тип адреса"))
    region = dict_fk(oids.REGIONS, gettext_lazy("субъект РФ"))
    registration_date = models.DateField(gettext_lazy("дата регистрации"), null=True, blank=True)
    prefix_area = opt_text(gettext_lazy("тип населённого пункта (г, пос, …)"), 50)
    area_name = models.CharField(gettext_lazy("населённый пункт"), max_length=250)
    prefix_street = opt_text(gettext_lazy("тип улицы (ул, пр-кт, …)"), 50)
    street_name = models.CharField(gettext_lazy("улица"), max_length=250, blank=True)
    house = models.CharField(gettext_lazy("дом"), max_length=20, blank=True)
    building = models.CharField(gettext_lazy("корпус"), max_length=20, blank=True)
    structure = models.CharField(gettext_lazy("строение"), max_length=20, blank=True)
    flat = models.CharField(gettext_lazy("квартира"), max_length=20, blank=True)
    # ГАР/ФИАС identifiers as the client's address service gave them.
    gar_guid = opt_text(gettext_lazy("ГАР: GUID объекта"), 36)
    aoid_area = opt_text(gettext_lazy("ФИАС: населённый пункт"), 36)
    aoid_street = opt_text(gettext_lazy("ФИАС: улица"), 36)
    houseid = opt_text(gettext_lazy("ФИАС: дом"), 36)
    apartment_id = opt_text(gettext_lazy("ГАР: помещение"), 36)
    apartment = opt_text(gettext_lazy("помещение"), 20)
    prefix_apartment = opt_text(gettext_lazy("тип помещения"), 20)
    microdistrict_id = opt_text(gettext_lazy("ГАР: микрорайон"), 36)
    microdistrict = opt_text(gettext_lazy("микрорайон"), 250)
    prefix_microdistrict = opt_text(gettext_lazy("тип микрорайона"), 20)

    class Meta:
        verbose_name = gettext_lazy("адрес")
        verbose_name_plural = gettext_lazy("адреса")
        default_related_name = "addresses"

    @property
    def text(self) -> str:
        area = f"{self.prefix_area} {self.area_name}".strip() if self.prefix_area else self.area_name
        street = (
            f"{self.prefix_street} {self.street_name}".strip() if self.prefix_street else self.street_name
        )
        parts = [self.region.name if self.region_id else "", area, street]
        if self.house:
            parts.append(_("д. %(house)s") % {"house": self.house})
        if self.building:
            parts.append(_("корп. %(building)s") % {"building": self.building})
        if self.structure:
            parts.append(_("стр. %(structure)s") % {"structure": self.structure})
        if self.flat:
            parts.append(_("кв. %(flat)s") % {"flat": self.flat})
        return ", ".join(part for part in parts if part)


class ProfessionalEducation(PersonSection):
    """Higher or secondary professional education (a diploma): `person/prof`."""

    education_type = dict_fk(oids.EDUCATION_TYPES, gettext_lazy("вид образования"))
    institution_name = models.CharField(gettext_lazy("образовательная организация"), max_length=500)
    begin_year = models.PositiveSmallIntegerField(gettext_lazy("год поступления"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(gettext_lazy("год окончания"))
    doc_series = models.CharField(gettext_lazy("серия диплома"), max_length=20, blank=True)
    doc_number = models.CharField(gettext_lazy("номер диплома"), max_length=40)
    doc_date = models.DateField(gettext_lazy("дата выдачи диплома"))
    specialty_name = models.CharField(gettext_lazy("специальность по диплому"), max_length=250)
    qualification_name = models.CharField(gettext_lazy("квалификация"), max_length=250, blank=True)
    specialty = dict_fk(oids.SPECIALTIES, gettext_lazy("специальность (номенклатура)"), required=False)
    institution_code = opt_int(
        gettext_lazy("образовательная организация (код справочника 1.2.643.5.1.13.13.11.1124)")
    )
    qualification_code = opt_int(gettext_lazy("квалификация (код справочника 1.2.643.5.1.13.13.11.1075)"))
    level_education_code = opt_int(gettext_lazy("уровень образования (код)"))
    enrollment_date = models.DateField(gettext_lazy("дата зачисления"), null=True, blank=True)
    courses = opt_json(gettext_lazy("сведения об обучении по курсам (courses)"))
    # The rest of the real register's attributes of this record (target training, foreign education, the
    # customer of the training contract, …): the register applies no rule to them, so they are kept as
    # the client sent them, under their JSON names, and given back unchanged.
    details = models.JSONField(gettext_lazy("прочие сведения (как переданы по API)"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("профессиональное образование")
        verbose_name_plural = gettext_lazy("профессиональное образование")
        ordering = ["-doc_date"]
        default_related_name = "professional_education"
        constraints = [
            models.CheckConstraint(
                condition=Q(begin_year__isnull=True) | Q(end_year__gte=F("begin_year")),
                name="prof_years_order",
                violation_error_message=gettext_lazy("Год окончания не может быть раньше года поступления."),
            ),
        ]


class PostgraduateEducation(PersonSection):
    """Интернатура, ординатура, аспирантура, докторантура: `person/postgraduate`."""

    stage = dict_fk(oids.POSTGRADUATE_STAGES, gettext_lazy("вид послевузовского образования"))
    institution_name = models.CharField(gettext_lazy("образовательная организация"), max_length=500)
    begin_date = models.DateField(gettext_lazy("дата начала"))
    end_date = models.DateField(gettext_lazy("дата окончания"), null=True, blank=True)
    doc_series = models.CharField(gettext_lazy("серия документа"), max_length=20, blank=True)
    doc_number = models.CharField(gettext_lazy("номер документа"), max_length=40, blank=True)
    doc_date = models.DateField(gettext_lazy("дата выдачи документа"), null=True, blank=True)
    specialty = dict_fk(oids.SPECIALTIES, gettext_lazy("специальность"))
    institution_code = opt_int(
        gettext_lazy("образовательная организация (код справочника 1.2.643.5.1.13.13.11.1124)")
    )
    # The rest of the real register's attributes of this record (target training, foreign education, the
    # customer of the training contract, …): the register applies no rule to them, so they are kept as
    # the client sent them, under their JSON names, and given back unchanged.
    details = models.JSONField(gettext_lazy("прочие сведения (как переданы по API)"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("послевузовское образование")
        verbose_name_plural = gettext_lazy("послевузовское образование")
        ordering = ["-begin_date"]
        default_related_name = "postgraduate_education"
        constraints = [
            _date_order(
                "postgraduate_dates_order",
                "begin_date",
                "end_date",
                gettext_lazy("Дата окончания не может быть раньше даты начала."),
            ),
        ]


class AdditionalEducation(PersonSection):
    """Повышение квалификации and профессиональная переподготовка, with hours: `person/ext`."""

    kind = dict_fk(oids.ADDITIONAL_EDUCATION_KINDS, gettext_lazy("вид обучения"))
    institution_name = models.CharField(gettext_lazy("образовательная организация"), max_length=500)
    theme = models.CharField(gettext_lazy("тема (программа)"), max_length=500)
    hours = models.PositiveIntegerField(gettext_lazy("количество часов"))
    doc_series = models.CharField(gettext_lazy("серия документа"), max_length=20, blank=True)
    doc_number = models.CharField(gettext_lazy("номер документа"), max_length=40)
    doc_date = models.DateField(gettext_lazy("дата выдачи документа"))
    specialty = dict_fk(oids.SPECIALTIES, gettext_lazy("специальность"), required=False)
    institution_code = opt_int(
        gettext_lazy("образовательная организация (код справочника 1.2.643.5.1.13.13.11.1124)")
    )

    class Meta:
        verbose_name = gettext_lazy("дополнительное образование")
        verbose_name_plural = gettext_lazy("дополнительное образование")
        ordering = ["-doc_date"]
        default_related_name = "additional_education"
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=1) & Q(hours__lte=10000),
                name="ext_hours_range",
                violation_error_message=gettext_lazy("Количество часов должно быть от 1 до 10000."),
            ),
        ]


class SpecialistCertificate(PersonSection):
    """Сертификат специалиста (before accreditation replaced them): `person/cert`."""

    institution_name = models.CharField(gettext_lazy("выдавшая организация"), max_length=500)
    series = models.CharField(gettext_lazy("серия"), max_length=20, blank=True)
    number = models.CharField(gettext_lazy("номер"), max_length=40)
    exam_date = models.DateField(gettext_lazy("дата экзамена"))
    end_date = models.DateField(gettext_lazy("действителен до"))
    specialty = dict_fk(oids.SPECIALTIES, gettext_lazy("специальность"))
    institution_code = opt_int(
        gettext_lazy("выдавшая организация (код справочника 1.2.643.5.1.13.13.11.1124)")
    )
    pass_date = models.DateField(gettext_lazy("дата выдачи"), null=True, blank=True)
    end_date_extension = opt_bool(gettext_lazy("срок действия продлён"))

    class Meta:
        verbose_name = gettext_lazy("сертификат специалиста")
        verbose_name_plural = gettext_lazy("сертификаты специалиста")
        ordering = ["-exam_date"]
        default_related_name = "certificates"
        constraints = [
            _date_order(
                "cert_dates_order",
                "exam_date",
                "end_date",
                gettext_lazy("Срок действия не может закончиться до экзамена."),
            ),
        ]


class AccreditationRecord(PersonSection):
    """One accreditation procedure (`person/accreditation` → `accreditationProcedures[]`)."""

    registry_number = models.CharField(gettext_lazy("номер реестровой записи"), max_length=40, unique=True)
    kind = dict_fk(oids.ACCREDITATION_KINDS, gettext_lazy("вид аккредитации"))
    specialty = dict_fk(oids.SPECIALTIES, gettext_lazy("специальность"))
    pass_date = models.DateField(gettext_lazy("дата прохождения"))
    end_date = models.DateField(gettext_lazy("действительна до"))
    protocol_number = models.CharField(gettext_lazy("номер протокола"), max_length=40)
    protocol_date = models.DateField(gettext_lazy("дата протокола"))
    institution_name = models.CharField(gettext_lazy("где проведена"), max_length=500, blank=True)
    passed = models.BooleanField(gettext_lazy("пройдена"), default=True)
    application_ref = models.CharField(gettext_lazy("заявление"), max_length=40, blank=True)

    class Meta:
        verbose_name = gettext_lazy("аккредитация")
        verbose_name_plural = gettext_lazy("аккредитации")
        ordering = ["-pass_date"]
        default_related_name = "accreditations"
        constraints = [
            _date_order(
                "accreditation_dates_order",
                "pass_date",
                "end_date",
                gettext_lazy("Срок действия не может закончиться раньше даты прохождения."),
            ),
        ]


class QualificationCategory(PersonSection):
    category = dict_fk(oids.QUALIFICATION_CATEGORIES, gettext_lazy("квалификационная категория"))
    specialty = dict_fk(oids.SPECIALTIES, gettext_lazy("специальность"), required=False)
    begin_date = models.DateField(gettext_lazy("дата присвоения"))
    end_date = models.DateField(gettext_lazy("действительна до"), null=True, blank=True)
    order_number = models.CharField(gettext_lazy("номер приказа"), max_length=40, blank=True)
    fed_post_code = opt_int(gettext_lazy("должность (федеральный справочник, код)"))
    fed_post_name = opt_text(gettext_lazy("должность (федеральный справочник)"), 250)
    post_code = opt_int(gettext_lazy("должность (код)"))
    post_name = opt_text(gettext_lazy("должность"), 250)
    end_date_extension = opt_bool(gettext_lazy("срок действия продлён"))

    class Meta:
        verbose_name = gettext_lazy("квалификационная категория")
        verbose_name_plural = gettext_lazy("квалификационные категории")
        ordering = ["-begin_date"]
        default_related_name = "qualification_categories"
        constraints = [
            _date_order(
                "qualification_dates_order",
                "begin_date",
                "end_date",
                gettext_lazy("Дата окончания не может быть раньше даты присвоения."),
            ),
        ]


class Award(PersonSection):
    """Awards and honorary titles (`person/nomination`)."""

    kind = dict_fk(oids.AWARD_KINDS, gettext_lazy("награда"))
    number = models.CharField(gettext_lazy("номер документа"), max_length=40, blank=True)
    award_date = models.DateField(gettext_lazy("дата награждения"))

    class Meta:
        verbose_name = gettext_lazy("награда")
        verbose_name_plural = gettext_lazy("награды")
        ordering = ["-award_date"]
        default_related_name = "awards"


class GeneralEducation(PersonSection):
    """Общее образование (school certificate) with professional training courses: `person/common`, 0..1."""

    institution = models.CharField(gettext_lazy("образовательная организация"), max_length=500)
    doc_series = opt_text(gettext_lazy("серия аттестата"), 20)
    doc_number = models.CharField(gettext_lazy("номер аттестата"), max_length=40)
    doc_date = models.DateField(gettext_lazy("дата выдачи аттестата"))
    prof_courses = opt_json(gettext_lazy("профессиональное обучение (profCourseSet)"))

    class Meta:
        verbose_name = gettext_lazy("общее образование")
        verbose_name_plural = gettext_lazy("общее образование")
        default_related_name = "general_education"
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                name="common_one_per_person",
                violation_error_message=gettext_lazy("Сведения об общем образовании у работника уже есть."),
            ),
        ]


class OrganizationMembership(PersonSection):
    """Membership in an organization (`person/organization`), e.g. a professional association."""

    organization_ref = models.CharField(gettext_lazy("организация (идентификатор)"), max_length=100)
    begin_date = models.DateField(gettext_lazy("дата вступления"))
    end_date = models.DateField(gettext_lazy("дата выхода"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("членство в организации")
        verbose_name_plural = gettext_lazy("членство в организациях")
        ordering = ["-begin_date"]
        default_related_name = "memberships"
        constraints = [
            _date_order(
                "membership_dates_order",
                "begin_date",
                "end_date",
                gettext_lazy("Дата выхода не может быть раньше вступления."),
            ),
        ]


class MilitaryService(PersonSection):
    """Military service (`person/militaryService`), 0..1 per person."""

    served = models.BooleanField(gettext_lazy("проходил военную службу"))
    begin_date = models.DateField(gettext_lazy("дата начала"), null=True, blank=True)
    end_date = models.DateField(gettext_lazy("дата окончания"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("военная служба")
        verbose_name_plural = gettext_lazy("военная служба")
        default_related_name = "military_service"
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                name="military_one_per_person",
                violation_error_message=gettext_lazy("Сведения о военной службе у работника уже есть."),
            ),
            _date_order(
                "military_dates_order",
                "begin_date",
                "end_date",
                gettext_lazy("Дата окончания не может быть раньше начала."),
            ),
        ]
