"""Forms of the employer cabinet. Fields and labels come from the models; the rules are the services'.

A form checks only what it must to call a service (types, required fields); the services' field-keyed
ValidationErrors are then put onto the same fields (`apply_service_errors`), so every message a person
sees is the one the register's rules produce, in the admin, the cabinet and the import alike.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.http import QueryDict
from django.utils.functional import lazy
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from frmr.core.validators import normalize_snils, validate_snils
from frmr.integration.services import api_token_default_valid_until
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry
from frmr.nsi.selectors import entries_of
from frmr.registry import models as m
from frmr.registry.catalogue import PERSON_REAL_REGISTER_FIELDS
from frmr.registry.services import editable_field_names
from frmr.registry.services.persons import PERSON_FIELDS
from frmr.registry.services.versions import StaleVersionError, read_state_token, state_token
from web.auth.widgets import SERVICE_REQUIRED, FilePickInput

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RATE_CHOICES = [
    ("", "—"),
    ("1.00", gettext_lazy("1 (полная ставка)")),
    ("0.75", "0,75"),
    ("0.50", "0,5"),
    ("0.25", "0,25"),
]
PERSON_FORM_FIELDS = [
    "snils",
    "last_name",
    "first_name",
    "patronymic",
    "gender",
    "birth_date",
    "birth_place",
    "citizenship",
    "inn",
    "phone",
    "email",
    "death_date",
    # What the real register keeps besides (the admin and the API have them too).
    *PERSON_REAL_REGISTER_FIELDS,
]
HINTS: dict[str, StrOrPromise] = {
    "snils": gettext_lazy("11 цифр, например 112-233-445 95"),
    "inn": gettext_lazy("12 цифр, если известен"),
    "phone": gettext_lazy("Например, +7 912 345-67-89"),
    "birth_date": gettext_lazy("Например, 14.03.1985"),
    "rate": gettext_lazy("Доля ставки по трудовому договору"),
    "end_year": gettext_lazy("Четыре цифры, например 2008"),
    "hours": gettext_lazy("От 1 до 10000"),
    "oksm_code": gettext_lazy("Три цифры по ОКСМ, например 643 (Россия)"),
    "military_relation": gettext_lazy("Как в документах воинского учёта работника"),
    "disabled_group_name": gettext_lazy("Римскими цифрами, как в справке МСЭ, например III"),
    "ern_id": gettext_lazy("Если работник есть в едином регистре населения"),
}
# Codes typed by hand: what their format must be (the fields are otherwise free integers or text).
CODE_RULES: dict[str, dict[str, Any]] = {
    "oksm_code": {
        "validators": [
            RegexValidator(r"^\d{3}$", gettext_lazy("Код страны по ОКСМ — три цифры, например 643."))
        ]
    },
}
# Codes the real register keeps as bare numbers, picked from a list instead of typed. Neither has a
# dictionary in the register (frmr/nsi/oids.py), and the research on the real one names none
# (frmr_domain.md §2.2 gives `militaryRelationId` and `disabledGroupId` as plain integers), so the lists
# are fixed here. Disability groups are the three the law sets (181-ФЗ, ст. 1), the values the cabinet
# always accepted. The military relations are the project's codes, like the other project codes of
# docs/nsi.md, for the categories of military registration (53-ФЗ); the API still stores whatever code a
# client sends, and a stored code outside a list stays selectable in the form (FixedCodeField.keep).
FIXED_CODES: dict[str, tuple[list[tuple[int, StrOrPromise]], StrOrPromise]] = {
    "military_relation": (
        [
            (1, gettext_lazy("Военнообязанный (состоит на воинском учёте)")),
            (2, gettext_lazy("Призывник")),
            (3, gettext_lazy("Не военнообязанный (не состоит на воинском учёте)")),
        ],
        gettext_lazy("Выберите отношение к военной службе из списка."),
    ),
    "disabled_group": (
        [
            (1, gettext_lazy("I группа")),
            (2, gettext_lazy("II группа")),
            (3, gettext_lazy("III группа")),
        ],
        gettext_lazy("Выберите группу инвалидности из списка: I, II или III группа."),
    ),
}


class FixedCodeField(forms.TypedChoiceField):
    """A code picked from one of the FIXED_CODES lists; empty means «not stated»."""

    def __init__(self, *, listed: list[tuple[int | str, StrOrPromise]], **kwargs: Any) -> None:
        super().__init__(choices=listed, **kwargs)
        self.listed = listed

    def keep(self, code: object) -> None:
        # A code a client sent through the API that the list does not name: offered as a number, so that
        # saving the form's other fields neither refuses nor drops it. Reassigned, never appended to: the
        # list is shared with the form class's own field.
        if isinstance(code, int) and not self.valid_value(str(code)):
            self.listed = [*self.listed, (code, format_lazy(gettext_lazy("код {code}"), code=code))]
            self.choices = self.listed


def _fixed_code_field(name: str) -> FixedCodeField:
    choices, refusal = FIXED_CODES[name]
    return FixedCodeField(
        listed=[("", gettext_lazy("— не указано —")), *choices],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": refusal},
    )


class EntryChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return obj.name if isinstance(obj, DictionaryEntry) else str(obj)


# Typed with separators, stored without them: the service normalizes, the form must let them through.
TYPED_LONGER = {"snils": 20, "phone": 32}


# The education records' institution: picked from the dictionary of institutions (ФРНСИ 1124), its name
# written from the entry unless typed in (a diploma may bear a name the institution had then).
INSTITUTION_CODE = "institution_code"
INSTITUTION_NAME = "institution_name"


def _institution_choices() -> list[tuple[str, str]]:
    return [("", _("— нет в справочнике —"))] + [
        (entry.code, entry.name) for entry in entries_of(oid=oids.INSTITUTIONS)
    ]


def _institution_field(field: models.Field[Any, Any]) -> forms.Field:
    return forms.TypedChoiceField(
        label=gettext_lazy("Образовательная организация (из справочника)"),
        # Evaluated when a form is made: the entries in force today, loaded or imported after start-up.
        choices=_institution_choices,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=gettext_lazy(
            "Название подставится из справочника; если организации в нём нет, впишите название ниже"
        ),
        error_messages={"invalid_choice": gettext_lazy("Выберите организацию из списка.")},
    )


# Sections whose institution the real register requires as a code (`institutionId` of ext and cert is a
# non-null number there, and the API requires it too): the cabinet must pick it, not only type a name.
INSTITUTION_CODE_REQUIRED: frozenset[type[models.Model]] = frozenset(
    {m.AdditionalEducation, m.SpecialistCertificate}
)
INSTITUTION_CODE_REQUIRED_MESSAGE = gettext_lazy(
    "Выберите образовательную организацию из справочника: в этом разделе регистр хранит её код."
)


class SectionForm(forms.Form):
    """A section's form: fills in the institution's name from the dictionary when one was picked."""

    model: type[models.Model] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, FixedCodeField):
                field.keep(self.initial.get(name))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if INSTITUTION_CODE in self.fields and INSTITUTION_NAME in self.fields:
            code, name = data.get(INSTITUTION_CODE), (data.get(INSTITUTION_NAME) or "").strip()
            if (
                code is None
                and self.model in INSTITUTION_CODE_REQUIRED
                and INSTITUTION_CODE not in self.errors
            ):
                self.add_error(INSTITUTION_CODE, INSTITUTION_CODE_REQUIRED_MESSAGE)
                return data
            if code is not None and not name:
                entry = entries_of(oid=oids.INSTITUTIONS).filter(code=str(code)).first()
                data[INSTITUTION_NAME] = entry.name if entry else ""
            if code is None and not name and INSTITUTION_NAME not in self.errors:
                self.add_error(
                    INSTITUTION_NAME,
                    _("Выберите образовательную организацию из справочника или впишите её название."),
                )
        return data


def _formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if field.name == INSTITUTION_CODE:
        return _institution_field(field)
    if field.name in TYPED_LONGER:
        kwargs["max_length"] = TYPED_LONGER[field.name]
    if isinstance(field, models.DateField):
        kwargs["widget"] = DATE_WIDGET
        kwargs.setdefault("error_messages", {"invalid": gettext_lazy("Укажите дату в виде ДД.ММ.ГГГГ.")})
    if isinstance(field, models.ForeignKey) and field.related_model is DictionaryEntry:
        kwargs["form_class"] = EntryChoiceField
        kwargs["empty_label"] = gettext_lazy("— выберите —")
    rules = CODE_RULES.get(field.name, {})
    if "min_value" in rules or "max_value" in rules:
        kwargs.update({k: v for k, v in rules.items() if k != "error_messages"})
    formfield = _fixed_code_field(field.name) if field.name in FIXED_CODES else field.formfield(**kwargs)
    if formfield is not None and rules:
        formfield.validators = [*formfield.validators, *rules.get("validators", [])]
        formfield.error_messages.update(rules.get("error_messages", {}))
    if formfield is not None:
        formfield.error_messages["required"] = format_lazy(
            gettext_lazy("Заполните поле «{name}»."), name=field.verbose_name
        )
        formfield.label = capfirst(field.verbose_name)
        formfield.help_text = HINTS.get(field.name, "")
        if field.name == INSTITUTION_NAME:
            # Either this or a pick from the dictionary (SectionForm.clean).
            formfield.required = False
            formfield.label = gettext_lazy("Название образовательной организации")
        if isinstance(formfield, forms.CharField) and formfield.max_length:
            formfield.widget.attrs.setdefault("maxlength", str(formfield.max_length))
    return formfield


@functools.cache
def form_for_model(model: type[models.Model], fields: tuple[str, ...]) -> type[forms.Form]:
    """A plain form with the model's fields (labels, choices, required-ness), writing nothing itself."""
    declared = forms.fields_for_model(model, fields=list(fields), formfield_callback=_formfield)
    if INSTITUTION_CODE in declared and INSTITUTION_NAME in declared:
        # The pick from the dictionary goes right above the name its hint calls «ниже»: the model
        # declares the code last, after the fields the section had before the dictionary came.
        code = declared.pop(INSTITUTION_CODE)
        reordered: dict[str, Any] = {}
        for name, field in declared.items():
            if name == INSTITUTION_NAME:
                reordered[INSTITUTION_CODE] = code
            reordered[name] = field
        declared = reordered
        if model in INSTITUTION_CODE_REQUIRED:
            code.required = True
            code.error_messages["required"] = INSTITUTION_CODE_REQUIRED_MESSAGE
            code.help_text = gettext_lazy(
                "Название подставится из справочника; впишите его ниже, только если в документе оно другое"
            )
    return type(f"{model.__name__}Form", (SectionForm,), {**declared, "model": model})


