"""The catalogue of personal-file sections: every section described once, every interface reads it.

A `Section` says what the section is called, which model holds its rows, which links its rows show,
where the worker's and the employer's cabinets, the integration API and the employee import find it.
Interfaces keep only what is theirs alone (the API's JSON field names, a cabinet's templates) and look
the rest up here; docs/registry.md («The catalogue of sections») lists the fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from frmr.registry import models as m


class FileSection(models.TextChoices):
    """Sections of the personal file the cabinets show, in their order; the values are URL slugs."""

    PERSONAL = "personal", gettext_lazy("Личные данные")
    DOCUMENTS = "documents", gettext_lazy("Документы, удостоверяющие личность")
    ADDRESSES = "addresses", gettext_lazy("Адреса")
    EDUCATION = "education", gettext_lazy("Профессиональное образование")
    POSTGRADUATE = "postgraduate", gettext_lazy("Послевузовское образование")
    ADDITIONAL = "additional", gettext_lazy("Дополнительное образование")
    CERTIFICATES = "certificates", gettext_lazy("Сертификаты специалиста")
    ACCREDITATIONS = "accreditations", gettext_lazy("Аккредитация")
    CATEGORIES = "categories", gettext_lazy("Квалификационные категории")
    AWARDS = "awards", gettext_lazy("Награды")
    EMPLOYMENT = "employment", gettext_lazy("Места работы")


@dataclass(frozen=True)
class Section:
    # The attribute of registry.selectors.PersonFile holding the rows; None: the person record itself.
    attribute: str | None
    # The registry model of one row, by name: the catalogue is read without Django set up (the
    # import's columns and the benchmark's file generator), the model only when asked for.
    model_name: str
    # The texts below are lazy, as the catalogue is built on import, before any language is active; the
    # properties `title`, `record_title` and `hint` give them in the language of the moment.
    title_text: StrOrPromise
    # One record named in a sentence, lower case («награда»): the API's messages and summaries.
    record_title_text: StrOrPromise
    # The cabinets' URL slug; None: a section only the API shows.
    slug: str | None = None
    # The worker cabinet's one-line description on the main page.
    hint_text: StrOrPromise = ""
    # Links each row shows: joined when the file is read, never fetched row by row.
    relations: tuple[str, ...] = ()
    # The employer cabinet's table columns (model fields); empty: the cabinet has its own page for it.
    columns: tuple[str, ...] = ()
    # Whether an organization enters and changes its rows (accreditation comes from the commission).
    editable: bool = True
    # The integration API's resource (`person/<resource>`); None: no section endpoint.
    api_resource: str | None = None
    # The import file's columns that fill one row of the section (frmr.imports.columns).
    import_columns: tuple[str, ...] = ()
    # Rows kept as `PersonSection` records (not the person record, not the employment cards).
    records: bool = True

    @property
    def title(self) -> str:
        return str(self.title_text)

    @property
    def record_title(self) -> str:
        return str(self.record_title_text)

    @property
    def hint(self) -> str:
        return str(self.hint_text)

    @property
    def add_title(self) -> str:
        return _("%(section)s: новая запись") % {"section": self.title}

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model("registry", self.model_name)

    @property
    def record_model(self) -> type[m.PersonSection]:
        """`model` of a section kept as `PersonSection` records; TypeError for the person or the cards."""
        from frmr.registry.models import PersonSection

        model = self.model
        if not self.records or not issubclass(model, PersonSection):
            raise TypeError(f"{self.model_name} is not a section of PersonSection records")
        return model

    def rows(self, person_file: Any) -> list[Any]:
        """The section's rows in a registry.selectors.PersonFile (none for the person record itself)."""
        return [] if self.attribute is None else list(getattr(person_file, self.attribute))


