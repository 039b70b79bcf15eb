"""Reading a QR code back from a clean, upright raster image, in pure Python (ISO/IEC 18004).

Enough to check what the extract's QR code says: the image is the one the PDF carries, sharp and
unrotated, so there is no perspective correction and no error correction — the data codewords are read
as they are. The standard's tables (alignment positions, block structure) are taken from the `qrcode`
package, which the product already depends on; the reading itself does not use its encoder.
"""

from __future__ import annotations

from PIL import Image
from qrcode.base import rs_blocks
from qrcode.util import pattern_position

FORMAT_MASK = 0b101010000010010
FORMAT_GENERATOR = 0b10100110111

MASKS = {
    0: lambda i, j: (i + j) % 2 == 0,
    1: lambda i, j: i % 2 == 0,
    2: lambda i, j: j % 3 == 0,
    3: lambda i, j: (i + j) % 3 == 0,
    4: lambda i, j: (i // 2 + j // 3) % 2 == 0,
    5: lambda i, j: (i * j) % 2 + (i * j) % 3 == 0,
    6: lambda i, j: ((i * j) % 2 + (i * j) % 3) % 2 == 0,
    7: lambda i, j: ((i * j) % 3 + (i + j) % 2) % 2 == 0,
}
ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


class QRError(ValueError):
    pass


def modules_from_image(image: Image.Image) -> list[list[bool]]:
    """The grid of dark (True) and light modules of the one QR symbol in the image."""
    grey = image.convert("L")
    width, height = grey.size
    pixels = grey.load()
    assert pixels is not None

    def dark(x: int, y: int) -> bool:
        return int(pixels[x, y]) < 128  # type: ignore[arg-type]

    dark_points = [(x, y) for y in range(height) for x in range(width) if dark(x, y)]
    if not dark_points:
        raise QRError("no dark pixels")
    left = min(x for x, _ in dark_points)
    right = max(x for x, _ in dark_points)
    top = min(y for _, y in dark_points)
    # The top-left finder pattern's first row is seven dark modules in a row.
    run = 0
    while left + run <= right and dark(left + run, top):
        run += 1
    module = run / 7
    count = round((right - left + 1) / module)
    if count < 21 or (count - 17) % 4:
        raise QRError(f"{count} modules across is not a QR code size")
    return [
        [dark(int(left + (col + 0.5) * module), int(top + (row + 0.5) * module)) for col in range(count)]
        for row in range(count)
    ]


def _function_modules(size: int, version: int) -> list[list[bool]]:
    """Modules that carry no data: finders with separators, timing, alignment, format and version."""
    taken = [[False] * size for _ in range(size)]

    def fill(row0: int, col0: int, rows: int, cols: int) -> None:
        for row in range(max(row0, 0), min(row0 + rows, size)):
            for col in range(max(col0, 0), min(col0 + cols, size)):
                taken[row][col] = True

    for row0, col0 in ((0, 0), (0, size - 8), (size - 8, 0)):
        fill(row0, col0, 8, 8)
    fill(6, 0, 1, size)
    fill(0, 6, size, 1)
    centres = pattern_position(version)
    corners = (
        {(centres[0], centres[0]), (centres[0], centres[-1]), (centres[-1], centres[0])} if centres else set()
    )
    for row in centres:
        for col in centres:
            if (row, col) not in corners:  # those would sit on a finder pattern
                fill(row - 2, col - 2, 5, 5)
    fill(8, 0, 1, 9)
    fill(0, 8, 9, 1)
    fill(8, size - 8, 1, 8)
    fill(size - 8, 8, 8, 1)  # includes the dark module
    if version >= 7:
        fill(0, size - 11, 6, 3)
        fill(size - 11, 0, 3, 6)
    return taken


def _bch_format(data: int) -> int:
    value = data << 10
    for shift in range(4, -1, -1):
        if value & (1 << (shift + 10)):
            value ^= FORMAT_GENERATOR << shift
    return ((data << 10) | value) ^ FORMAT_MASK


def _format(modules: list[list[bool]]) -> tuple[int, int]:
    """(error-correction bits, mask pattern) from the copy of the format information by the finder."""
    size = len(modules)
    bits = 0
    for i in range(15):
        if i < 6:
            bit = modules[i][8]
        elif i < 8:
            bit = modules[i + 1][8]
        else:
            bit = modules[size - 15 + i][8]
        bits |= int(bit) << i
    best = min(range(32), key=lambda data: bin(_bch_format(data) ^ bits).count("1"))
    if bin(_bch_format(best) ^ bits).count("1") > 3:
        raise QRError("unreadable format information")
    return best >> 3, best & 0b111


def decode_modules(modules: list[list[bool]]) -> str:
    size = len(modules)
    version = (size - 17) // 4
    error_correction, mask_pattern = _format(modules)
    mask = MASKS[mask_pattern]
    taken = _function_modules(size, version)

    bits: list[int] = []
    col = size - 1
    upward = True
    while col > 0:
        if col == 6:
            col -= 1
        rows = range(size - 1, -1, -1) if upward else range(size)
        for row in rows:
            for c in (col, col - 1):
                if not taken[row][c]:
                    bits.append(int(modules[row][c] ^ mask(row, c)))
        upward = not upward
        col -= 2
    codewords = [int("".join(map(str, bits[i : i + 8])), 2) for i in range(0, len(bits) - 7, 8)]

    blocks = rs_blocks(version, error_correction)
    data: list[list[int]] = [[] for _ in blocks]
    position = 0
    for index in range(max(block.data_count for block in blocks)):
        for number, block in enumerate(blocks):
            if index < block.data_count:
                data[number].append(codewords[position])
                position += 1
    stream = "".join(f"{byte:08b}" for block in data for byte in block)
    return _parse(stream, version)


def _parse(stream: str, version: int) -> str:
    group = 0 if version < 10 else 1 if version < 27 else 2
    count_bits = {1: (10, 12, 14), 2: (9, 11, 13), 4: (8, 16, 16)}
    out: list[str] = []
    raw = bytearray()
    at = 0

    def take(n: int) -> int:
        nonlocal at
        if at + n > len(stream):
            raise QRError("data ends early")
        value = int(stream[at : at + n], 2)
        at += n
        return value

    while at + 4 <= len(stream):
        mode = take(4)
        if mode == 0:
            break
        if mode not in count_bits:
            raise QRError(f"unsupported mode {mode:04b}")
        count = take(count_bits[mode][group])
        if mode == 4:
            raw.extend(take(8) for _ in range(count))
            continue
        if raw:
            out.append(raw.decode("utf-8"))
            raw.clear()
        if mode == 1:
            digits = ""
            while count >= 3:
                digits += f"{take(10):03d}"
                count -= 3
            if count == 2:
                digits += f"{take(7):02d}"
            elif count == 1:
                digits += str(take(4))
            out.append(digits)
        else:
            chars = ""
            while count >= 2:
                pair = take(11)
                chars += ALPHANUMERIC[pair // 45] + ALPHANUMERIC[pair % 45]
                count -= 2
            if count:
                chars += ALPHANUMERIC[take(6)]
            out.append(chars)
    if raw:
        out.append(raw.decode("utf-8"))
    return "".join(out)


def decode_image(image: Image.Image) -> str:
    """The text of the QR code in a clean upright image."""
    return decode_modules(modules_from_image(image))
