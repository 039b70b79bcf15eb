from __future__ import annotations

import datetime
from collections.abc import Callable

import phonenumbers
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from frmr.core import validators as v

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


def nine_digits_above_threshold() -> st.SearchStrategy[str]:
    return st.integers(min_value=v.SNILS_CHECK_THRESHOLD + 1, max_value=999_999_999).map(lambda n: f"{n:09d}")


def accepts(validator: Callable[[str], None], value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def codes(validator: Callable[[str], None], value: str) -> str:
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value.code or ""


# ---------------------------------------------------------------------------------------------- СНИЛС


def test_snils_known_good_number_in_every_spelling() -> None:
    for spelling in ("112-233-445 95", "11223344595", "112 233 445 95", "112-233-445-95"):
        v.validate_snils(spelling)


def test_snils_messages_tell_length_from_checksum() -> None:
    with pytest.raises(ValidationError, match="11 цифр") as caught:
        v.validate_snils("112-233-445")
    assert caught.value.code == "snils_length"
    with pytest.raises(ValidationError, match="Контрольное число СНИЛС не совпадает") as caught:
        v.validate_snils("112-233-445 96")
    assert caught.value.code == "snils_checksum"
    assert codes(v.validate_snils, "1122334459a") == "snils_length"


def test_snils_checksum_rule_edges() -> None:
    # sum < 100 → the sum; 100 and 101 → 00; over 101 → sum mod 101, where a remainder of 100 → 00.
    assert v.snils_checksum("422002364") == "99"  # sum 99
    assert v.snils_checksum("101830085") == "00"  # sum 100
    assert v.snils_checksum("201118493") == "00"  # sum 101
    assert v.snils_checksum("520031426") == "01"  # sum 102
    assert v.snils_checksum("149590612") == "00"  # sum 201: 201 mod 101 = 100 → 00
    assert v.snils_checksum("976496814") == "00"  # sum 302: remainder 100 → 00
    assert v.snils_checksum("999999999") == "01"  # sum 405: remainder 1
    with pytest.raises(ValueError):
        v.snils_checksum("12345678")


def test_snils_at_or_below_threshold_is_not_checksum_checked() -> None:
    v.validate_snils("001-001-998 00")
    v.validate_snils("001-001-998 77")
    with pytest.raises(ValidationError):
        v.validate_snils("001-001-999 77")


@given(nine_digits_above_threshold())
def test_snils_with_computed_checksum_validates(first9: str) -> None:
    v.validate_snils(first9 + v.snils_checksum(first9))


@given(nine_digits_above_threshold(), st.integers(0, 10), st.integers(1, 9))
def test_snils_single_digit_change_is_rejected(first9: str, position: int, shift: int) -> None:
    """One changed digit is always caught, with one exact exception.

    The check number is `sum mod 101 mod 100`, so residues 0 and 100 both give "00". A change of the
    ninth digit (weight 1) by ±1 that moves the residue between 0 and 100 keeps the check number:
    e.g. 149-590-612 00 and 149-590-613 00 are both valid. Every other single-digit change shifts the
    weighted sum by 1..81 (not ≡ 0 mod 101) and is caught.
    """
    good = first9 + v.snils_checksum(first9)
    new_digit = (int(good[position]) + shift) % 10
    bad = good[:position] + str(new_digit) + good[position + 1 :]
    if int(bad[:9]) <= v.SNILS_CHECK_THRESHOLD:
        return  # left the checked range: nothing to assert
    weight = 9 - position
    delta = new_digit - int(good[position])
    old_total = sum(int(d) * w for d, w in zip(good[:9], range(9, 0, -1), strict=True))
    collision = position == 8 and {old_total % 101, (old_total + delta * weight) % 101} == {0, 100}
    assert accepts(v.validate_snils, bad) is collision


def test_snils_documented_collision_exists() -> None:
    # weighted sums 201 and 202: remainders 100 and 0, both give "00"
    assert accepts(v.validate_snils, "14959061200") and accepts(v.validate_snils, "14959061300")


@given(nine_digits_above_threshold())
def test_snils_normalize_format_round_trip(first9: str) -> None:
    plain = first9 + v.snils_checksum(first9)
    formatted = v.format_snils(plain)
    assert formatted == f"{plain[:3]}-{plain[3:6]}-{plain[6:9]} {plain[9:]}"
    assert v.normalize_snils(formatted) == plain
    assert v.format_snils(formatted) == formatted


# ------------------------------------------------------------------------------------------- ИНН, ОГРН


def test_inn_known_numbers() -> None:
    v.validate_inn("7707083893")  # ПАО Сбербанк
    v.validate_inn_legal("7707083893")
    v.validate_inn("500100732259")
    v.validate_inn_person("500100732259")
    assert codes(v.validate_inn, "7707083894") == "inn_checksum"
    assert codes(v.validate_inn, "500100732250") == "inn_checksum"
    assert codes(v.validate_inn, "12345") == "inn_length"
    assert codes(v.validate_inn_person, "7707083893") == "inn_length"
    with pytest.raises(ValidationError, match="12 цифр"):
        v.validate_inn_person("7707083893")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 9), st.integers(1, 9))
