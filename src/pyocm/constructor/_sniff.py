"""Media types guessed from content, for ``file`` inputs without a ``mediaType``.

    >>> sniff(b"My first local Resource for an OCM component\\n")
    'text/plain; charset=utf-8'
    >>> sniff(b'{"a": [1, 2]}'), sniff(b"\\x1f\\x8b\\x08\\x00"), sniff(b"\\x00\\x01")
    ('application/json', 'application/gzip', 'application/octet-stream')

The Go v2 CLI asks ``gabriel-vasile/mimetype``, which reads the first 3072 bytes.  This is the
part of its answers that matters for component resources: archives and compressed streams,
common images and documents, and for text HTML, SVG, XML, scripts (by their ``#!`` line),
JSON, CSV and TSV, else ``text/plain; charset=utf-8``.  Binary content of other kinds is
``application/octet-stream``.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

SNIFF_SIZE = 3072
OCTET_STREAM = "application/octet-stream"

_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x1f\x8b", "application/gzip"),
    (0, b"PK\x03\x04", "application/zip"),
    (0, b"BZh", "application/x-bzip2"),
    (0, b"\xfd7zXZ\x00", "application/x-xz"),
    (0, b"(\xb5/\xfd", "application/zstd"),
    (0, b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"\x7fELF", "application/x-elf"),
    (0, b"\0asm", "application/wasm"),
    (257, b"ustar", "application/x-tar"),
)
_BINARY_BYTES = frozenset([*range(0, 9), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_HTML_TAGS = (
    *(b"<!doctype html", b"<html", b"<head", b"<script", b"<iframe", b"<h1", b"<div"),
    *(b"<font", b"<table", b"<a", b"<style", b"<title", b"<b", b"<body", b"<br", b"<p"),
    b"<!--",
)
_INTERPRETERS: tuple[tuple[re.Pattern[bytes], str], ...] = (
    (re.compile(rb"(ba|da|k|z|c|tc)?sh"), "text/x-shellscript"),
    (re.compile(rb"python[0-9.]*"), "text/x-python"),
    (re.compile(rb"perl[0-9.]*"), "text/x-perl"),
    (re.compile(rb"ruby[0-9.]*"), "text/x-ruby"),
    (re.compile(rb"(node|nodejs)"), "text/javascript"),
    (re.compile(rb"lua[0-9.]*"), "text/x-lua"),
    (re.compile(rb"php[0-9.]*"), "text/x-php"),
    (re.compile(rb"(tclsh|wish)[0-9.]*"), "text/x-tcl"),
)


def sniff_file(path: Path) -> str:
    """The media type of the file at ``path``, judged from its first bytes."""
    with path.open("rb") as f:
        head = f.read(SNIFF_SIZE)
    return sniff(head, truncated=len(head) == SNIFF_SIZE)


def sniff(head: bytes, *, truncated: bool = False) -> str:
    """The media type of content starting with ``head`` (``truncated``: more follows)."""
    for offset, magic, media_type in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return media_type
    if head.startswith(b"\xff\xfe"):
        return "text/plain; charset=utf-16le"
    if head.startswith(b"\xfe\xff"):
        return "text/plain; charset=utf-16be"
    if any(b in _BINARY_BYTES for b in head):
        return OCTET_STREAM
    if not head:
        return "text/plain"
    return _text_type(head.removeprefix(b"\xef\xbb\xbf"), truncated)


def _text_type(head: bytes, truncated: bool) -> str:
    text = head.lstrip(b" \t\r\n\x0c")
    lowered = text[:64].lower()
    if any(
        lowered.startswith(tag) and lowered[len(tag) : len(tag) + 1] in (b" ", b">")
        for tag in _HTML_TAGS
    ):
        return "text/html; charset=utf-8"
    if lowered.startswith((b"<svg", b"<!doctype svg")) or (
        lowered.startswith(b"<?xml") and b"<svg" in text.lower()
    ):
        return "image/svg+xml"
    if lowered.startswith(b"<?xml"):
        return "text/xml; charset=utf-8"
    if text.startswith(b"#!"):
        script = _script_type(text)
        if script is not None:
            return script
    if text[:1] in (b"{", b"[") and _is_json(text, truncated):
        return "application/json"
    for delimiter, media_type in ((",", "text/csv"), ("\t", "text/tab-separated-values")):
        if _is_separated(head, delimiter, truncated):
            return media_type
    return "text/plain; charset=utf-8"


def _script_type(text: bytes) -> str | None:
    words = text[2:].split(b"\n", 1)[0].split()
    if not words:
        return None
    program = words[0].rsplit(b"/", 1)[-1]
    if program == b"env" and len(words) > 1:
        program = words[1]
    for pattern, media_type in _INTERPRETERS:
        if pattern.fullmatch(program):
            return media_type
    return None


def _is_json(text: bytes, truncated: bool) -> bool:
    """Whether ``text`` is JSON, or with ``truncated`` a prefix of a JSON object or array."""
    stack: list[bytes] = []
    expect_value = True
    i, n = 0, len(text)
    while i < n:
        c = text[i : i + 1]
        if c in b" \t\r\n":
            i += 1
        elif c == b'"':
            end = _string_end(text, i + 1)
            if end < 0:
                return truncated
            i = end
            expect_value = False
        elif c in b"{[":
            stack.append(b"}" if c == b"{" else b"]")
            expect_value = True
            i += 1
        elif c in b"}]":
            if not stack or stack.pop() != c:
                return False
            expect_value = False
            i += 1
            if not stack:
                return not text[i:].strip()
        elif c in b",:":
            expect_value = True
            i += 1
        else:
            match = _SCALAR.match(text, i)
            if match is None or not expect_value:
                return truncated and match is not None and match.end() == n
            i = match.end()
            expect_value = False
    return truncated and bool(stack)


_SCALAR = re.compile(rb"true|false|null|-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def _string_end(text: bytes, i: int) -> int:
    while i < len(text):
        c = text[i : i + 1]
        if c == b"\\":
            i += 2
        elif c == b'"':
            return i + 1
        else:
            i += 1
    return -1


def _is_separated(head: bytes, delimiter: str, truncated: bool) -> bool:
    text = head.decode("utf-8", errors="replace")
    if truncated and "\n" in text:
        text = text[: text.rindex("\n") + 1]
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    try:
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    except csv.Error:
        return False
    rows = [r for r in rows if r]
    return len(rows) > 1 and len(rows[0]) > 1 and all(len(r) == len(rows[0]) for r in rows)
