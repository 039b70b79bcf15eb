"""Forms of the worker's cabinet. They only collect input: the rules live in the services they feed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from frmr.corrections.models import TEXT_MAX_LENGTH
from frmr.documents.pdf import format_megabytes
from frmr.registry.catalogue import FileSection
from frmr.registry.models import Organization
from web.auth.widgets import FilePickInput


class AccessibleForm(forms.Form):
    """Links every input to its hint and error (aria-describedby) and marks invalid ones (aria-invalid)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-hint"

    def full_clean(self) -> None:
        super().full_clean()
        self._describe_fields()

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError next to the fields it names, or at the top."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)
        self._describe_fields()

    def _describe_fields(self) -> None:
        for name, field in self.fields.items():
            described = [f"id_{name}-hint"] if field.help_text else []
            if self.is_bound and name in self.errors:
                described.append(f"id_{name}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


class ContactsForm(AccessibleForm):
    # Plain text fields: the service validates and normalizes, so the user's own spelling is kept on error.
    phone = forms.CharField(
        label=gettext_lazy("Мобильный телефон"),
        required=False,
        max_length=32,
        help_text=gettext_lazy("Российский мобильный номер, например +7 912 345-67-89."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(
        label=gettext_lazy("Электронная почта"),
        required=False,
        max_length=254,
        help_text=gettext_lazy("На этот адрес придут уведомления, например name@example.ru."),
        widget=forms.TextInput(
            attrs={"type": "email", "autocomplete": "email", "spellcheck": "false", "inputmode": "email"}
        ),
    )
    # The version and values the page was loaded with (frmr.registry.services.versions.state_token):
    # an employer may change the phone while the worker has this form open.
    loaded_state = forms.CharField(required=False, widget=forms.HiddenInput)

    def renew_state(self, token: str) -> None:
        """After a refused stale save: keep the worker's input, take the register's current version."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data["loaded_state"] = token
        self.data = data


class CorrectionForm(AccessibleForm):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Кому отправить"),
        queryset=Organization.objects.none(),
        empty_label=gettext_lazy("— выберите организацию —"),
        help_text=gettext_lazy("Исправить данные может организация, в которой вы работаете или работали."),
        error_messages={
            "required": gettext_lazy("Выберите организацию, которой адресован запрос."),
            "invalid_choice": gettext_lazy("Выберите организацию из списка."),
        },
    )
    section = forms.ChoiceField(
        label=gettext_lazy("Раздел личного дела"),
        choices=[("", gettext_lazy("— выберите раздел —")), *FileSection.choices],
        error_messages={
            "required": gettext_lazy("Выберите раздел личного дела, в котором ошибка."),
            "invalid_choice": gettext_lazy("Выберите раздел из списка."),
        },
    )
    text = forms.CharField(
        label=gettext_lazy("Что указано неверно"),
        max_length=TEXT_MAX_LENGTH,
        help_text=gettext_lazy("Например: «В дипломе указан год окончания 2009»."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": gettext_lazy("Опишите, что указано неверно."),
            "max_length": format_lazy(gettext_lazy("Не больше {count} символов."), count=TEXT_MAX_LENGTH),
        },
    )
    expected_value = forms.CharField(
        label=gettext_lazy("Как должно быть"),
        max_length=TEXT_MAX_LENGTH,
        help_text=gettext_lazy("Например: «Год окончания — 2008»."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": gettext_lazy("Укажите, как должно быть."),
            "max_length": format_lazy(gettext_lazy("Не больше {count} символов."), count=TEXT_MAX_LENGTH),
        },
    )

    proof = forms.FileField(
        label=gettext_lazy("Подтверждающий документ"),
        required=False,
        help_text=format_lazy(
            gettext_lazy(
                "Необязательно. Скан документа в формате PDF, например диплома, не больше {megabytes} МБ."
            ),
            megabytes=format_megabytes(settings.DOCUMENT_MAX_BYTES),
        ),
        widget=FilePickInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def __init__(self, *args: Any, employers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = employers
