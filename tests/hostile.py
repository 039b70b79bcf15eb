"""Hostile upload files (decompression bombs and the like), built on the fly for the tests.

Nothing here is committed as a binary: every file is produced from a few kilobytes of code in well
under a second, whatever size it claims to unpack to. The deflate data is made of one compressed
block of zeros repeated many times (after a full flush a block does not refer to earlier data), so
a 25 MB file that inflates to 25 GB costs no more to build than to write.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

ZERO_BLOCK_BYTES = 8 * 1024 * 1024  # what one repeated deflate block inflates to
ADLER_MOD = 65521
PDF_LIMIT = 25 * 1024 * 1024
IMPORT_LIMIT = 50 * 1024 * 1024


def _zero_block() -> bytes:
    """One deflate block (no zlib header) of ZERO_BLOCK_BYTES zero bytes, ending byte-aligned."""
    packer = zlib.compressobj(9)
    body = packer.compress(bytes(ZERO_BLOCK_BYTES)) + packer.flush(zlib.Z_FULL_FLUSH)
    return body[2:]  # the two-byte zlib header; the flush left no trailer


def zlib_bomb(prefix: bytes, compressed_size: int, *, suffix: bytes = b"") -> bytes:
    return zlib_bomb_sized(prefix, compressed_size, suffix=suffix)[0]


def zlib_bomb_sized(
    prefix: bytes, compressed_size: int, *, suffix: bytes = b"", multiple: int = 1
) -> tuple[bytes, int]:
    """A valid zlib stream of about `compressed_size` bytes: `prefix`, ~1000× as many zeros, `suffix`.

    The checksum is right, so a reader that reaches the end sees a sound stream: refusing it must
    rest on its size, not on damage.
    """
    packer = zlib.compressobj(9)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    block = _zero_block()
    repeats = max(1, (compressed_size - len(head)) // len(block))
    inflated = len(prefix) + repeats * ZERO_BLOCK_BYTES + len(suffix)
    suffix = bytes(-inflated % multiple) + suffix
    inflated += -inflated % multiple
    tail_packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    tail = tail_packer.compress(suffix) + tail_packer.flush(zlib.Z_FINISH)
    adler = zlib.adler32(prefix)
    low, high = adler & 0xFFFF, adler >> 16
    # Zeros leave the low sum as it is and add it to the high sum once per byte.
    high = (high + low * (repeats * ZERO_BLOCK_BYTES)) % ADLER_MOD
    adler = zlib.adler32(suffix, (high << 16) | low)
    return head + block * repeats + tail + struct.pack(">I", adler), inflated


# --- PDF ---------------------------------------------------------------------------------------------


def _pdf(objects: list[bytes], *, trailer: bytes, xref: bool = True) -> bytes:
    """A PDF from numbered object bodies (object i+1 = objects[i]), with a classic xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    start = out.tell()
    if xref:
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
        for offset in offsets:
            out.write(b"%010d 00000 n \n" % offset)
        out.write(b"trailer\n" + trailer + b"\n")
    out.write(b"startxref\n%d\n%%%%EOF\n" % start)
    return out.getvalue()


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def pdf_object_stream_bomb(size: int) -> bytes:
    """The catalog and the page tree live in an object stream that inflates ~1000× the file's size.

    qpdf unpacks an object stream in full to read any object of it, so merely counting pages pays
    for all of it.
    """
    inner = b"<< /Type /Catalog /Pages 3 0 R >>\n<< /Type /Pages /Kids [4 0 R] /Count 1 >>\n"
    header = b"2 0 3 %d " % len(b"<< /Type /Catalog /Pages 3 0 R >>\n")
    first = len(header)
    packed = zlib_bomb(header + inner, size)
    objects = [
        _stream(b"/Type /ObjStm /N 2 /First %d /Filter /FlateDecode" % first, packed),
        b"",  # placeholders: 2 and 3 are in the object stream
        b"",
        b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
    ]
    return _pdf_with_xref_stream(objects, in_stream={2: (1, 0), 3: (1, 1)}, root=2)


