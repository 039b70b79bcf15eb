"""Template helpers of the employer cabinet."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def summary_error(label: str, error: str) -> str:
    """An error for the summary: the field's label is added only when the message does not name it."""
    return error if str(label).lower() in str(error).lower() else f"{label}: {error}"


@register.filter
def ru_plural(count: int, forms: str) -> str:
    """`{{ n|ru_plural:"строка,строки,строк" }}`: the Russian form for the number (1, 2–4, 5–20…)."""
    one, few, many = forms.split(",")
    n = abs(int(count))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many
