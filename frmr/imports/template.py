"""The downloadable template: every column, and one example row that can never reach the register.

The example carries a reserved СНИЛС with a wrong control number (columns.EXAMPLE_SNILS): a file
uploaded untouched changes nothing, its example row is refused with «Это строка-образец…». In XLSX
the example lives on its own sheet «Образец», which the reader never opens (it reads the first sheet);
the sheet to fill, «Сотрудники», holds the headers only.
"""

from __future__ import annotations

import csv
import io
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frmr.imports.columns import COLUMNS
from frmr.registry.models import Organization

EXAMPLE_SHEET = gettext_lazy("Образец")
EXAMPLE_NOTE = gettext_lazy(
    "Это образец заполнения: строки этого листа не загружаются. Заполняйте лист «Сотрудники», "
    "по одному работнику в строке. СНИЛС образца ненастоящий."
)


def _example(organization: Organization) -> list[str]:
    department = organization.departments.filter(is_active=True).order_by("name").first()
    values = {column.key: column.example for column in COLUMNS}
    values["department"] = department.name if department else ""
    return [values[column.key] for column in COLUMNS]


def template_csv(organization: Organization) -> bytes:
    """UTF-8 with BOM and `;`: what Excel in a Russian locale opens correctly by double click."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.header for column in COLUMNS])
    writer.writerow(_cell_safe(_example(organization)))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# What XML 1.0 (and so a cell of an XLSX file) cannot hold, which openpyxl refuses to write, and DEL,
# which the import refuses as a control character.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _cell_safe(values: list[str]) -> list[str]:
    """Values a file can carry: control characters (e.g. in an old department name) dropped."""
    return [_NOT_IN_XML.sub("", value) for value in values]


def template_xlsx(organization: Organization) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Сотрудники")
    sample = book.create_sheet(str(EXAMPLE_SHEET))
    for target in (sheet, sample):
        target.append([column.header for column in COLUMNS])
    sample.append(_cell_safe(_example(organization)))
    sample.append([])
    sample.append([str(EXAMPLE_NOTE)])
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        for target in (sheet, sample):
            cell = target.cell(row=1, column=index)
            cell.font = Font(bold=True)
            if column.hint and target is sheet:
                cell.comment = Comment(str(column.hint), _("ФРМР"))
            target.column_dimensions[letter].width = max(14, min(40, len(column.header) + 4))
        # Every cell is text, so leading zeros and dates stay as typed.
        sheet.column_dimensions[letter].number_format = "@"
        sample.cell(row=2, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
