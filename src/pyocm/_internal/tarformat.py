"""Tar headers written the way Go's ``archive/tar`` writes them, for byte-identical archives.

    >>> block = header("docs/readme.txt", size=5, mode=0o644)
    >>> len(block), block[257:265]
    (512, b'ustar\\x0000')
    >>> len(header("d/" + "x" * 200, size=0))   # too long for ustar: a PAX record goes first
    1536

An archive is ``header(...)`` + the content + ``padding(size)`` per entry, then :data:`END`.
Go picks the ustar format when the entry fits it (ASCII names up to 100 bytes, or up to 256
split at a ``/`` into prefix and name; sizes below 8 GiB) and the PAX format otherwise, with
the extended records sorted by key.  Go writes no directory entries on its own and no record
padding beyond the two zero blocks that end the archive; this module follows both rules.
"""

from __future__ import annotations

import posixpath

BLOCK = 512
END = b"\0" * (2 * BLOCK)
REGULAR = b"0"
DIRECTORY = b"5"
_PAX = b"x"
_NAME_SIZE = 100
_PREFIX_SIZE = 155


def padding(size: int) -> bytes:
    """The zero bytes that fill an entry of ``size`` bytes up to the next block."""
    return b"\0" * (-size % BLOCK)


def header(
    name: str,
    *,
    size: int = 0,
    mode: int = 0,
    mtime: int = 0,
    uid: int = 0,
    gid: int = 0,
    uname: str = "",
    gname: str = "",
    typeflag: bytes = REGULAR,
) -> bytes:
    """The header block(s) of one entry: a ustar header, or a PAX record and its header."""
    pax: dict[str, str] = {}
    ustar = True
    if not _is_ascii(name) or len(name) > _NAME_SIZE:
        pax["path"] = name
        ustar = _split_ustar_path(name) is not None
    numbers = {"uid": (uid, 8), "gid": (gid, 8), "size": (size, 12), "mtime": (mtime, 12)}
    for key, (value, width) in numbers.items():
        if not _fits_octal(width, value):
            pax[key] = str(value)
            ustar = False
    for key, text in (("uname", uname), ("gname", gname)):
        if not _is_ascii(text) or len(text) > 32:
            pax[key] = text
            ustar = False
    prefix, field_name = "", name
    if ustar:
        prefix, field_name = _split_ustar_path(name) or ("", name)
    else:
        field_name, uname, gname = _to_ascii(name), _to_ascii(uname), _to_ascii(gname)
    block = bytearray(BLOCK)
    _put_string(block, 0, _NAME_SIZE, field_name)
    _put_octal(block, 100, 8, mode)
    _put_octal(block, 108, 8, uid)
    _put_octal(block, 116, 8, gid)
    _put_octal(block, 124, 12, size)
    _put_octal(block, 136, 12, mtime)
    block[156:157] = typeflag
    _put_string(block, 265, 32, uname)
    _put_string(block, 297, 32, gname)
    _put_octal(block, 329, 8, 0)
    _put_octal(block, 337, 8, 0)
    _put_string(block, 345, _PREFIX_SIZE, prefix)
    _finish(block)
    if ustar:
        return bytes(block)
    return _pax_header(name, pax) + bytes(block)


def _pax_header(name: str, records: dict[str, str]) -> bytes:
    data = "".join(_pax_record(k, records[k]) for k in sorted(records)).encode()
    directory, file = posixpath.split(name)
    pax_name = posixpath.normpath(posixpath.join(directory, "PaxHeaders.0", file))
    pax_name = _to_ascii(pax_name)[:_NAME_SIZE].rstrip("/")
    block = bytearray(BLOCK)
    _put_string(block, 0, _NAME_SIZE, pax_name)
    _put_octal(block, 100, 8, 0)
    _put_octal(block, 108, 8, 0)
    _put_octal(block, 116, 8, 0)
    _put_octal(block, 124, 12, len(data))
    _put_octal(block, 136, 12, 0)
    block[156:157] = _PAX
    _finish(block)
    return bytes(block) + data + padding(len(data))


def _pax_record(key: str, value: str) -> str:
    body = f" {key}={value}\n"
    size = len(body.encode())
    size += len(str(size))
    record = f"{size}{body}"
    if len(record.encode()) != size:
        record = f"{len(record.encode())}{body}"
    return record


def _finish(block: bytearray) -> None:
    block[257:263] = b"ustar\0"
    block[263:265] = b"00"
    block[148:156] = b" " * 8
    checksum = sum(block)
    _put_octal(block, 148, 7, checksum)
    block[155:156] = b" "


def _put_string(block: bytearray, offset: int, width: int, text: str) -> None:
    data = text.encode()
    block[offset : offset + width] = data[:width].ljust(width, b"\0")
    if len(data) > width and data[width - 1 : width] == b"/":
        cut = len(data[: width - 1].rstrip(b"/"))
        block[offset + cut] = 0


def _put_octal(block: bytearray, offset: int, width: int, value: int) -> None:
    digits = format(value if _fits_octal(width, value) else 0, "o")
    _put_string(block, offset, width, digits.rjust(width - 1, "0"))


def _fits_octal(width: int, value: int) -> bool:
    return 0 <= value < 1 << (3 * (width - 1))


def _is_ascii(text: str) -> bool:
    return bool(text.isascii())


def _to_ascii(text: str) -> str:
    return "".join(c for c in text if ord(c) < 0x80)


def _split_ustar_path(name: str) -> tuple[str, str] | None:
    length = len(name)
    if length <= _NAME_SIZE or not _is_ascii(name):
        return None
    if length > _PREFIX_SIZE + 1:
        length = _PREFIX_SIZE + 1
    elif name[length - 1] == "/":
        length -= 1
    i = name.rfind("/", 0, length)
    suffix_length = len(name) - i - 1
    if i <= 0 or suffix_length > _NAME_SIZE or suffix_length == 0 or i > _PREFIX_SIZE:
        return None
    return name[:i], name[i + 1 :]
