"""The worker's application form: rendering and keeping what was typed; the rules are in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from frmr.core.text import format_phone
from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry

EMPTY_CHOICE = ("", gettext_lazy("— выберите —"))


def _entries(oid: str, **attrs: str) -> list[tuple[str, str]]:
    entries = DictionaryEntry.objects.of(oid).valid_on(timezone.localdate())
    for key, value in attrs.items():
        # Entries without the attribute belong to every parent (a dictionary loaded without links).
        entries = entries.filter(**{f"attrs__{key}": value}) | entries.exclude(**{"attrs__has_key": key})
    return [(entry.code, entry.name) for entry in entries.order_by("sort_order", "name")]


class ApplicationForm(forms.Form):
    contact_phone = forms.CharField(
        label=gettext_lazy("Контактный телефон"),
        required=False,
        max_length=32,
        help_text=gettext_lazy("По нему аккредитационный центр свяжется с вами. Например, +7 912 345-67-89."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.CharField(
        label=gettext_lazy("Электронная почта"),
        required=False,
        max_length=254,
        help_text=gettext_lazy("На этот адрес придут уведомления о рассмотрении заявления."),
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "email", "spellcheck": "false"}),
    )
    education_level = forms.ChoiceField(label=gettext_lazy("Уровень образования"), required=False)
    specialty_kind = forms.ChoiceField(
        label=gettext_lazy("Вид специальности"),
        required=False,
        help_text=gettext_lazy("Список зависит от уровня образования."),
    )
    specialty = forms.ChoiceField(
        label=gettext_lazy("Специальность"),
        required=False,
        help_text=gettext_lazy("По ней вы проходите аккредитацию; список зависит от вида специальности."),
    )
    accreditation_kind = forms.ChoiceField(
        label=gettext_lazy("Вид аккредитации"), required=False, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=gettext_lazy("Комментарий"),
        required=False,
        max_length=4000,
        help_text=gettext_lazy("Например: отпуск по уходу за ребёнком, временно не работаю."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=gettext_lazy("Даю согласие на обработку моих персональных данных для проведения аккредитации"),
        required=False,
    )

    # The asterisks of the page: what `application_submit` insists on.
    REQUIRED = (
        "contact_phone",
        "contact_email",
        "education_level",
        "specialty_kind",
        "specialty",
        "accreditation_kind",
        "consent",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        level = self._value("education_level")
        kind = self._value("specialty_kind")
        self._choice_field("education_level").choices = [EMPTY_CHOICE, *_entries(oids.EDUCATION_LEVELS)]
        self._choice_field("specialty_kind").choices = [
            EMPTY_CHOICE,
            *(_entries(oids.SPECIALTY_KINDS, education_level=level) if level else []),
        ]
        specialty_filter = {"specialty_kind": kind} if kind else {}
        self._choice_field("specialty").choices = [
            EMPTY_CHOICE,
            *(_entries(oids.SPECIALTIES, **specialty_filter) if kind else []),
        ]
        self._choice_field("accreditation_kind").choices = _entries(oids.ACCREDITATION_KINDS)
        for name in self.REQUIRED:
            self.fields[name].widget.attrs.setdefault("aria-required", "true")

    def _choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def _value(self, name: str) -> str:
        if self.is_bound:
            return str(self.data.get(name) or "")
        return str(self.initial.get(name) or "")

    def cleaned(self) -> dict[str, Any]:
        """The typed values as the draft service takes them, whether or not they are valid choices
        (the service explains what is wrong with each)."""
        data = self.data
        return {
            "contact_phone": str(data.get("contact_phone", "")),
            "contact_email": str(data.get("contact_email", "")),
            "education_level_code": data.get("education_level") or None,
            "specialty_kind_code": data.get("specialty_kind") or None,
            "specialty_code": data.get("specialty") or None,
            "accreditation_kind_code": data.get("accreditation_kind") or None,
            "comment": str(data.get("comment", "")),
            "consent": data.get("consent") in ("on", "true", "1", "yes"),
        }


def initial_from(application: Any) -> dict[str, Any]:
    def code(entry: DictionaryEntry | None) -> str:
        return entry.code if entry is not None else ""

    return {
        "contact_phone": format_phone(application.contact_phone),
        "contact_email": application.contact_email,
        "education_level": code(application.education_level),
        "specialty_kind": code(application.specialty_kind),
        "specialty": code(application.specialty),
        "accreditation_kind": code(application.accreditation_kind),
        "comment": application.comment,
        "consent": application.consent,
    }
