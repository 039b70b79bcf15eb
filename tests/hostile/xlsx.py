"""Hostile XLSX files: zip archives whose parts unpack to far more than any table of employees."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable

from tests.hostile.deflate import Deflated, deflated_repeats, units_for

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    b"</Types>"
)
_ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    b'Target="worksheets/sheet1.xml"/>'
    b'<Relationship Id="rId2" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    b'Target="sharedStrings.xml"/></Relationships>'
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>СНИЛС</t></is></c></row>'.encode()


def _xlsx(members: dict[str, bytes], *, raw: dict[str, Deflated] | None = None) -> bytes:
    """A zip of the given parts; `raw` parts are stored as given, already deflated (no zlib header)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in members.items():
            book.writestr(name, data)
    if raw:
        return _append_raw_members(out.getvalue(), raw)
    return out.getvalue()


def base_parts(sheet: bytes) -> dict[str, bytes]:
    return {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>',
    }


def _append_raw_members(archive: bytes, raw: dict[str, Deflated]) -> bytes:
    """Rebuild `archive` with extra members given as (deflated bytes, CRC-32, inflated size)."""
    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for info in source.infolist():
            book.writestr(info, source.read(info))
        for name, (deflated, crc, inflated) in raw.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            _write_precompressed(book, info, deflated, crc, inflated)
    return out.getvalue()


def _write_precompressed(
    book: zipfile.ZipFile, info: zipfile.ZipInfo, deflated: bytes, crc: int, size: int
) -> None:
    """Write a member whose deflate data is already made (zipfile has no public way to do it)."""
    info.CRC = crc
    info.compress_size = len(deflated)
    info.file_size = size
    info.header_offset = book.fp.tell()  # type: ignore[union-attr]
    zip64 = size > zipfile.ZIP64_LIMIT or len(deflated) > zipfile.ZIP64_LIMIT
    book.fp.write(info.FileHeader(zip64))  # type: ignore[union-attr]
    book.fp.write(deflated)  # type: ignore[union-attr]
    book.filelist.append(info)
    book.NameToInfo[info.filename] = info
    book.start_dir = book.fp.tell()  # type: ignore[union-attr]


MARGIN = 64 * 1024  # the builders aim this far below the requested size


def xlsx_shared_strings_bomb(size: int) -> bytes:
    """A sheet of one header row, and a shared-strings table of millions of entries (~100× the file)."""
    prefix = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    )
    unit = b"<si><t>x</t></si>"
    count = units_for(size - MARGIN, unit)
    sheet = SHEET_HEAD + HEADER_ROW + b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>' + SHEET_TAIL
    parts = base_parts(sheet)
    del parts["xl/sharedStrings.xml"]
    raw = {"xl/sharedStrings.xml": deflated_repeats(prefix, unit, count, b"</sst>")}
    return _xlsx(parts, raw=raw)


def xlsx_sheet_bomb(size: int) -> bytes:
    """A sheet XML of millions of one-cell rows (~1000× the file): time, not memory, is the cost."""
    unit = b'<row><c t="inlineStr"><is><t>1</t></is></c></row>'
    count = units_for(size - MARGIN, unit)
    parts = base_parts(b"")
    del parts["xl/worksheets/sheet1.xml"]
    del parts["xl/sharedStrings.xml"]
    raw = {"xl/worksheets/sheet1.xml": deflated_repeats(SHEET_HEAD + HEADER_ROW, unit, count, SHEET_TAIL)}
    parts["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    )
    return _xlsx(parts, raw=raw)


def xlsx_many_members(size: int) -> bytes:
    """A zip whose central directory lists as many empty members as fit (reading it costs memory)."""
    head = _xlsx(base_parts(SHEET_HEAD + HEADER_ROW + SHEET_TAIL))
    start = head.rindex(b"PK\x05\x06")
    entries, directory_size, directory_offset = struct.unpack("<HII", head[start + 10 : start + 20])
    local = head[:directory_offset]
    directory = head[directory_offset : directory_offset + directory_size]
    per_member = 30 + 46 + 2 * 8  # local header, central header, an 8-byte name in both
    count = (size - len(head) - 64) // per_member
    empty_crc = 0
    locals_, centrals = [local], [directory]
    offset = len(local)
    for index in range(count):
        name = b"x/%06d" % index
        locals_.append(
            struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 0, 0, 0, empty_crc, 0, 0, len(name), 0) + name
        )
        centrals.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                0,
                0,
                0,
                empty_crc,
                0,
                0,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
        offset += 30 + len(name)
    body = b"".join(locals_)
    central = b"".join(centrals)
    total = entries + count
    if total > 0xFFFF:
        # More entries than the classic end record holds: zip64 end record and locator.
        zip64_end = struct.pack(
            "<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, total, total, len(central), len(body)
        )
        locator = struct.pack("<IIQI", 0x07064B50, 0, len(body) + len(central), 1)
        end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
        return body + central + zip64_end + locator + end
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, total, total, len(central), len(body), 0)
    return body + central + end


XLSX_BOMBS: dict[str, Callable[[int], bytes]] = {
    "shared-strings": xlsx_shared_strings_bomb,
    "sheet-xml": xlsx_sheet_bomb,
    "many-members": xlsx_many_members,
}
