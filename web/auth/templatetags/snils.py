"""`{{ value|snils }}`: СНИЛС as people write it, NNN-NNN-NNN NN."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter(name="snils")
def snils_format(value: object) -> str:
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    if len(digits) != 11:
        return str(value or "")
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:]}"
