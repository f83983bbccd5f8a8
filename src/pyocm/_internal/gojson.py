"""JSON bytes as Go's ``encoding/json`` writes them, so that digests match the Go tools.

    >>> from pyocm._internal.gojson import marshal
    >>> marshal({"b": "<x> & y", "a": [1, 1.0, 1e-7, 1e21]})
    b'{"b":"\\\\u003cx\\\\u003e \\\\u0026 y","a":[1,1,1e-7,1e+21]}'
    >>> marshal({"b": 1, "a": 2}, sort_keys=True)
    b'{"a":2,"b":1}'
    >>> print(marshal({"b": [1], "a": {}}, sort_keys=True, indent=2).decode())
    {
      "a": {},
      "b": [
        1
      ]
    }

Go writes compact JSON (``json.Marshal``) or JSON indented by ``MarshalIndent``, keeps
non-ASCII characters as UTF-8, escapes ``<``, ``>``, ``&``, U+2028 and U+2029, and writes
floats in the shortest form that reads back exactly, positional from 1e-6 up to 1e21
(``1`` for 1.0) and with an exponent beyond (``1e-7``, ``1e+21``).  Struct fields come out in
declaration order and map keys sorted by their UTF-8 bytes: callers build dicts in struct
order and pass ``sort_keys=True`` (or use :func:`sorted_map`) where Go marshals a map.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from pyocm.errors import OCMError

_GO_ESCAPES = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)
_string = json.encoder.encode_basestring
"""A str as a JSON string with Python's escapes, which are Go's but for the five above."""


def marshal(value: Any, *, sort_keys: bool = False, indent: int | None = None) -> bytes:
    """``value`` as Go's ``json.Marshal`` writes it (``MarshalIndent(v, "", indent)`` with
    ``indent`` spaces); map keys sorted with ``sort_keys``.

    ``value`` is plain JSON data: dicts (keys of str or int), lists, tuples, str, int,
    float, bool and None.  Raises :class:`OCMError` for anything else and for
    ``inf``/``nan``, which Go refuses to write.
    """
    parts: list[str] = []
    step = None if indent is None else " " * indent
    _write(value, parts, sort_keys, step, "" if step is None else "\n")
    text = "".join(parts)
    for raw, escaped in _GO_ESCAPES:  # these occur only inside strings
        if raw in text:
            text = text.replace(raw, escaped)
    return text.encode("utf-8")


def sorted_map(value: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``value`` with its keys sorted, as Go marshals a ``map[string]...``."""
    return {key: value[key] for key in sorted(value)}


def _write(value: Any, out: list[str], sort_keys: bool, step: str | None, newline: str) -> None:
    """Append the JSON of ``value`` to ``out``.

    ``step`` is one level of indentation (``None`` for compact JSON); ``newline`` is the line
    break and indentation of this depth (empty for compact JSON).
    """
    if isinstance(value, str):
        out.append(_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_json_float(value))
    elif isinstance(value, Mapping):
        if not value:
            out.append("{}")
            return
        items = [(_key(k), v) for k, v in value.items()]
        if sort_keys:
            items.sort(key=lambda item: item[0])  # code point order is UTF-8 byte order
        inner = newline + (step or "")
        colon = ":" if step is None else ": "
        out.append("{")
        for i, (key, item) in enumerate(items):
            out.append(inner if i == 0 else "," + inner)
            out.append(_string(key) + colon)
            _write(item, out, sort_keys, step, inner)
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + (step or "")
        out.append("[")
        for i, item in enumerate(value):
            out.append(inner if i == 0 else "," + inner)
            _write(item, out, sort_keys, step, inner)
        out.append(newline + "]")
    else:
        raise OCMError(f"cannot write a {type(value).__name__} as JSON")


def _key(key: object) -> str:
    """A map key as Go writes one: a string, or an integer in decimal."""
    if isinstance(key, str):
        return key
    if isinstance(key, int) and not isinstance(key, bool):
        return int.__repr__(key)
    raise OCMError(f"cannot write a {type(key).__name__} as a JSON object key")


def _float32(value: float) -> float:
    """``value`` rounded to the nearest float32 (an infinity beyond its range)."""
    try:
        rounded: float = struct.unpack("<f", struct.pack("<f", value))[0]
    except OverflowError:
        return math.copysign(math.inf, value)
    return rounded


def _decimal_digits(number: Decimal) -> tuple[str, int]:
    """The significant digits of ``number`` and where its decimal point stands after them."""
    _, digits, exponent = number.normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    return text, len(text) + exponent


def _shortest_float32_digits(value: float) -> tuple[str, int]:
    """The fewest digits that read back as the float32 ``value`` (> 0), nearest first."""
    exact = Decimal(value)
    for precision in range(1, 10):
        nearest = Decimal(f"{value:.{precision - 1}e}")
        if _float32(float(nearest)) == value:
            return _decimal_digits(nearest)
        # At a power of two the interval that reads back is lopsided: the neighbour on the
        # other side of ``value`` may read back when the nearest does not.
        unit = Decimal(1).scaleb(nearest.adjusted() - precision + 1)
        other = nearest + unit if nearest < exact else nearest - unit
        if _float32(float(other)) == value:
            return _decimal_digits(other)
    raise AssertionError(f"no float32 digits found for {value!r}")  # 9 digits always do


def _digits(value: float, bits: int) -> tuple[str, int]:
    """The shortest digits that read back as ``value`` (> 0) in ``bits``, and the point."""
    if bits == 32:
        return _shortest_float32_digits(value)
    return _decimal_digits(Decimal(float.__repr__(value)))


def _positional(digits: str, point: int) -> str:
    if point <= 0:
        return "0." + "0" * -point + digits
    if point >= len(digits):
        return digits + "0" * (point - len(digits))
    return digits[:point] + "." + digits[point:]


def _exponential(digits: str, point: int) -> str:
    """``d.ddde±XX``: Go's ``'e'`` format, at least two exponent digits."""
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    exponent = point - 1
    return f"{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"


def _json_float(value: float) -> str:
    if not math.isfinite(value):
        raise OCMError(f"JSON cannot hold the number {value}")
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    sign = "-" if value < 0 else ""
    if 1e-6 <= abs(value) < 1e21:
        return sign + _positional(*_digits(abs(value), 64))
    text = _exponential(*_digits(abs(value), 64))
    if text[-4:-2] == "e-" and text[-2] == "0":  # Go writes e-7, not e-07
        text = text[:-2] + text[-1]
    return sign + text


def format_float(value: float, bits: Literal[32, 64] = 64) -> str:
    """Go's ``strconv.FormatFloat(value, 'g', -1, bits)``: ``1e+06``, ``0.0001``, ``NaN``.

    With ``bits=32`` the value is first rounded to a float32, as Go's ``float32(value)``.
    """
    if bits == 32:
        value = _float32(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    digits, point = _digits(abs(value), bits)
    exponential = not -4 <= point - 1 < 6
    text = _exponential(digits, point) if exponential else _positional(digits, point)
    return ("-" if value < 0 else "") + text
