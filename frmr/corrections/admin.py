"""Until the employer cabinet exists, administrators see requests here and may answer them.

Answering goes through the service (status check, audit, the worker's notification), never a raw save.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from frmr.corrections.models import CorrectionRequest
from frmr.corrections.services import correction_request_answer


class CorrectionAnswerForm(forms.ModelForm[CorrectionRequest]):
    new_answer = forms.CharField(
        label="Ответить работнику",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ответ увидит работник; ему придёт уведомление.",
    )
    close = forms.BooleanField(label="Закрыть запрос вместе с ответом", required=False)

    class Meta:
        model = CorrectionRequest
        fields: list[str] = []


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(admin.ModelAdmin[CorrectionRequest]):
    form = CorrectionAnswerForm
    list_display = ["pk", "created_at", "person", "organization", "section", "status", "answered_at"]
    list_filter = ["status", "section", "organization"]
    search_fields = ["person__last_name", "person__snils", "organization__name_short", "text"]
    list_select_related = ["person", "organization"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "person",
        "author",
        "organization",
        "section",
        "text",
        "expected_value",
        "proof",
        "proof_name",
        "status",
        "answer",
        "answered_by",
        "answered_at",
        "closed_at",
        "created_at",
    ]
    fieldsets = [
        (None, {"fields": ["person", "author", "organization", "section", "status", "created_at"]}),
        ("Запрос", {"fields": ["text", "expected_value", "proof", "proof_name"]}),
        ("Ответ", {"fields": ["answer", "answered_by", "answered_at", "closed_at"]}),
        ("Новый ответ", {"fields": ["new_answer", "close"]}),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: CorrectionRequest, form: Any, change: bool) -> None:
        answer = form.cleaned_data.get("new_answer", "")
        if not answer:
            return
        try:
            correction_request_answer(
                actor=request.user,  # type: ignore[arg-type]
                correction=obj,
                answer=answer,
                close=bool(form.cleaned_data.get("close")),
            )
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), level=messages.ERROR)