CATALOGUE: tuple[Section, ...] = (
    Section(
        None,
        "Person",
        records=False,
        record_title_text=gettext_lazy("личные данные"),
        hint_text=gettext_lazy("ФИО, СНИЛС, дата рождения, гражданство, контакты"),
        slug=FileSection.PERSONAL.value,
        title_text=FileSection.PERSONAL.label,
    ),
    Section(
        "documents",
        "IdentityDocument",
        record_title_text=gettext_lazy("документ, удостоверяющий личность"),
        hint_text=gettext_lazy("паспорт и другие документы"),
        relations=("document_type",),
        columns=("document_type", "series", "number", "issue_date", "issued_by"),
        import_columns=(
            "passport_series",
            "passport_number",
            "passport_issue_date",
            "passport_issued_by",
            "passport_division_code",
        ),
        slug=FileSection.DOCUMENTS.value,
        title_text=FileSection.DOCUMENTS.label,
    ),
    Section(
        "addresses",
        "Address",
        record_title_text=gettext_lazy("адрес"),
        hint_text=gettext_lazy("адреса регистрации и проживания"),
        relations=("address_type", "region"),
        columns=("address_type", "region", "area_name", "street_name", "house", "flat"),
        slug=FileSection.ADDRESSES.value,
        title_text=FileSection.ADDRESSES.label,
    ),
    Section(
        "professional_education",
        "ProfessionalEducation",
        record_title_text=gettext_lazy("профессиональное образование"),
        hint_text=gettext_lazy("дипломы о высшем и среднем образовании"),
        relations=("education_type", "specialty"),
        columns=("education_type", "institution_name", "end_year", "doc_number", "specialty_name"),
        api_resource="prof",
        import_columns=(
            "edu_type",
            "edu_institution",
            "edu_end_year",
            "edu_doc_series",
            "edu_doc_number",
            "edu_doc_date",
            "edu_specialty",
        ),
        slug=FileSection.EDUCATION.value,
        title_text=FileSection.EDUCATION.label,
    ),
    Section(
        "postgraduate_education",
        "PostgraduateEducation",
        record_title_text=gettext_lazy("послевузовское образование"),
        hint_text=gettext_lazy("интернатура, ординатура, аспирантура"),
        relations=("stage", "specialty"),
        columns=("stage", "institution_name", "specialty", "begin_date", "end_date"),
        api_resource="postgraduate",
        slug=FileSection.POSTGRADUATE.value,
        title_text=FileSection.POSTGRADUATE.label,
    ),
    Section(
        "additional_education",
        "AdditionalEducation",
        record_title_text=gettext_lazy("дополнительное образование"),
        hint_text=gettext_lazy("повышение квалификации и переподготовка, часы за 5 лет"),
        relations=("kind", "specialty"),
        columns=("kind", "institution_name", "theme", "hours", "doc_date"),
        api_resource="ext",
        slug=FileSection.ADDITIONAL.value,
        title_text=FileSection.ADDITIONAL.label,
    ),
    Section(
        "certificates",
        "SpecialistCertificate",
        record_title_text=gettext_lazy("сертификат специалиста"),
        hint_text=gettext_lazy("сертификаты специалиста"),
        relations=("specialty",),
        columns=("specialty", "number", "exam_date", "end_date"),
        api_resource="cert",
        slug=FileSection.CERTIFICATES.value,
        title_text=FileSection.CERTIFICATES.label,
    ),
    Section(
        "accreditations",
        "AccreditationRecord",
        record_title_text=gettext_lazy("аккредитация"),
        hint_text=gettext_lazy("пройденные аккредитации и сроки их действия"),
        relations=("kind", "specialty"),
        columns=("kind", "specialty", "pass_date", "end_date", "registry_number"),
        editable=False,
        slug=FileSection.ACCREDITATIONS.value,
        title_text=FileSection.ACCREDITATIONS.label,
    ),
    Section(
        "qualification_categories",
        "QualificationCategory",
        record_title_text=gettext_lazy("квалификационная категория"),
        hint_text=gettext_lazy("присвоенные квалификационные категории"),
        relations=("category", "specialty"),
        columns=("category", "specialty", "begin_date", "end_date"),
        api_resource="qualification",
        slug=FileSection.CATEGORIES.value,
        title_text=FileSection.CATEGORIES.label,
    ),
    Section(
        "awards",
        "Award",
        record_title_text=gettext_lazy("награда"),
        hint_text=gettext_lazy("награды и почётные звания"),
        relations=("kind",),
        columns=("kind", "number", "award_date"),
        api_resource="nomination",
        slug=FileSection.AWARDS.value,
        title_text=FileSection.AWARDS.label,
    ),
    Section(
        "cards",
        "EmploymentCard",
        records=False,
        record_title_text=gettext_lazy("карточка места работы"),
        hint_text=gettext_lazy("текущие и прошлые места работы"),
        import_columns=(
            "department",
            "position",
            "position_type",
            "rate",
            "begin_date",
            "service_number",
            "end_date",
            "end_reason",
        ),
        slug=FileSection.EMPLOYMENT.value,
        title_text=FileSection.EMPLOYMENT.label,
    ),
    # Sections of the real register the cabinets do not show; the API reads and writes them.
    Section(
        "general_education",
        "GeneralEducation",
        title_text=gettext_lazy("Общее образование"),
        record_title_text=gettext_lazy("общее образование"),
        api_resource="common",
    ),
    Section(
        "memberships",
        "OrganizationMembership",
        title_text=gettext_lazy("Членство в организациях"),
        record_title_text=gettext_lazy("членство в организации"),
        api_resource="organization",
    ),
    Section(
        "military_service",
        "MilitaryService",
        title_text=gettext_lazy("Военная служба"),
        record_title_text=gettext_lazy("военная служба"),
        api_resource="militaryService",
    ),
)

BY_SLUG: dict[str, Section] = {s.slug: s for s in CATALOGUE if s.slug is not None}
BY_ATTRIBUTE: dict[str, Section] = {s.attribute: s for s in CATALOGUE if s.attribute is not None}
BY_API_RESOURCE: dict[str, Section] = {s.api_resource: s for s in CATALOGUE if s.api_resource}
# The cabinets' sections, in FileSection's order.
CABINET_SECTIONS: tuple[Section, ...] = tuple(BY_SLUG[slug] for slug in FileSection.values)
# The sections kept as PersonSection records, each read with its links in one query.
RECORD_SECTIONS: tuple[Section, ...] = tuple(s for s in CATALOGUE if s.records)
# The employer cabinet's tables of records.
EMPLOYER_TABLES: tuple[Section, ...] = tuple(s for s in CABINET_SECTIONS if s.columns)


def section(slug: str) -> Section:
    """The cabinet section with this slug; KeyError if there is none."""
    return BY_SLUG[slug]


# The person's fields the real register keeps besides name, birth and contacts (research/frmr_domain.md):
# the employer's form, its file page and the admin show them together, in this order.
PERSON_REAL_REGISTER_FIELDS: tuple[str, ...] = (
    "mr",
    "student",
    "is_medical_worker",
    "is_pharm_worker",
    "ern_id",
    "oksm_code",
    "oksm_name",
    "military_relation",
    "is_disabled",
    "disabled_group",
    "disabled_group_name",
    "disabled_date",
    "covid19",
)