def section_fields(model: type[m.PersonSection]) -> tuple[str, ...]:
    names = editable_field_names(model, exclude={"person", "organization"})
    # Lists and details kept as the integration API received them (`courses[]`, `details`) are not
    # typed in by hand: the form leaves them as they are.
    return tuple(
        f.name for f in model._meta.concrete_fields if f.name in names and not isinstance(f, models.JSONField)
    )


def person_form_class() -> type[forms.Form]:
    assert set(PERSON_FORM_FIELDS) <= PERSON_FIELDS
    return form_for_model(m.Person, tuple(PERSON_FORM_FIELDS))


def initial_from(instance: models.Model, fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {name: getattr(instance, instance._meta.get_field(name).attname) for name in fields}  # type: ignore[union-attr]


def apply_service_errors(
    form: forms.Form, error: ValidationError, *, rename: dict[str, str] | None = None
) -> None:
    """Put a service's messages on the form's fields; those of unknown fields go to the top."""
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages in error.message_dict.items():
        target = rename.get(field, field)
        for message in messages:
            form.add_error(target if target in form.fields and target != NON_FIELD_ERRORS else None, message)


class EditState:
    """The version (and values) an edit form was loaded with, carried in one hidden field.

    The save passes them to the service (`expected()`), which refuses a stale save; the form then shows
    the refusal above the operator's own input and takes the register's current version (`renew`), so
    that saving again, after checking the listed fields, writes the operator's values on purpose.
    """

    NAME = "loaded_state"

    def __init__(self, form: forms.Form, instance: models.Model, fields: tuple[str, ...] | list[str]) -> None:
        self.form, self.instance, self.fields = form, instance, tuple(fields)
        form.fields[self.NAME] = forms.CharField(required=False, widget=forms.HiddenInput)
        form.initial[self.NAME] = state_token(instance, self.fields)

    def expected(self, data: dict[str, Any]) -> dict[str, Any]:
        """Take the hidden field out of `data` (the services know no such field); the service's arguments."""
        version, loaded = read_state_token(data.pop(self.NAME, None))
        return {"expected_version": version, "loaded": loaded}

    def renew(self, error: ValidationError) -> None:
        if not isinstance(error, StaleVersionError):
            return
        current = type(self.instance)._default_manager.get(pk=self.instance.pk)
        posted = self.form.data
        data = posted.copy() if isinstance(posted, QueryDict) else dict(posted)
        data[self.NAME] = state_token(current, self.fields)
        self.form.data = data


class SnilsForm(forms.Form):
    snils = forms.CharField(
        label=gettext_lazy("СНИЛС работника"),
        help_text=gettext_lazy("11 цифр в любом виде, например 112-233-445 95"),
        max_length=20,
        error_messages={"required": gettext_lazy("Введите СНИЛС работника.")},
    )

    def clean_snils(self) -> str:
        value = self.cleaned_data["snils"]
        validate_snils(value)
        return normalize_snils(value)


def _departments(organization: m.Organization) -> Any:
    return m.Department.objects.filter(organization=organization, is_active=True).order_by("name")


# The fields below are made at import, before a request chooses a language: their texts stay lazy.
def _lowered(text: StrOrPromise) -> str:
    return str(text).lower()


_lower = lazy(_lowered, str)


def _entries(oid: str) -> Any:
    return DictionaryEntry.objects.filter(dictionary=oid).order_by("sort_order", "name")


class _CardFields(forms.Form):
    def __init__(self, *args: Any, organization: m.Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "department" in self.fields:
            department = self.fields["department"]
            assert isinstance(department, forms.ModelChoiceField)
            department.queryset = _departments(organization)


def _entry_field(
    oid: str, label: StrOrPromise, *, required: bool = True, hint: StrOrPromise = ""
) -> EntryChoiceField:
    return EntryChoiceField(
        queryset=_entries(oid),
        label=label,
        required=required,
        empty_label=gettext_lazy("— выберите —"),
        help_text=hint,
        error_messages={"required": format_lazy(gettext_lazy("Выберите: {label}."), label=_lower(label))},
    )


def _date_field(label: StrOrPromise, *, required: bool = True, hint: StrOrPromise = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_WIDGET,
        help_text=hint,
        error_messages={
            "required": format_lazy(gettext_lazy("Укажите: {label}."), label=_lower(label)),
            "invalid": gettext_lazy("Укажите дату в виде ДД.ММ.ГГГГ."),
        },
    )


def _rate_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=gettext_lazy("Ставка"),
        choices=RATE_CHOICES,
        coerce=Decimal,
        help_text=HINTS["rate"],
        error_messages={"required": gettext_lazy("Выберите ставку.")},
    )


class HireForm(_CardFields):
    department = forms.ModelChoiceField(
        queryset=m.Department.objects.none(),
        label=gettext_lazy("Подразделение"),
        empty_label=gettext_lazy("— выберите —"),
        error_messages={"required": gettext_lazy("Выберите подразделение.")},
    )
    position = _entry_field(oids.POSITIONS, gettext_lazy("Должность"))
    position_type = _entry_field(oids.POSITION_TYPES, gettext_lazy("Тип занятости"))
    rate = _rate_field()
    begin_date = _date_field(gettext_lazy("Дата приёма"))
    contract_number = forms.CharField(
        label=gettext_lazy("Номер трудового договора"), required=False, max_length=40
    )
    contract_date = _date_field(gettext_lazy("Дата трудового договора"), required=False)
    service_number = forms.CharField(label=gettext_lazy("Табельный номер"), required=False, max_length=40)


class TransferForm(_CardFields):
    transfer_date = _date_field(
        gettext_lazy("Дата перевода"),
        hint=gettext_lazy("С этой даты прежняя карточка закрывается, новая открывается"),
    )
    end_reason = _entry_field(oids.DISMISSAL_REASONS, gettext_lazy("Основание закрытия прежней карточки"))
    department = forms.ModelChoiceField(
        queryset=m.Department.objects.none(),
        label=gettext_lazy("Новое подразделение"),
        empty_label=gettext_lazy("— выберите —"),
        error_messages={"required": gettext_lazy("Выберите подразделение.")},
    )
    position = _entry_field(oids.POSITIONS, gettext_lazy("Новая должность"))
    position_type = _entry_field(oids.POSITION_TYPES, gettext_lazy("Тип занятости"))
    rate = _rate_field()


class DismissForm(forms.Form):
    end_date = _date_field(gettext_lazy("Дата увольнения"))
    end_reason = _entry_field(oids.DISMISSAL_REASONS, gettext_lazy("Основание увольнения"))


class AbsenceForm(forms.Form):
    reason = _entry_field(
        oids.ABSENCE_REASONS,
        gettext_lazy("Причина отсутствия"),
        hint=gettext_lazy("Например, отпуск по беременности и родам"),
    )
    begin_date = _date_field(gettext_lazy("Дата начала"))
    end_date = _date_field(
        gettext_lazy("Дата окончания"),
        required=False,
        hint=gettext_lazy("Оставьте пустой, если дата неизвестна"),
    )


class DepartmentForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Наименование подразделения"),
        max_length=500,
        error_messages={"required": gettext_lazy("Введите наименование подразделения.")},
    )


