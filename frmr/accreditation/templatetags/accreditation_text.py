"""`{{ application|status_label }}`, `{{ event.to_status|status_label:application.person }}`."""

from __future__ import annotations

from django import template

from frmr.accreditation import labels

register = template.Library()


@register.filter(name="status_label")
def status_label(value: object, person: object = None) -> str:
    if hasattr(value, "status") and hasattr(value, "person"):
        return labels.status_label(str(value.status), value.person)
    return labels.status_label(str(value), person)
