from __future__ import annotations

import datetime
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from frmr.nsi import oids
from frmr.nsi.models import DictionaryEntry, EntrySource

pytestmark = pytest.mark.django_db

OID = "1.2.643.5.1.13.13.11.1102"


def run(path: Path, *args: str, oid: str = OID) -> str:
    out = StringIO()
    call_command("import_frnsi", str(path), "--oid", oid, *args, stdout=out)
    return out.getvalue()


def entries(oid: str = OID) -> dict[str, DictionaryEntry]:
    return {entry.code: entry for entry in DictionaryEntry.objects.of(oid)}


def test_json_rest_shape_with_column_value_pairs(tmp_path: Path) -> None:
    data = {
        "result": "OK",
        "total": 3,
        "list": [
            [
                {"column": "ID", "value": "1"},
                {"column": "NAME", "value": "Врачи"},
                {"column": "GROUP", "value": "1"},
            ],
            [
                {"column": "ID", "value": "2"},
                {"column": "NAME", "value": "Врач-терапевт"},
                {"column": "PARENT", "value": "1"},
                {"column": "GROUP", "value": "2"},
            ],
            [
                {"column": "ID", "value": 3},
                {"column": "NAME", "value": "Врач-фтизиатр"},
                {"column": "PARENT", "value": "1"},
                {"column": "DATEOUT", "value": "01.09.2022"},
            ],
        ],
    }
    path = tmp_path / "1102.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    output = run(path)
    assert "создано 3, обновлено 0" in output
    stored = entries()
    assert stored["2"].parent == stored["1"]
    assert stored["2"].attrs == {"GROUP": "2"}
    assert stored["2"].source == EntrySource.FRNSI
    assert stored["3"].valid_to == datetime.date(2022, 9, 1)
    assert "создано 0, обновлено 0, без изменений 3" in run(path)


def test_plain_list_of_objects_with_explicit_columns(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"RECID": 5, "S_NAME": "Пять", "UP": None}]), encoding="utf-8")
    run(path, "--code-column", "RECID", "--name-column", "s_name", oid="1.2.3.4")
    assert entries("1.2.3.4")["5"].name == "Пять"
    assert entries("1.2.3.4")["5"].attrs == {"UP": None}


def test_csv_in_windows_1251_with_semicolons_retires_by_dateout(tmp_path: Path) -> None:
    DictionaryEntry.objects.create(dictionary=OID, code="7", name="Старое имя")
    text = (
        "ID;NAME;DATEIN;DATEOUT;FORM_30\n"
        "7;Врач-хирург;2015-01-01;;1\n"
        "8;Фельдшер-лаборант;2015-01-01;2023-09-01;2\n"
    )
    path = tmp_path / "1102.csv"
    path.write_bytes(text.encode("cp1251"))
    output = run(path)
    assert "создано 1, обновлено 1, без изменений 0" in output
    stored = entries()
    assert stored["7"].name == "Врач-хирург"
    assert stored["7"].valid_from == datetime.date(2015, 1, 1)
    assert stored["7"].valid_to is None
    assert stored["8"].valid_to == datetime.date(2023, 9, 1)
    assert stored["8"].attrs == {"FORM_30": "2"}


def test_comma_csv_in_utf8_with_actual_flag(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text('CODE,NAME_FULL,ACTUAL\n1,"Первая, длинная",true\n2,Вторая,false\n', encoding="utf-8")
    run(path)
    stored = entries()
    assert stored["1"].name == "Первая, длинная"
    assert stored["1"].valid_to is None
    assert stored["2"].valid_to == timezone.localdate()


def test_missing_entries_are_kept_or_retired_with_the_option_never_deleted(tmp_path: Path) -> None:
    DictionaryEntry.objects.create(dictionary=OID, code="old", name="Упразднённая должность")
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"ID": "1", "NAME": "Врач-терапевт"}]), encoding="utf-8")

    run(path)
    assert entries()["old"].valid_to is None

    output = run(path, "--retire-missing")
    assert "выведено из действия отсутствующих в выгрузке 1" in output
    assert entries()["old"].valid_to == timezone.localdate()
    assert entries()["1"].valid_to is None
    assert "выведено из действия отсутствующих в выгрузке 0" in run(path, "--retire-missing")
    assert set(entries()) == {"old", "1"}


def test_import_makes_load_dictionaries_leave_the_dictionary_alone(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"ID": "1", "NAME": "Гражданин Российской Федерации"}]), encoding="utf-8")
    run(path, oid=oids.CITIZENSHIP)
    call_command("load_dictionaries", stdout=StringIO())
    assert entries(oids.CITIZENSHIP)["1"].name == "Гражданин Российской Федерации"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"list": [', "не является корректным JSON"),
        ('{"items": []}', "нет списка записей"),
        ("[]", "нет ни одной записи"),
        ('[{"ID": "1"}]', "Не найден столбец наименования"),
        ('[{"NAME": "x"}]', "Не найден столбец кода"),
        (
            '[{"ID": "1", "NAME": "a"}, {"ID": "", "NAME": "b"}]',
            "Запись 2: в столбце «ID» пустое значение кода",
        ),
        (
            "ID;NAME;DATEOUT\n1;a;\n2;b;31.02.2023\n",
            "Строка 3: в столбце «DATEOUT» значение «31.02.2023» не является датой",
        ),
        ("ID;NAME\n1;a\n2;b;c\n", "Строка 3: 3 значений при 2 столбцах"),
        ("ID;NAME\n1;a\n1;b\n", "Строка 3: код «1» уже встречался в строке 2"),
        ("ID;NAME;PARENT\n1;a;99\n", "Строка 2: родительская запись «99»"),
    ],
)
def test_malformed_file_is_a_russian_command_error_and_nothing_is_saved(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape(message)):
        run(path)
    assert not DictionaryEntry.objects.exists()


def test_unknown_column_option_lists_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"ID": "1", "NAME": "a"}]), encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape("нет столбца «KOD». Есть: ID, NAME")):
        run(path, "--code-column", "KOD")


def test_missing_file_and_bad_oid(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="не найден"):
        run(tmp_path / "nope.json")
    with pytest.raises(CommandError, match="не похож на OID"):
        run(tmp_path / "nope.json", oid="specialties")