def test_inn_legal_property(first9: str, position: int, shift: int) -> None:
    """10-digit ИНН: `weighted sum mod 11 mod 10`, so residues 10 and 0 share the check digit 0.

    A single-digit change slips through exactly when it moves the residue between 0 and 10; every other
    change is caught (the weights 2..10 are all invertible mod 11).
    """
    good = first9 + v.inn_legal_checksum(first9)
    v.validate_inn_legal(good)
    new_digit = (int(good[position]) + shift) % 10
    bad = good[:position] + str(new_digit) + good[position + 1 :]
    weights = (2, 4, 10, 3, 5, 9, 4, 6, 8)

    def residue(number: str) -> int:
        return sum(int(d) * w for d, w in zip(number[:9], weights, strict=True)) % 11

    collision = position < 9 and {residue(good), residue(bad)} == {0, 10}
    assert accepts(v.validate_inn_legal, bad) is collision


@given(st.text(alphabet="0123456789", min_size=10, max_size=10), st.integers(0, 11), st.integers(1, 9))
def test_inn_person_single_digit_change_is_always_rejected(first10: str, position: int, shift: int) -> None:
    """12-digit ИНН has no single-digit collision: for each position the two weights differ by more than
    a sign mod 11, so both check digits cannot slip through the 0/10 merge at once (checked for all)."""
    good = first10 + v.inn_person_checksum(first10)
    v.validate_inn_person(good)
    new_digit = (int(good[position]) + shift) % 10
    bad = good[:position] + str(new_digit) + good[position + 1 :]
    assert not accepts(v.validate_inn_person, bad)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(0, 12), st.integers(1, 9))
def test_ogrn_property(first12: str, position: int, shift: int) -> None:
    """ОГРН: `first 12 digits mod 11 mod 10`. Powers of 10 are ±1 mod 11, so a change by d moves the
    residue by ±d: caught unless it moves the residue between 0 and 10 (a ±1 change, check digit 0)."""
    good = first12 + v.ogrn_checksum(first12)
    v.validate_ogrn(good)
    new_digit = (int(good[position]) + shift) % 10
    bad = good[:position] + str(new_digit) + good[position + 1 :]
    collision = position < 12 and {int(good[:12]) % 11, int(bad[:12]) % 11} == {0, 10}
    assert accepts(v.validate_ogrn, bad) is collision


