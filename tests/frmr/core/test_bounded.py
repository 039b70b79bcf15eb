"""The bounded child process (frmr/core/bounded.py): answers, limits, and a database it never touches."""

from __future__ import annotations

import os
import time

import pytest
from django.core.exceptions import ValidationError

from frmr.accounts.models import User
from frmr.core.bounded import CRASHED, MEMORY, TIME, ChildFailed, LimitExceeded, run_bounded

LIMITS = {"memory_bytes": 256 * 1024 * 1024, "seconds": 5}


def _add(a: int, b: int, *, c: int = 0) -> int:
    return a + b + c


def _refuse() -> None:
    raise ValidationError("Файл не годится.", code="bad")


def _greedy() -> int:
    return len(bytearray(1024 * 1024 * 1024))


def _sleep() -> None:
    time.sleep(60)


def _die() -> None:
    os._exit(3)


def _query() -> int:
    return User.objects.count()


class _Unpicklable(Exception):
    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("no")


def _raise_unpicklable() -> None:
    raise _Unpicklable("сбой")


def test_the_result_comes_back() -> None:
    assert run_bounded(_add, 1, 2, c=3, **LIMITS) == 6


def test_a_validation_error_comes_back_as_it_is() -> None:
    with pytest.raises(ValidationError) as caught:
        run_bounded(_refuse, **LIMITS)
    assert caught.value.code == "bad" and caught.value.messages == ["Файл не годится."]


def test_memory_beyond_the_ceiling_is_refused() -> None:
    with pytest.raises(LimitExceeded) as caught:
        run_bounded(_greedy, memory_bytes=64 * 1024 * 1024, seconds=10)
    assert caught.value.reason == MEMORY


def test_a_child_out_of_time_is_killed() -> None:
    started = time.monotonic()
    with pytest.raises(LimitExceeded) as caught:
        run_bounded(_sleep, memory_bytes=LIMITS["memory_bytes"], seconds=0.5)
    assert caught.value.reason == TIME
    assert time.monotonic() - started < 5


def test_a_child_that_dies_is_a_crash() -> None:
    with pytest.raises(LimitExceeded) as caught:
        run_bounded(_die, **LIMITS)
    assert caught.value.reason == CRASHED


def test_an_exception_that_cannot_travel_comes_back_as_its_traceback() -> None:
    with pytest.raises(ChildFailed, match="сбой"):
        run_bounded(_raise_unpicklable, **LIMITS)


@pytest.mark.django_db
def test_the_child_never_uses_the_database_and_the_parents_connection_survives() -> None:
    User.objects.create(username="до")
    with pytest.raises(RuntimeError, match="не должен обращаться к базе данных"):
        run_bounded(_query, **LIMITS)
    assert User.objects.filter(username="до").count() == 1
