from __future__ import annotations

import re
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from frmr.nsi import oids, shipped
from frmr.nsi.models import DictionaryEntry, EntrySource
from frmr.nsi.services import dictionaries_load

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_dictionaries", *args, stdout=out)
    return out.getvalue()


def test_first_run_creates_everything_fast() -> None:
    started = time.monotonic()
    output = run()
    assert time.monotonic() - started < 5
    assert DictionaryEntry.objects.of(oids.REGIONS).count() == 89
    assert "Субъекты Российской Федерации (1.2.643.5.1.13.13.99.2.186): создано 89, обновлено 0" in output


def test_second_run_changes_nothing() -> None:
    run()
    count = DictionaryEntry.objects.count()
    results = dictionaries_load()
    assert sum(result.created for result in results) == 0
    assert sum(result.updated for result in results) == 0
    assert DictionaryEntry.objects.count() == count
    assert "всего создано 0, обновлено 0" in run()


def test_only_loads_the_named_dictionary() -> None:
    run("--only", oids.REGIONS)
    assert set(DictionaryEntry.objects.values_list("dictionary", flat=True)) == {oids.REGIONS}


def test_unknown_oid_is_a_russian_error() -> None:
    with pytest.raises(CommandError, match="нет файла"):
        run("--only", "1.2.3")


def _use_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **files: str) -> None:
    for name in oids.DATA_FILES.values():
        (tmp_path / name).write_text((shipped.DATA_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.setattr(shipped, "DATA_DIR", tmp_path)


HEADER = "code;name;parent_code;valid_from;valid_to;attrs_json\n"


def test_updated_file_changes_a_name_and_keeps_missing_entries(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    run()
    _use_data_dir(
        monkeypatch, tmp_path, **{"qualification_categories.csv": HEADER + "1;Высшая категория;;;;\n"}
    )
    results = {result.oid: result for result in dictionaries_load(only=[oids.QUALIFICATION_CATEGORIES])}
    result = results[oids.QUALIFICATION_CATEGORIES]
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    entries = dict(DictionaryEntry.objects.of(oids.QUALIFICATION_CATEGORIES).values_list("code", "name"))
    assert entries == {"1": "Высшая категория", "2": "Первая", "3": "Вторая"}


def test_parents_and_attrs_are_loaded_and_an_operator_retirement_survives_reload(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = HEADER + '2;Дочерняя;1;;;"{""k"": 1}"\n1;Родитель;;2020-01-01;;\n'
    _use_data_dir(monkeypatch, tmp_path, **{"award_kinds.csv": text})
    dictionaries_load(only=[oids.AWARD_KINDS])
    child = DictionaryEntry.objects.of(oids.AWARD_KINDS).get(code="2")
    assert child.parent is not None and child.parent.code == "1"
    assert child.attrs == {"k": 1}
    DictionaryEntry.objects.of(oids.AWARD_KINDS).filter(code="2").update(valid_to="2024-01-01")
    [result] = dictionaries_load(only=[oids.AWARD_KINDS])
    assert result.updated == 0
    assert str(DictionaryEntry.objects.of(oids.AWARD_KINDS).get(code="2").valid_to) == "2024-01-01"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("code;name\n1;x\n", "первая строка должна быть"),
        (HEADER + "1;Одна;;;;\n1;Другая;;;;\n", "строка 3: код «1» уже встречался в строке 2"),
        (HEADER + "1;Одна;;2020-13-01;;\n", "«valid_from» значение «2020-13-01» не является датой"),
        (HEADER + "1;Одна;;;;{oops\n", "«attrs_json» не JSON"),
        (HEADER + "1;Одна;9;;;\n", "родительская запись «9»"),
        (HEADER + "1;Одна;;2021-01-01;2020-01-01;\n", "раньше даты начала"),
    ],
)
def test_broken_shipped_file_is_a_russian_error_and_nothing_is_saved(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str, message: str
) -> None:
    _use_data_dir(monkeypatch, tmp_path, **{"citizenship.csv": text})
    with pytest.raises(CommandError, match=re.escape(message)):
        run()
    assert DictionaryEntry.objects.count() == 0


def test_dictionary_with_an_official_export_is_not_overwritten() -> None:
    DictionaryEntry.objects.create(
        dictionary=oids.CITIZENSHIP, code="1", name="Официальное", source=EntrySource.FRNSI
    )
    output = run()
    assert "Категории гражданства (1.2.643.5.1.13.13.99.2.315): пропущен" in output
    assert list(DictionaryEntry.objects.of(oids.CITIZENSHIP).values_list("name", flat=True)) == [
        "Официальное"
    ]
