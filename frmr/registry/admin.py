"""Django admin of the register, for administrators.

Persons and organizations are saved through the services, so the admin writes the same audit entries
and shows the same Russian messages as the cabinets. Sections and cards are shown read-only here: they
belong to the organizations that entered them and are changed in the employer cabinet.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from frmr.registry import models as m
from frmr.registry.catalogue import PERSON_REAL_REGISTER_FIELDS
from frmr.registry.services import (
    department_create,
    department_update,
    organization_create,
    organization_update,
    organization_validate,
    person_create,
    person_update,
    person_validate,
)
from frmr.registry.services.organizations import ORGANIZATION_FIELDS
from frmr.registry.services.persons import PERSON_FIELDS


class ServiceForm(forms.ModelForm[Any]):
    """A model form whose validation is the service's: `validate` raises the service's errors."""

    def validate(self, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def _post_clean(self) -> None:
        # Replaces the model's full_clean: the service checks more (checksums, dictionaries, rights of
        # the data) and words its messages for people. The instance is filled by save_model instead.
        data = {
            name: self.cleaned_data[name] for name in self._meta.fields or () if name in self.cleaned_data
        }
        try:
            self.validate(data)
        except ValidationError as error:
            self._update_errors(error)  # type: ignore[attr-defined]


def _copy_saved(target: models.Model, saved: models.Model) -> None:
    # The admin goes on with its own object (messages, redirect): give it the saved row's state.
    target.__dict__.update({k: v for k, v in saved.__dict__.items() if k != "_state"})
    target._state.adding = False
    target._state.db = saved._state.db


# ------------------------------------------------------------------------------------------- Persons


class PersonAdminForm(ServiceForm):
    # Wider than the stored 11 digits / +7XXXXXXXXXX: people type separators, the service removes them.
    snils = forms.CharField(
        label=gettext_lazy("СНИЛС"), max_length=20, help_text=gettext_lazy("11 цифр, например 112-233-445 95")
    )
    phone = forms.CharField(label=gettext_lazy("Телефон"), max_length=32, required=False)

    class Meta:
        model = m.Person
        fields = sorted(PERSON_FIELDS)

    def validate(self, data: dict[str, Any]) -> None:
        person_validate(data=data, person=self.instance if self.instance.pk else None)


class ReadOnlySectionInline(admin.TabularInline[Any, m.Person]):
    extra = 0
    can_delete = False
    related: tuple[str, ...] = ()

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return super().get_queryset(request).select_related(*self.related)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _section_inline(model: type[models.Model]) -> type[ReadOnlySectionInline]:
    shown = [
        f.name
        for f in model._meta.concrete_fields
        if f.name not in {"id", "person", "created_at", "updated_at"}
    ]
    related = tuple(f.name for f in model._meta.concrete_fields if f.is_relation and f.name != "person")
    attrs = {"model": model, "fields": shown, "readonly_fields": shown, "related": related}
    return type(f"{model.__name__}Inline", (ReadOnlySectionInline,), attrs)


SECTION_MODELS = [
    m.IdentityDocument,
    m.Address,
    m.ProfessionalEducation,
    m.PostgraduateEducation,
    m.AdditionalEducation,
    m.SpecialistCertificate,
    m.AccreditationRecord,
    m.QualificationCategory,
    m.Award,
    m.GeneralEducation,
    m.OrganizationMembership,
    m.MilitaryService,
]


CARD_COLUMNS = ("organization", "department", "position", "position_type", "rate", "begin_date", "end_date")


class CardInline(admin.TabularInline[m.EmploymentCard, m.Person]):
    model = m.EmploymentCard
    extra = 0
    can_delete = False
    show_change_link = True
    readonly_fields = CARD_COLUMNS
    fields = CARD_COLUMNS

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        return (
            super()
            .get_queryset(request)
            .select_related("organization", "department", "position", "position_type")
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(m.Person)
class PersonAdmin(admin.ModelAdmin[m.Person]):
    form = PersonAdminForm
    list_display = ["full_name", "snils", "oid", "birth_date", "created_by_organization"]
    list_select_related = ["created_by_organization"]
    search_fields = ["=snils", "=oid", "last_name", "first_name", "patronymic"]
    readonly_fields = ["oid", "created_by_organization", "created_at", "updated_at"]
    inlines = [CardInline, *(_section_inline(model) for model in SECTION_MODELS)]
    fieldsets = [
        (None, {"fields": ["oid", "snils", "last_name", "first_name", "patronymic", "gender"]}),
        (
            gettext_lazy("Рождение и гражданство"),
            {"fields": ["birth_date", "birth_place", "death_date", "citizenship", "inn"]},
        ),
        (gettext_lazy("Контакты"), {"fields": ["phone", "email"]}),
        (
            gettext_lazy("Сведения реального регистра"),
            {"fields": list(PERSON_REAL_REGISTER_FIELDS)},
        ),
        (gettext_lazy("Служебное"), {"fields": ["created_by_organization", "created_at", "updated_at"]}),
    ]

    @admin.display(description=gettext_lazy("ФИО"), ordering="last_name")
    def full_name(self, obj: m.Person) -> str:
        return obj.full_name

    def get_search_results(
        self, request: HttpRequest, queryset: models.QuerySet[Any], search_term: str
    ) -> tuple[models.QuerySet[Any], bool]:
        # A СНИЛС typed with separators is found as well.
        digits = "".join(ch for ch in search_term if ch.isdigit())
        if len(digits) == 11 and len(search_term) <= 14:
            return queryset.filter(snils=digits), False
        return super().get_search_results(request, queryset, search_term)

    def save_model(
        self, request: HttpRequest, obj: m.Person, form: forms.ModelForm[m.Person], change: bool
    ) -> None:
        data = {name: form.cleaned_data[name] for name in PERSON_FIELDS if name in form.cleaned_data}
        actor = request.user
        if change:
            saved = person_update(actor=actor, organization=None, person=obj, data=data)  # type: ignore[arg-type]
        else:
            saved = person_create(actor=actor, organization=None, data=data)  # type: ignore[arg-type]
        _copy_saved(obj, saved)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Personal files are kept: a person leaves the register only through a documented procedure.
        return False


# ------------------------------------------------------------------------------------- Organizations


class OrganizationAdminForm(ServiceForm):
    class Meta:
        model = m.Organization
        fields = sorted(ORGANIZATION_FIELDS)

    def validate(self, data: dict[str, Any]) -> None:
        organization_validate(data=data, organization=self.instance if self.instance.pk else None)


class DepartmentInline(admin.TabularInline[m.Department, m.Organization]):
    model = m.Department
    extra = 1
    can_delete = False
    fields = ["name", "oid", "is_active"]
    readonly_fields = ["oid"]


@admin.register(m.Organization)
class OrganizationAdmin(admin.ModelAdmin[m.Organization]):
    form = OrganizationAdminForm
    list_display = ["name_short", "oid", "ogrn", "inn", "region", "is_active"]
    list_select_related = ["region"]
    list_filter = ["is_active"]
    search_fields = ["name_short", "name_full", "=oid", "=ogrn", "=inn"]
    inlines = [DepartmentInline]

    def save_model(
        self, request: HttpRequest, obj: m.Organization, form: forms.ModelForm[m.Organization], change: bool
    ) -> None:
        data = {name: form.cleaned_data[name] for name in ORGANIZATION_FIELDS if name in form.cleaned_data}
        actor = request.user
        if change:
            saved = organization_update(actor=actor, organization=obj, data=data)  # type: ignore[arg-type]
        else:
            saved = organization_create(actor=actor, data=data)  # type: ignore[arg-type]
        _copy_saved(obj, saved)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not m.Department:
            super().save_formset(request, form, formset, change)
            return
        organization = form.instance
        # The admin's change message reads these lists, normally filled by formset.save().
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for department_form in formset.forms:
            if not department_form.has_changed() or not department_form.cleaned_data:
                continue
            data = {"name": department_form.cleaned_data["name"]}
            if department_form.instance.pk is None:
                formset.new_objects.append(
                    department_create(actor=request.user, organization=organization, name=data["name"])  # type: ignore[arg-type]
                )
            else:
                data["is_active"] = department_form.cleaned_data["is_active"]
                saved = department_update(
                    actor=request.user,  # type: ignore[arg-type]
                    organization=organization,
                    department=department_form.instance,
                    data=data,
                )
                formset.changed_objects.append((saved, department_form.changed_data))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(m.Department)
class DepartmentAdmin(admin.ModelAdmin[m.Department]):
    list_display = ["name", "organization", "oid", "is_active"]
    list_select_related = ["organization"]
    list_filter = ["is_active"]
    search_fields = ["name", "=oid", "organization__name_short"]

    # Departments are added and renamed in their organization's page, through the services.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AbsenceInline(admin.TabularInline[m.Absence, m.EmploymentCard]):
    model = m.Absence
    extra = 0
    can_delete = False
    fields = ["reason", "begin_date", "end_date"]
    readonly_fields = ["reason", "begin_date", "end_date"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(m.EmploymentCard)
class EmploymentCardAdmin(admin.ModelAdmin[m.EmploymentCard]):
    list_display = ["person", "organization", "department", "position", "rate", "begin_date", "end_date"]
    list_select_related = ["person", "organization", "department", "position"]
    list_filter = [("end_date", admin.EmptyFieldListFilter)]
    search_fields = ["=person__snils", "person__last_name", "organization__name_short"]
    inlines = [AbsenceInline]

    # Cards are the employer's records: hire, transfer and dismissal happen in the employer cabinet.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
