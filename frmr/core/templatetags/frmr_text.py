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
    """`"м,ж"` or `"м,ж,без рода"` (the last when the gender is not known)."""
    masculine, feminine, unknown = ([form.strip() for form in forms.split(",")] + ["", ""])[:3]
    return text.by_gender(who, masculine, feminine or masculine, unknown or None)
