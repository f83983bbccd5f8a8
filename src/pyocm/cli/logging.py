"""Log lines in the shapes of Go's ``log/slog`` text and JSON handlers.

    >>> import io, logging
    >>> from pyocm.cli.logging import configure
    >>> out = io.StringIO()
    >>> configure("info", "text", out)
    >>> logging.getLogger("pyocm.demo").info("pushed blob", extra={"size": 42, "ref": "a b"})
    >>> out.getvalue().split(" ", 1)[1]
    'level=INFO msg="pushed blob" size=42 ref="a b"\\n'

Library code logs with the standard :mod:`logging` module; keys passed in ``extra`` become
``key=value`` attributes (text) or JSON members (json), in the order given.  Values are written
as text, never as Python reprs: a list of paths is ``paths=[/a/.ocmconfig /b/.ocmconfig]`` (as
Go's ``fmt`` prints a slice), a mapping ``map[k:v]``, an enum its value.  The CLI installs one
handler on the root logger per run, from ``--loglevel``, ``--logformat`` and ``--logoutput``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from typing import Any, TextIO

LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "error": logging.ERROR,
}

_STANDARD_ATTRS = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys() | {"message", "asctime"}
)


def level_name(levelno: int) -> str:
    """The slog name of a :mod:`logging` level: ``DEBUG``, ``INFO``, ``WARN`` or ``ERROR``."""
    if levelno < logging.INFO:
        return "DEBUG"
    if levelno < logging.WARNING:
        return "INFO"
    if levelno < logging.ERROR:
        return "WARN"
    return "ERROR"


def attributes(record: logging.LogRecord) -> dict[str, Any]:
    """The ``extra`` attributes of ``record`` (plus ``error`` for an attached exception)."""
    attrs = {k: v for k, v in record.__dict__.items() if k not in _STANDARD_ATTRS}
    if record.exc_info and record.exc_info[1] is not None:
        attrs.setdefault("error", str(record.exc_info[1]))
    return attrs


def _needs_quoting(s: str) -> bool:
    return not s or any(ch in ' ="' or not ch.isprintable() for ch in s)


_GO_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
}


def go_quote(s: str) -> str:
    """``s`` as Go's ``strconv.Quote`` writes it (printable Unicode kept, the rest escaped)."""
    parts = ['"']
    for ch in s:
        if ch in _GO_ESCAPES:
            parts.append(_GO_ESCAPES[ch])
        elif ch.isprintable():
            parts.append(ch)
        elif ord(ch) < 0x80:
            parts.append(f"\\x{ord(ch):02x}")
        elif ord(ch) <= 0xFFFF:
            parts.append(f"\\u{ord(ch):04x}")
        else:
            parts.append(f"\\U{ord(ch):08x}")
    parts.append('"')
    return "".join(parts)


def _plain_text(value: Any) -> str:
    """``value`` as text the way Go's ``fmt`` prints it: never a Python repr.

    Lists, tuples and sets become ``[a b]``, mappings ``map[k:v]`` (keys sorted), bytes their
    UTF-8 text, enums their value.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "<nil>"
    if isinstance(value, datetime):
        return _rfc3339(value, millis=True)
    if isinstance(value, Enum):
        return _plain_text(value.value)
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, Mapping):
        items = sorted((_plain_text(k), _plain_text(v)) for k, v in value.items())
        return "map[" + " ".join(f"{k}:{v}" for k, v in items) + "]"
    if isinstance(value, set | frozenset):
        return "[" + " ".join(sorted(_plain_text(v) for v in value)) + "]"
    if isinstance(value, list | tuple):
        return "[" + " ".join(_plain_text(v) for v in value) + "]"
    return str(value)


def _text_value(value: Any) -> str:
    text = _plain_text(value)
    return go_quote(text) if _needs_quoting(text) else text


def _rfc3339(t: datetime, *, millis: bool) -> str:
    if millis:
        stamp = t.isoformat(timespec="milliseconds")
    else:  # RFC 3339 with nanosecond precision, trailing zeros trimmed
        stamp = t.isoformat(timespec="microseconds")
        head, _, rest = stamp.partition(".")
        frac, offset = rest[:6].rstrip("0"), rest[6:]
        stamp = f"{head}.{frac}{offset}" if frac else f"{head}{offset}"
    return stamp[:-6] + "Z" if stamp.endswith("+00:00") else stamp


def _record_time(record: logging.LogRecord) -> datetime:
    return datetime.fromtimestamp(record.created).astimezone()


class TextFormatter(logging.Formatter):
    """``time=... level=INFO msg="..." key=value``, as slog's TextHandler writes."""

    def format(self, record: logging.LogRecord) -> str:
        fields = [
            f"time={_rfc3339(_record_time(record), millis=True)}",
            f"level={level_name(record.levelno)}",
            f"msg={_text_value(record.getMessage())}",
        ]
        fields += [f"{_text_value(str(k))}={_text_value(v)}" for k, v in attributes(record).items()]
        return " ".join(fields)


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return _rfc3339(value, millis=False)
    if isinstance(value, Enum):
        return _json_value(value.value)
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((_json_value(v) for v in value), key=_plain_text)
    if isinstance(value, Mapping):
        return {_plain_text(k): _json_value(v) for k, v in value.items()}
    return str(value)


class JSONFormatter(logging.Formatter):
    """``{"time":...,"level":"INFO","msg":...,key:value}``, as slog's JSONHandler writes."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _rfc3339(_record_time(record), millis=False),
            "level": level_name(record.levelno),
            "msg": record.getMessage(),
        }
        entry.update((k, _json_value(v)) for k, v in attributes(record).items())
        import json

        return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


class _StreamHandler(logging.Handler):
    """Writes to a stream, looking ``sys.stdout``/``sys.stderr`` up at each record."""

    def __init__(self, output: str | TextIO) -> None:
        super().__init__()
        self.output = output

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
            stream = self.output if not isinstance(self.output, str) else getattr(sys, self.output)
            stream.write(line + "\n")
            stream.flush()
        except Exception:
            self.handleError(record)


_CHATTY_LIBRARIES = ("httpx", "httpcore")
"""Libraries that log every request at info or debug; pyocm.oci logs what matters itself."""


def configure(level: str, fmt: str, output: str | TextIO) -> None:
    """Send all log records at ``level`` or above to ``output`` in format ``fmt``.

    ``level`` is ``debug|info|warn|error``, ``fmt`` is ``text|json``, ``output`` is
    ``stderr|stdout`` or an open text stream.  Replaces the handler of an earlier call.
    """
    handler = _StreamHandler(output)
    handler.setFormatter(JSONFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _StreamHandler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(LEVELS[level])
    for library in _CHATTY_LIBRARIES:
        logging.getLogger(library).setLevel(logging.WARNING)
