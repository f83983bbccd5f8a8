"""Canonical JSON (RFC 8785, "JCS"): the encoding of ``jsonNormalisation/v2``, ``v3``, ``v4alpha1``.

    >>> from pyocm.normalise.jcs import canonical_json
    >>> canonical_json({"b": [1.0, 1e21, 1e-7, "<é>"], "a": None})
    b'{"a":null,"b":[1,1e+21,1e-7,"<\\xc3\\xa9>"]}'
    >>> canonical_json(12345678901234567890)      # through float64, as Go decodes numbers
    b'12345678901234567000'

The output is what Go's reference tools produce: they decode JSON into ``interface{}`` values, so
every number is a float64 before it is written.  Integers of magnitude 2**53 or more therefore
lose precision, ``-0`` becomes ``0`` and ``1.0`` becomes ``1``; numbers are written the way
ECMAScript's ``Number.prototype.toString`` writes them.  Object keys are sorted by their UTF-16
code units, strings are raw UTF-8 with only ``"``, ``\\`` and control characters escaped.  A lone
surrogate in a string is written as U+FFFD, which is what Go's decoder turns it into.
NaN and infinities are not JSON and are rejected.
"""

from __future__ import annotations

import math
import re
from typing import Any

from pyocm.normalise._writer import InvalidJSONValue, json_writer

_SAFE_INTEGER = 2**53

_JCS_ESCAPE = re.compile('[\x00-\x1f"\\\\\ud800-\udfff]')
_JCS_ESCAPES = {chr(i): f"\\u{i:04x}" for i in range(0x20)} | {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}
_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD, as Go's JSON decoder does."""
    return _SURROGATE.sub("\ufffd", text)


def es6_number(number: int | float) -> str:
    """``number`` as a float64, written like ECMAScript's ``Number.prototype.toString``."""
    if isinstance(number, int):
        if -_SAFE_INTEGER < number < _SAFE_INTEGER:
            return int.__repr__(int(number))
        try:
            number = float(number)
        except OverflowError:
            raise InvalidJSONValue(f"number {number} is out of the float64 range") from None
    if not math.isfinite(number):
        raise InvalidJSONValue(f"{number} is not a JSON number")
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    # repr() gives the shortest digits that round-trip, which is what ES6 prescribes too.
    mantissa, _, exponent = repr(abs(number)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    point = len(whole) + int(exponent or 0) - (len(whole + fraction) - len(digits))
    digits = digits.rstrip("0")
    count = len(digits)
    if count <= point <= 21:
        return sign + digits + "0" * (point - count)
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * -point + digits
    exp = point - 1
    exp_text = ("e+" if exp >= 0 else "e-") + str(abs(exp))
    if count == 1:
        return sign + digits + exp_text
    return sign + digits[0] + "." + digits[1:] + exp_text


def _jcs_string(text: str) -> str:
    if _JCS_ESCAPE.search(text) is None:
        return '"' + text + '"'
    return '"' + _JCS_ESCAPE.sub(_jcs_escape, text) + '"'


def _jcs_escape(match: re.Match[str]) -> str:
    return _JCS_ESCAPES.get(match.group(), "\ufffd")


def _utf16_order(key: str) -> bytes:
    return without_surrogates(key).encode("utf-16-be")


_encode = json_writer(_jcs_string, es6_number, _utf16_order, entry_list=False)


def canonical_json(value: Any) -> bytes:
    """The RFC 8785 canonical form of a JSON value (dicts, lists, str, numbers, bool, None).

    Raises :class:`pyocm.errors.ValidationError` naming the path of a value that JSON cannot
    hold (NaN, an infinity, a non-string key, a non-JSON type).
    """
    try:
        return _encode(value).encode("utf-8")
    except InvalidJSONValue as e:
        raise e.to_error() from None
