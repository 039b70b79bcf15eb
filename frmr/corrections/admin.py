"""Until the employer cabinet exists, administrators see requests here and may answer them.

Answering goes through the service (status check, audit, the worker's notification), never a raw save.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from frmr.corrections.models import CorrectionRequest
from frmr.corrections.services import correction_request_answer
from frmr.documents.responses import serve_private_file


class CorrectionAnswerForm(forms.ModelForm[CorrectionRequest]):
    new_answer = forms.CharField(
        label=gettext_lazy("Ответить работнику"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Ответ увидит работник; ему придёт уведомление."),
    )
    close = forms.BooleanField(label=gettext_lazy("Закрыть запрос вместе с ответом"), required=False)

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
        "proof_link",
        "status",
        "answer",
        "answered_by",
        "answered_at",
        "closed_at",
        "created_at",
    ]
    fieldsets = [
        (None, {"fields": ["person", "author", "organization", "section", "status", "created_at"]}),
        (gettext_lazy("Запрос"), {"fields": ["text", "expected_value", "proof_link"]}),
        (gettext_lazy("Ответ"), {"fields": ["answer", "answered_by", "answered_at", "closed_at"]}),
        (gettext_lazy("Новый ответ"), {"fields": ["new_answer", "close"]}),
    ]

    @admin.display(description=gettext_lazy("подтверждающий документ"))
    def proof_link(self, obj: CorrectionRequest) -> str:
        if not obj.has_proof:
            return "—"
        url = reverse("admin:corrections_correctionrequest_proof", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.proof_name)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:pk>/proof/",
                self.admin_site.admin_view(self.proof_view),
                name="corrections_correctionrequest_proof",
            )
        ]
        return own + super().get_urls()

    def proof_view(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        correction = get_object_or_404(CorrectionRequest, pk=pk)
        if not self.has_view_permission(request, correction) or not correction.has_proof:
            raise Http404
        return serve_private_file(
            request,
            storage_name=correction.proof_storage_name,
            display_name=correction.proof_name,
            inline=True,
        )

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
