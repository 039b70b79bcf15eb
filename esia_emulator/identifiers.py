"""Login identifiers as people type them: phone, e-mail or СНИЛС in any usual spelling."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SNILS_SHAPE = re.compile(r"^\d{3}[- ]?\d{3}[- ]?\d{3}[- ]?\d{2}$")


def snils_checksum(first9: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first9, range(9, 0, -1), strict=True))
    if total < 100:
        return f"{total:02d}"
    if total in (100, 101):
        return "00"
    rest = total % 101
    return "00" if rest == 100 else f"{rest:02d}"


def snils_is_valid(digits: str) -> bool:
    return len(digits) == 11 and digits.isdigit() and snils_checksum(digits[:9]) == digits[9:]


def format_snils(digits: str) -> str:
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:11]}"


def normalize_phone(text: str) -> str | None:
    digits = re.sub(r"\D", "", text)
    if len(digits) == 10 and digits.startswith("9"):
        digits = "7" + digits
    if len(digits) == 11 and digits[0] in "78":
        return "+7" + digits[1:]
    return None


def format_phone(phone: str) -> str:
    """The person API prints mobiles as +7(XXX)XXXXXXX, like the real service."""
    digits = phone[2:]
    return f"+7({digits[:3]}){digits[3:]}"


def display_phone(phone: str) -> str:
    """A stored mobile (+7XXXXXXXXXX) as people read it, `+7 916 555-44-33`: the register's own format
    on the demo table (the emulator shares no code with the product, so it keeps its own copy)."""
    digits = phone[2:]
    if not (phone.startswith("+7") and len(digits) == 10 and digits.isdigit()):
        return phone
    return f"+7 {digits[:3]} {digits[3:6]}-{digits[6:8]}-{digits[8:]}"


@dataclass(frozen=True)
class LoginCandidates:
    """Which account columns a typed login may match; several when the spelling is ambiguous."""

    email: str | None = None
    snils: str | None = None
    phone: str | None = None


def parse_login(text: str) -> LoginCandidates:
    value = text.strip()
    if not value:
        return LoginCandidates()
    if "@" in value:
        return LoginCandidates(email=value.lower())
    if not re.fullmatch(r"[\d\s()+\-.]+", value):
        return LoginCandidates()
    digits = re.sub(r"\D", "", value)
    # A leading plus or brackets only occur in phone numbers; dashed 3-3-3 2 groups only in СНИЛС.
    if value.startswith("+") or "(" in value:
        return LoginCandidates(phone=normalize_phone(value))
    if _SNILS_SHAPE.match(value) and not value.isdigit():
        return LoginCandidates(snils=digits if len(digits) == 11 else None)
    snils = digits if len(digits) == 11 else None
    return LoginCandidates(snils=snils, phone=normalize_phone(value))
