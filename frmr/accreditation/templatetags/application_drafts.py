"""`{% draft_kept_until application as kept_until %}`: the last day a draft is kept (None once sent)."""

from __future__ import annotations

import datetime

from django import template

from frmr.accreditation.models import Application
from frmr.accreditation.retention import application_kept_until

register = template.Library()


@register.simple_tag
def draft_kept_until(application: Application) -> datetime.date | None:
    return application_kept_until(application=application)
