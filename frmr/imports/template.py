"""The downloadable template: every column and one example row that imports without errors."""

from __future__ import annotations

import csv
import io

from frmr.imports.columns import COLUMNS
from frmr.registry.models import Organization


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
    writer.writerow(_example(organization))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx(organization: Organization) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Сотрудники"
    sheet.append([column.header for column in COLUMNS])
    # Every cell is text, so leading zeros and dates stay as typed.
    sheet.append(_example(organization))
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        if column.hint:
            cell.comment = Comment(column.hint, "ФРМР")
        sheet.cell(row=2, column=index).number_format = "@"
        sheet.column_dimensions[cell.column_letter].width = max(14, min(40, len(column.header) + 4))
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
