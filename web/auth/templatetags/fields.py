"""`{{ field|is_required }}`: the form requires the field, or the service does (web/auth/widgets.py)."""

from __future__ import annotations

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter(name="is_required")
def is_required(field: BoundField) -> bool:
    return bool(field.field.required or field.field.widget.attrs.get("aria-required") == "true")