def _pdf_with_xref_stream(objects: list[bytes], *, in_stream: dict[int, tuple[int, int]], root: int) -> bytes:
    """A PDF 1.5 file with a cross-reference stream (needed to point into object streams)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number, body in enumerate(objects, start=1):
        if number in in_stream:
            continue
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref_number = len(objects) + 1
    offsets[xref_number] = out.tell()
    rows = [b"\x00\x00\x00\x00\xff\xff"]
    for number in range(1, xref_number + 1):
        if number in in_stream:
            container, index = in_stream[number]
            rows.append(struct.pack(">BIB", 2, container, index))
        else:
            rows.append(struct.pack(">BIB", 1, offsets[number], 0))
    data = b"".join(rows)
    body = _stream(b"/Type /XRef /Size %d /W [1 4 1] /Root %d 0 R" % (xref_number + 1, root), data)
    out.write(b"%d 0 obj\n" % xref_number + body + b"\nendobj\n")
    out.write(b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number])
    return out.getvalue()


def pdf_content_stream_bomb(size: int) -> bytes:
    """A one-page PDF whose page content inflates ~1000× (a reader that draws the page pays)."""
    content = zlib_bomb(b"q 0 0 1 rg ", size, suffix=b" Q")
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents 4 0 R >>",
            _stream(b"/Filter /FlateDecode", content),
        ],
        trailer=b"<< /Size 5 /Root 1 0 R >>",
    )


def pdf_xref_stream_bomb(size: int) -> bytes:
    """The cross-reference stream itself inflates ~1000×: billions of free entries after the real ones."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref_offset = out.tell()
    rows = b"\x00\x00\x00\x00\xff\xff" + b"".join(struct.pack(">BIB", 1, o, 0) for o in offsets)
    rows += struct.pack(">BIB", 1, xref_offset, 0)
    packed, inflated = zlib_bomb_sized(rows, size, multiple=6)
    entries = inflated // 6
    dictionary = b"/Type /XRef /Size %d /W [1 4 1] /Root 1 0 R /Filter /FlateDecode" % entries
    out.write(b"4 0 obj\n" + _stream(dictionary, packed) + b"\nendobj\n")
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref_offset)
    return out.getvalue()


def pdf_huge_xref_table(size: int) -> bytes:
    """A classic xref table with as many entries as fit in `size` bytes (20 bytes each)."""
    head = _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
        ],
        trailer=b"",
        xref=False,
    )
    body = head[: head.index(b"startxref")]
    count = max(4, (size - len(body) - 200) // 20)
    out = io.BytesIO()
    out.write(body)
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % count)
    for offset in _object_offsets(body, 3):
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"0000000000 00000 f \n" * (count - 4))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, start))
    return out.getvalue()


def _object_offsets(data: bytes, count: int) -> list[int]:
    return [data.index(b"\n%d 0 obj" % number) + 1 for number in range(1, count + 1)]


def pdf_deep_nesting(size: int) -> bytes:
    """Arrays nested as deep as the file allows, in the catalog (a recursive parser overflows its stack)."""
    depth = max(1000, (size - 400) // 2)
    nested = b"[" * depth + b"]" * depth
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Junk " + nested + b" >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
        ],
        trailer=b"<< /Size 4 /Root 1 0 R >>",
    )


def pdf_page_tree_bomb(size: int) -> bytes:
    """A page tree whose Kids array names the same page hundreds of thousands of times.

    qpdf copies a page met twice in the tree, so counting pages would build every copy.
    """
    count = max(1000, (size - 600) // 6)
    kids = b"[" + b"3 0 R " * count + b"]"
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids " + kids + b" /Count %d >>" % count,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
        ],
        trailer=b"<< /Size 4 /Root 1 0 R >>",
    )


PDF_BOMBS: dict[str, Callable[[int], bytes]] = {
    "object-stream": pdf_object_stream_bomb,
    "content-stream": pdf_content_stream_bomb,
    "xref-stream": pdf_xref_stream_bomb,
    "huge-xref-table": pdf_huge_xref_table,
    "deep-nesting": pdf_deep_nesting,
    "page-tree": pdf_page_tree_bomb,
}


# --- XLSX --------------------------------------------------------------------------------------------

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
_SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = b"</sheetData></worksheet>"
_HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>СНИЛС</t></is></c></row>'.encode()


def _gf2_times(matrix: list[int], vector: int) -> int:
    total = 0
    index = 0
    while vector:
        if vector & 1:
            total ^= matrix[index]
        vector >>= 1
        index += 1
    return total


def _gf2_square(matrix: list[int]) -> list[int]:
    return [_gf2_times(matrix, row) for row in matrix]


def crc32_combine(crc1: int, crc2: int, length2: int) -> int:
    """CRC-32 of A+B from CRC(A), CRC(B) and len(B): zlib's crc32_combine (GF(2) matrix powers)."""
    if length2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]  # the operator for one zero bit
    even = _gf2_square(odd)  # two zero bits
    odd = _gf2_square(even)  # four zero bits
    while True:
        even = _gf2_square(odd)
        if length2 & 1:
            crc1 = _gf2_times(even, crc1)
        length2 >>= 1
        if not length2:
            break
        odd = _gf2_square(even)
        if length2 & 1:
            crc1 = _gf2_times(odd, crc1)
        length2 >>= 1
        if not length2:
            break
    return crc1 ^ crc2


