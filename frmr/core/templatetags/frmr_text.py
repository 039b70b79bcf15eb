"""`{{ phone|phone }}` and `{{ person|gendered:"уволен,уволена" }}` (see frmr.core.text)."""

from __future__ import annotations

from django import template

from frmr.core import text

register = template.Library()


@register.filter(name="phone")
def phone(value: object) -> str:
    return text.format_phone(value)


@register.filter(name="gendered")
def gendered(who: object, forms: str) -> str:
    masculine, _, feminine = forms.partition(",")
    return text.by_gender(who, masculine.strip(), feminine.strip() or masculine.strip())
