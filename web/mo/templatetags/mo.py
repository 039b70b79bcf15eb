"""Template helpers of the employer cabinet."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def summary_error(label: str, error: str) -> str:
    """An error for the summary: the field's label is added only when the message does not name it."""
    return error if str(label).lower() in str(error).lower() else f"{label}: {error}"
