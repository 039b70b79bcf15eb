"""Forms of the back office's actions. Required-ness is checked by the services, whose Russian messages
land on these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from web.auth.widgets import SERVICE_REQUIRED


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Причина"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, **SERVICE_REQUIRED}),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Что исправить"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, **SERVICE_REQUIRED}),
    )
    rows = forms.MultipleChoiceField(
        label=gettext_lazy("Документы, которые нужно заменить"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, row_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["rows"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = row_choices


class DecisionForm(forms.Form):
    accredited = forms.TypedChoiceField(
        label=gettext_lazy("Решение комиссии"),
        choices=[("yes", gettext_lazy("Аккредитован")), ("no", gettext_lazy("Не аккредитован"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Выберите решение комиссии.")},
    )
    protocol_number = forms.CharField(
        label=gettext_lazy("Номер протокола"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs=SERVICE_REQUIRED),
    )
    protocol_date = forms.DateField(
        label=gettext_lazy("Дата протокола"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", **SERVICE_REQUIRED}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Укажите дату протокола в виде ДД.ММ.ГГГГ.")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Причина (для отрицательного решения)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def apply_errors(form: forms.Form, error: ValidationError) -> list[str]:
    """Put a service's field-keyed messages on the form; return those that belong to no field."""
    loose: list[str] = []
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            if field in form.fields:
                for message in messages:
                    form.add_error(field, message)
            else:
                loose.extend(messages)
    else:
        loose.extend(error.messages)
    return loose