def crc32_repeated(crc: int, length: int, times: int) -> int:
    """CRC-32 of a block of `length` bytes with CRC `crc` repeated `times` times (by doubling)."""
    total, total_length = 0, 0
    power, power_length = crc, length
    while times:
        if times & 1:
            total = crc32_combine(total, power, power_length) if total_length else power
            total_length += power_length
        power = crc32_combine(power, power, power_length)
        power_length *= 2
        times >>= 1
    return total


Deflated = tuple[bytes, int, int]  # raw deflate data, CRC-32 and size of what it inflates to


def _xlsx(members: dict[str, bytes], *, raw: dict[str, Deflated] | None = None) -> bytes:
    """A zip of the given parts; `raw` parts are stored as given, already deflated (no zlib header)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in members.items():
            book.writestr(name, data)
    if raw:
        return _append_raw_members(out.getvalue(), raw)
    return out.getvalue()


def _base_parts(sheet: bytes) -> dict[str, bytes]:
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


def _deflated_repeats(prefix: bytes, unit: bytes, count: int, suffix: bytes) -> Deflated:
    """Raw deflate of prefix + unit×count + suffix, with its CRC-32 and size, built in O(unit) time.

    `unit` (a megabyte's worth of it) is compressed once with the history reset after it, and that
    block repeated; the CRC of the repeats is combined arithmetically, never computed over them.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = packer.compress(prefix) + packer.flush(zlib.Z_FULL_FLUSH)
    group = max(1, (1024 * 1024) // len(unit))
    block_packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = block_packer.compress(unit * group) + block_packer.flush(zlib.Z_FULL_FLUSH)
    groups, rest = divmod(count, group)
    tail_packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    tail = tail_packer.compress(unit * rest + suffix) + tail_packer.flush(zlib.Z_FINISH)
    chunk = unit * group
    crc = crc32_combine(
        zlib.crc32(prefix), crc32_repeated(zlib.crc32(chunk), len(chunk), groups), len(chunk) * groups
    )
    crc = zlib.crc32(unit * rest + suffix, crc)
    size = len(prefix) + len(unit) * count + len(suffix)
    return head + block * groups + tail, crc, size


MARGIN = 64 * 1024  # the builders aim this far below the requested size


def xlsx_shared_strings_bomb(size: int) -> bytes:
    """A sheet of one header row, and a shared-strings table of millions of entries (~100× the file)."""
    prefix = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    )
    unit = b"<si><t>x</t></si>"
    count = _units_for(size - MARGIN, unit)
    sheet = _SHEET_HEAD + _HEADER_ROW + b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>' + _SHEET_TAIL
    parts = _base_parts(sheet)
    del parts["xl/sharedStrings.xml"]
    raw = {"xl/sharedStrings.xml": _deflated_repeats(prefix, unit, count, b"</sst>")}
    return _xlsx(parts, raw=raw)


def xlsx_sheet_bomb(size: int) -> bytes:
    """A sheet XML of millions of one-cell rows (~1000× the file): time, not memory, is the cost."""
    unit = b'<row><c t="inlineStr"><is><t>1</t></is></c></row>'
    count = _units_for(size - MARGIN, unit)
    parts = _base_parts(b"")
    del parts["xl/worksheets/sheet1.xml"]
    del parts["xl/sharedStrings.xml"]
    raw = {"xl/worksheets/sheet1.xml": _deflated_repeats(_SHEET_HEAD + _HEADER_ROW, unit, count, _SHEET_TAIL)}
    parts["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    )
    return _xlsx(parts, raw=raw)


def _units_for(size: int, unit: bytes) -> int:
    """How many repeats of `unit` deflate to about `size` bytes (measured on one megabyte of them)."""
    group = max(1, (1024 * 1024) // len(unit))
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(unit * group) + packer.flush(zlib.Z_FULL_FLUSH)
    return max(group, size // len(block) * group)


def xlsx_many_members(size: int) -> bytes:
    """A zip whose central directory lists as many empty members as fit (reading it costs memory)."""
    head = _xlsx(_base_parts(_SHEET_HEAD + _HEADER_ROW + _SHEET_TAIL))
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


def write_corpus(
    directory: Path, *, pdf_size: int = PDF_LIMIT, import_size: int = IMPORT_LIMIT
) -> list[Path]:
    """Write every hostile file at the given sizes into `directory` (for a benchmark or by hand)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in PDF_BOMBS.items():
        path = directory / f"{name}.pdf"
        path.write_bytes(build(pdf_size))
        written.append(path)
    for name, build in XLSX_BOMBS.items():
        path = directory / f"{name}.xlsx"
        path.write_bytes(build(import_size))
        written.append(path)
    return written
