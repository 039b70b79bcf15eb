"""The Russian catalogue: plural forms come from it (not from hand-written rules), and the committed
compiled catalogue is the one its source compiles to."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

LC_MESSAGES = Path(__file__).resolve().parents[2] / "locale" / "ru" / "LC_MESSAGES"


@pytest.mark.parametrize(
    ("count", "accusative", "prepositional"),
    [
        (1, "1 строку", "1 строке"),
        (2, "2 строки", "2 строках"),
        (4, "4 строки", "4 строках"),
        (5, "5 строк", "5 строках"),
        (11, "11 строк", "11 строках"),
        (12, "12 строк", "12 строках"),
        (21, "21 строку", "21 строке"),
        (22, "22 строки", "22 строках"),
        (111, "111 строк", "111 строках"),
    ],
)
def test_russian_plural_forms_come_from_the_catalogue(
    count: int, accusative: str, prepositional: str
) -> None:
    with translation.override("ru"):
        assert (
            translation.ngettext("%(counter)s строку", "%(counter)s строк", count) % {"counter": count}
            == accusative
        )
        assert (
            translation.ngettext("%(counter)s строке", "%(counter)s строках", count) % {"counter": count}
            == prepositional
        )


def test_committed_mo_is_compiled_from_the_po(tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        if os.environ.get("CI") == "true":
            pytest.fail("msgfmt (the gettext package) is missing in CI")
        pytest.skip("needs msgfmt (apt-get install gettext)")
    compiled = tmp_path / "django.mo"
    subprocess.run(
        [msgfmt, "--check-format", "-o", str(compiled), str(LC_MESSAGES / "django.po")], check=True
    )
    assert compiled.read_bytes() == (LC_MESSAGES / "django.mo").read_bytes(), (
        "locale/ru/LC_MESSAGES/django.mo is stale: run `manage.py compilemessages -l ru` and commit it"
    )
