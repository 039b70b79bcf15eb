"""Deflate data that inflates to far more than it weighs, built in time proportional to its size."""

from __future__ import annotations

import struct
import zlib

ZERO_BLOCK_BYTES = 8 * 1024 * 1024  # what one repeated deflate block inflates to
ADLER_MOD = 65521


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


def deflated_repeats(prefix: bytes, unit: bytes, count: int, suffix: bytes) -> Deflated:
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


def units_for(size: int, unit: bytes) -> int:
    """How many repeats of `unit` deflate to about `size` bytes (measured on one megabyte of them)."""
    group = max(1, (1024 * 1024) // len(unit))
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(unit * group) + packer.flush(zlib.Z_FULL_FLUSH)
    return max(group, size // len(block) * group)
