"""How the service writes people's data back to them: one phone format, Russian that fits the person.

Every page, the application and the exports call these, so a phone number or a verb agreeing with the
person's gender reads the same everywhere (templates reach them through the `frmr_text` filters).
"""

from __future__ import annotations

import phonenumbers

from frmr.core.validators import parse_phone

# Codes of the register's `gender` field (frmr.registry.models.Gender): 1 male, 2 female.
FEMALE = 2


def format_phone(value: object) -> str:
    """`+7 916 555-44-33` for any way a Russian number is written; anything else as it was given."""
    text = str(value or "").strip()
    number = parse_phone(text)
    if number is None:
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def gender_of(who: object) -> int | None:
    """The gender code of a person, a user linked to a person, or a code itself; None if unknown."""
    if who is None:
        return None
    if isinstance(who, int):
        return who
    person = getattr(who, "person", None) if not hasattr(who, "gender") else who
    code = getattr(person, "gender", None)
    return int(code) if isinstance(code, int) else None


def by_gender(who: object, masculine: str, feminine: str, unknown: str | None = None) -> str:
    """The word agreeing with the person: «уволен» / «уволена». When the gender is unknown (a user
    without a person in the register): `unknown` if given (a wording that needs no gender), else the
    masculine form, as Russian official text does."""
    gender = gender_of(who)
    if gender is None and unknown is not None:
        return unknown
    return feminine if gender == FEMALE else masculine
