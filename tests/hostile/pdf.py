"""Hostile PDFs: decompression bombs and structures that take qpdf long to parse."""

from __future__ import annotations

import io
import struct
from collections.abc import Callable

from tests.hostile.deflate import zlib_bomb, zlib_bomb_sized


def _write_objects(out: io.BytesIO, objects: list[bytes]) -> list[int]:
    """The header and the numbered objects (object i+1 = objects[i]); their offsets, for an xref."""
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    return offsets


def _pdf(objects: list[bytes], *, trailer: bytes, xref: bool = True) -> bytes:
    """A PDF from numbered object bodies (object i+1 = objects[i]), with a classic xref table."""
    out = io.BytesIO()
    offsets = _write_objects(out, objects)
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
    offsets = _write_objects(out, objects)
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
