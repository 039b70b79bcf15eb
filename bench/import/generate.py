"""Write a deterministic CSV of N employees in the import template's format (same N → same bytes).

python bench/import/generate.py --rows 50000 --department "Терапевтическое отделение" > rows.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from frmr.core.validators import inn_person_checksum, snils_checksum
from frmr.imports.columns import COLUMNS

LAST = [
    "Иванов",
    "Петров",
    "Сидоров",
    "Кузнецов",
    "Смирнов",
    "Попов",
    "Васильев",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
]
FIRST_M = [
    "Александр",
    "Сергей",
    "Дмитрий",
    "Андрей",
    "Алексей",
    "Максим",
    "Иван",
    "Михаил",
    "Николай",
    "Павел",
]
FIRST_F = ["Анна", "Елена", "Ольга", "Наталья", "Мария", "Татьяна", "Ирина", "Светлана", "Юлия", "Екатерина"]
FATHERS = [
    "Александров",
    "Сергеев",
    "Дмитриев",
    "Андреев",
    "Алексеев",
    "Иванов",
    "Михайлов",
    "Николаев",
    "Петров",
]
POSITIONS = [
    "Врач-терапевт",
    "Медицинская сестра",
    "Врач-хирург",
    "Врач-педиатр",
    "Фельдшер",
    "Врач-кардиолог",
]
SNILS_BASE = 200_000_000


def snils(n: int) -> str:
    first9 = f"{SNILS_BASE + n:09d}"
    digits = first9 + snils_checksum(first9)
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:]}"


def inn(n: int) -> str:
    first10 = f"50{n:08d}"
    return first10 + inn_person_checksum(first10)


def row(n: int, department: str) -> dict[str, str]:
    female = n % 2 == 1
    last = LAST[n % len(LAST)] + ("а" if female else "")
    first = (FIRST_F if female else FIRST_M)[(n // 7) % 10]
    father = FATHERS[(n // 3) % len(FATHERS)]
    patronymic = father + ("на" if female else "ич")
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=(n * 37) % 12000)
    hire = datetime.date(2005, 1, 10) + datetime.timedelta(days=(n * 13) % 6500)
    dismissed = n % 10 == 0
    return {
        "snils": snils(n),
        "last_name": last,
        "first_name": first,
        "patronymic": patronymic,
        "gender": "Ж" if female else "М",
        "birth_date": f"{birth:%d.%m.%Y}",
        "birth_place": "г. Москва",
        "inn": inn(n),
        "citizenship": "1",
        "phone": f"+7 9{n % 100:02d} {n % 1000:03d}-{(n // 1000) % 100:02d}-{n % 97:02d}",
        "email": f"worker{n}@example.ru",
        "passport_series": f"{4500 + n % 400:04d}",
        "passport_number": f"{n % 1_000_000:06d}",
        "passport_issue_date": f"{birth + datetime.timedelta(days=365 * 20):%d.%m.%Y}",
        "passport_issued_by": "ОВД района Хамовники г. Москвы",
        "passport_division_code": "770-001",
        "department": department,
        "position": POSITIONS[n % len(POSITIONS)],
        "position_type": "1",
        "rate": ["1", "0,5", "0,75", "0,25"][n % 4],
        "begin_date": f"{hire:%d.%m.%Y}",
        "service_number": str(10000 + n),
        "end_date": f"{hire + datetime.timedelta(days=400):%d.%m.%Y}" if dismissed else "",
        "end_reason": "2" if dismissed else "",
        "edu_type": "1",
        "edu_institution": "Первый Московский государственный медицинский университет",
        "edu_end_year": str(birth.year + 23),
        "edu_doc_series": "",
        "edu_doc_number": f"ДВС {n:07d}",
        "edu_doc_date": f"{datetime.date(birth.year + 23, 6, 30):%d.%m.%Y}",
        "edu_specialty": "Лечебное дело",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--department", default="Терапевтическое отделение")
    args = parser.parse_args()
    out = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
    out.writerow([column.header for column in COLUMNS])
    for n in range(1, args.rows + 1):
        values = row(n, args.department)
        out.writerow([values[column.key] for column in COLUMNS])


if __name__ == "__main__":
    main()