def test_ogrn_and_ogrnip_known_numbers() -> None:
    v.validate_ogrn("1027700132195")  # ПАО Сбербанк
    assert codes(v.validate_ogrn, "1027700132196") == "ogrn_checksum"
    assert codes(v.validate_ogrn, "102770013219") == "ogrn_length"
    v.validate_ogrnip("304500116000157")
    assert codes(v.validate_ogrnip, "304500116000158") == "ogrnip_checksum"
    assert codes(v.validate_ogrnip, "30450011600015") == "ogrnip_length"


@given(st.text(alphabet="0123456789", min_size=14, max_size=14))
def test_ogrnip_computed_checksum_validates(first14: str) -> None:
    v.validate_ogrnip(first14 + v.ogrnip_checksum(first14))


def test_kpp() -> None:
    v.validate_kpp("770101001")
    v.validate_kpp("7701AB001")
    for bad in ("77010100", "7701ab001", "77010100X", ""):
        assert codes(v.validate_kpp, bad) == "kpp_format"


# ------------------------------------------------------------------------------------- ФИО and others


@pytest.mark.parametrize("good", ["Иванова", "Салтыков-Щедрин", "Д'Артаньян", "Мария Антуанетта", "Ёлкин"])
def test_fio_accepts_russian_names(good: str) -> None:
    v.validate_fio_part(good)


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        ("Ivanova", "Латинские"),
        ("Иванoва", "Латинские"),  # a Latin «o» hidden among Cyrillic letters
        ("Иванова2", "Цифры"),
        ("---", "хотя бы одна буква"),
        ("Иванова!", "Недопустимые символы: !"),
    ],
)
def test_fio_rejects_with_what_is_allowed(bad: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        v.validate_fio_part(bad)
    assert fragment in caught.value.messages[0]
    assert "Допустимы русские буквы, дефис, пробел и апостроф." in caught.value.messages[0]
    assert caught.value.code == "fio_chars"


def test_not_future() -> None:
    today = timezone.localdate()
    v.validate_not_future(today)
    v.validate_not_future(None)
    with pytest.raises(ValidationError, match="в будущем"):
        v.validate_not_future(today + datetime.timedelta(days=1))


@pytest.mark.parametrize(
    "spelling", ["+7 (912) 345-67-89", "89123456789", "8 912 345 67 89", "+79123456789", "79123456789"]
)
def test_phone_spellings_normalize(spelling: str) -> None:
    assert v.normalize_phone(spelling) == "+79123456789"
    v.validate_ru_mobile_phone(spelling)


def test_phone_refusals() -> None:
    assert codes(v.validate_ru_mobile_phone, "+7 (495) 123-45-67") == "phone_not_mobile"
    assert codes(v.validate_ru_mobile_phone, "+7 912 345") == "phone_format"
    assert codes(v.validate_ru_mobile_phone, "+1 912 345 67 89") == "phone_format"
    assert v.normalize_phone("+7 (495) 123-45-67") == "+74951234567"


def test_email_message_is_russian() -> None:
    v.validate_email("nina@example.ru")
    with pytest.raises(ValidationError, match="электронной почты") as caught:
        v.validate_email("nina@")
    assert caught.value.code == "email_format"


def _through_the_parser(text: str) -> str | None:
    number = v.parse_phone(text)
    return None if number is None else phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@given(
    digits=st.text(alphabet="0123456789", min_size=8, max_size=12),
    lead=st.sampled_from(["+7", "8", "7", "", "+", "+8"]),
    separators=st.lists(st.sampled_from([" ", "-", "(", ")", "  ", " - "]), max_size=6),
    cuts=st.lists(st.integers(min_value=0, max_value=14), max_size=6),
)
def test_phone_fast_path_answers_as_the_parser(
    digits: str, lead: str, separators: list[str], cuts: list[int]
) -> None:
    text = lead + digits
    for separator, cut in zip(separators, cuts, strict=False):
        text = text[:cut] + separator + text[cut:]
    expected = _through_the_parser(text)
    if expected is None:
        with pytest.raises(ValidationError):
            v.normalize_phone(text)
    else:
        assert v.normalize_phone(text) == expected
