"""Status names that agree with the applicant: «Аккредитована» for a woman, «Аккредитован» for a man."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from frmr.accreditation.models import ApplicationStatus
from frmr.core.text import by_gender

S = ApplicationStatus
# The statuses that describe the person rather than the application; the choices hold the masculine.
_FEMININE = {S.ACCREDITED: gettext_lazy("Аккредитована"), S.NOT_ACCREDITED: gettext_lazy("Не аккредитована")}


def status_label(status: str, person: object) -> str:
    """The status as shown to people: the choice's label, agreeing with the person where it names them."""
    try:
        choice = S(status)
    except ValueError:
        return str(status)
    feminine = _FEMININE.get(choice)
    return by_gender(person, str(choice.label), str(feminine)) if feminine else str(choice.label)