class DepartmentEditForm(DepartmentForm):
    is_active = forms.BooleanField(label=gettext_lazy("Подразделение действует"), required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Ответ работнику"),
        widget=forms.Textarea(attrs={"rows": 5, **SERVICE_REQUIRED}),
        help_text=gettext_lazy("Что исправлено, или почему данные остаются прежними"),
        required=False,
    )
    close = forms.BooleanField(label=gettext_lazy("Закрыть запрос после ответа"), required=False)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Файл с сотрудниками"),
        help_text=gettext_lazy("XLSX или CSV (UTF-8 или Windows-1251, разделитель «;» или «,»), до 50 МБ"),
        required=False,
        widget=FilePickInput(attrs={"accept": ".xlsx,.csv", **SERVICE_REQUIRED}),
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Название токена"),
        help_text=gettext_lazy("Чтобы отличать токены, например «МИС поликлиники»"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs=SERVICE_REQUIRED),
    )
    valid_until = _date_field(
        gettext_lazy("Действует до"),
        required=False,
        hint=gettext_lazy(
            "Последний день, когда токен принимается (включительно). Предлагаем год; "
            "оставьте поле пустым для бессрочного токена"
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valid_until"].initial = api_token_default_valid_until


class WebhookForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Название"),
        help_text=gettext_lazy("Чтобы отличать вебхуки, например «МИС поликлиники»"),
        max_length=200,
        error_messages={"required": gettext_lazy("Укажите название вебхука.")},
    )
    url = forms.URLField(
        label=gettext_lazy("Адрес получателя"),
        help_text=gettext_lazy("HTTPS-адрес вашей системы, например https://mis.example.ru/frmr/webhook"),
        max_length=500,
        assume_scheme="https",
        error_messages={
            "required": gettext_lazy("Укажите адрес получателя."),
            "invalid": gettext_lazy("Укажите адрес вида https://…"),
        },
    )
    entity_types = forms.MultipleChoiceField(
        label=gettext_lazy("Какие изменения присылать"),
        help_text=gettext_lazy("Ничего не отмечено — все изменения"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from frmr.webhooks.services import ENTITY_TYPES

        super().__init__(*args, **kwargs)
        field = self.fields["entity_types"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(ENTITY_TYPES.items())
