"""Numbers as the Go tools read them, and JSON read with those rules, without YAML.

    >>> from pyocm._internal.gonumbers import read_json
    >>> data = read_json('{"a": 1.10, "b": 18446744073709551616, "c": 1e400}')
    >>> data["a"], data["a"].yaml_source, data["b"], data["c"]
    (1.1, '1.10', 1.8446744073709552e+19, '1e400')

``go.yaml.in/yaml/v2`` reads a plain scalar that starts with a sign or digit as an int64, else a
uint64, else a float of its float syntax unless that overflows, else as text
(:func:`go_number`); :mod:`pyocm._internal.goyaml` applies that to YAML scalars.  JSON, which
the Go tools read through the same YAML parser, needs no YAML here: its number syntax is a
subset, so :func:`read_json` lets :mod:`json` parse and only applies the ranges.  Numbers
remember their source text (:class:`YamlInt`, :class:`YamlFloat`, :class:`YamlKey`).
Importing this module loads no YAML library.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

_INT64_MIN, _INT64_END, _UINT64_END = -(2**63), 2**63, 2**64

_YAML_STYLE_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_PREFIXED_DIGITS = {
    "b": (2, re.compile("[01]+")),
    "o": (8, re.compile("[0-7]+")),
    "x": (16, re.compile("[0-9a-fA-F]+")),
}
_OCTAL_DIGITS = re.compile("[0-7]*")
_DECIMAL_DIGITS = re.compile("[0-9]+")


class YamlInt(int):
    """An int read from YAML that remembers how it was written."""

    yaml_source: str


class YamlFloat(float):
    """A float read from YAML that remembers how it was written."""

    yaml_source: str


class YamlKey(str):
    """A number used as a map key: the string Go makes of it, remembering how it was written."""

    yaml_source: str


def _go_uint(text: str) -> int | None:
    """``strconv.ParseUint(text, 0, 64)``: no sign, base prefixes, a leading 0 means octal."""
    if not text:
        return None
    if text[0] == "0" and len(text) >= 3 and text[1].lower() in _PREFIXED_DIGITS:
        base, pattern = _PREFIXED_DIGITS[text[1].lower()]
        digits = text[2:]
    elif text[0] == "0":
        base, pattern, digits = 8, _OCTAL_DIGITS, text[1:]
    else:
        base, pattern, digits = 10, _DECIMAL_DIGITS, text
    if not pattern.fullmatch(digits):
        return None
    value = int(digits, base) if digits else 0
    return value if value < _UINT64_END else None


def _go_int(text: str) -> int | None:
    """``strconv.ParseInt(text, 0, 64)``: an optional sign, then as ``ParseUint``, in int64."""
    if not text:
        return None
    magnitude = _go_uint(text[1:] if text[0] in "+-" else text)
    if magnitude is None:
        return None
    value = -magnitude if text[0] == "-" else magnitude
    return value if _INT64_MIN <= value < _INT64_END else None


def _go_number(plain: str) -> int | float | None:
    """The number yaml.v2 reads from ``plain`` (a sign or digit first, underscores removed)."""
    value = _go_int(plain)
    if value is None:
        value = _go_uint(plain)
    if value is not None:
        return value
    if _YAML_STYLE_FLOAT.fullmatch(plain):
        number = float(plain)
        if not math.isinf(number):  # Go's ParseFloat fails on overflow: the text stays a string
            return number
    return None


@dataclass(frozen=True)
class YamlDocument:
    """A parsed document and whether a ``.inf``/``.nan`` float was read anywhere in it."""

    data: Any
    non_finite: bool = False


def _json_number(text: str) -> Any:
    value = _go_number(text)
    if value is None:
        return text
    number: YamlInt | YamlFloat = YamlInt(value) if type(value) is int else YamlFloat(value)
    number.yaml_source = text
    return number


_SURELY_INT64 = 18
"""JSON integers with at most this many characters lie within int64 whatever their sign."""


def _json_int(text: str) -> Any:
    if len(text) > _SURELY_INT64:
        return _json_number(text)  # maybe beyond int64 or uint64: the full rules
    number = YamlInt(text)
    number.yaml_source = text
    return number


def _json_float(text: str) -> Any:
    # Every JSON fraction or exponent is a float of yaml.v2's syntax (its int forms and
    # underscores cannot occur in JSON), so only overflow is left to decide: Go keeps the text.
    number = YamlFloat(text)
    if math.isinf(number):
        return text
    number.yaml_source = text
    return number


def read_json(text: str) -> Any:
    """JSON text as Go reads it (through its YAML parser): numbers as in YAML, ``NaN`` is text.

    JSON's number syntax is a subset of YAML's, so :mod:`json` parses it directly, with the
    int64/uint64/float ranges of yaml.v2 (the same results as :func:`read_yaml` for the same
    numbers).  Raises :class:`ValueError` when ``text`` is not JSON.
    """
    return json.loads(text, parse_int=_json_int, parse_float=_json_float, parse_constant=str)
