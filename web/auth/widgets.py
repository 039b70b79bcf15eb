"""Form widgets shared by every cabinet.

`SERVICE_REQUIRED` marks a field whose emptiness the domain service refuses (with its own Russian
message) while the form leaves it optional, so that the rule stays in one place: the field still shows
«*» and tells assistive technology it is required (`{{ field|is_required }}` in web/auth/templatetags).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

SERVICE_REQUIRED = {"aria-required": "true"}
CHOOSE = gettext_lazy("Выбрать файл")


class FilePickInput(forms.FileInput):
    """The one styled file control: a «Выбрать файл» button and the chosen file's name.

    Without JavaScript the browser's own control is shown instead (static/js/frmr.js enhances it).
    """

    template_name = "widgets/file_pick.html"

    def __init__(self, attrs: dict[str, Any] | None = None, *, choose: StrOrPromise = CHOOSE) -> None:
        super().__init__(attrs)
        self.choose = choose

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["choose"] = self.choose
        return context
