"""The "entry list" JSON encoding of ``jsonNormalisation/v1``, byte for byte as Go writes it.

    >>> from pyocm.normalise.entry_list import entry_list_json
    >>> entry_list_json({"people": {"bob": 26, "alice": 25}, "tag": "<a&b>"})
    b'[{"people":[{"alice":25},{"bob":26}]},{"tag":"\\\\u003ca\\\\u0026b\\\\u003e"}]'

Every JSON object becomes a list of one-key objects sorted by key (byte order of the UTF-8
key), at any depth, also inside lists; lists keep their order; scalars stay.  Each entry is
written by Go's ``json.Marshal``, so strings get Go's escaping: ``<``, ``>`` and ``&`` as
``\\u003c``, ``\\u003e``, ``\\u0026``, U+2028/U+2029 as ``\\u2028``/``\\u2029``, control
characters as ``\\u00xx`` except ``\\b \\t \\n \\f \\r`` (short forms, as Go 1.22 and later write
them); all other characters are raw UTF-8.  Numbers are float64 values written like JCS numbers,
except that negative zero stays ``-0``.  There is no whitespace and no trailing newline.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from pyocm.normalise.jcs import InvalidJSONValue, es6_number, without_surrogates

_GO_ESCAPE = re.compile('[\x00-\x1f"\\\\<>&\u2028\u2029\ud800-\udfff]')
_GO_ESCAPES = {chr(i): f"\\u{i:04x}" for i in range(0x20)} | {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _go_string(text: str) -> str:
    if _GO_ESCAPE.search(text) is None:
        return '"' + text + '"'
    return '"' + _GO_ESCAPE.sub(_go_escape, text) + '"'


def _go_escape(match: re.Match[str]) -> str:
    return _GO_ESCAPES.get(match.group(), "\ufffd")


def _go_number(number: int | float) -> str:
    if isinstance(number, float) and number == 0 and math.copysign(1.0, number) < 0:
        return "-0"
    return es6_number(number)


def _sorted_keys(obj: Mapping[Any, Any]) -> list[str]:
    """The keys of ``obj`` in the byte order of their UTF-8 forms, i.e. code point order."""
    try:
        joined = "".join(obj)
    except TypeError:
        key = next(k for k in obj if not isinstance(k, str))
        raise InvalidJSONValue(f"object key {key!r} is not a string") from None
    if joined.isascii():
        return sorted(obj)
    return sorted(obj, key=without_surrogates)


def _encode_object(obj: Mapping[str, Any]) -> str:
    parts = []
    keys = _sorted_keys(obj)
    key = ""
    try:
        for key in keys:
            item = obj[key]
            text = _go_string(item) if type(item) is str else _encode(item)
            parts.append("{" + _go_string(key) + ":" + text + "}")
    except InvalidJSONValue as e:
        e.path.append(f".{key}")
        raise
    return "[" + ",".join(parts) + "]"


def _encode_array(items: list[Any] | tuple[Any, ...]) -> str:
    parts = []
    try:
        for item in items:
            parts.append(_go_string(item) if type(item) is str else _encode(item))
    except InvalidJSONValue as e:
        e.path.append(f"[{len(parts)}]")
        raise
    return "[" + ",".join(parts) + "]"


def _encode(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _go_string(value)
    if kind is dict:
        return _encode_object(value)
    if kind is list:
        return _encode_array(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return _go_number(value)
    if isinstance(value, str):
        return _go_string(value)
    if isinstance(value, Mapping):
        return _encode_object(value)
    if isinstance(value, list | tuple):
        return _encode_array(value)
    raise InvalidJSONValue(f"a {kind.__name__} is not a JSON value")


def entry_list_json(value: Any) -> bytes:
    """``value`` in the entry-list encoding of ``jsonNormalisation/v1``.

    Raises :class:`pyocm.errors.ValidationError` naming the path of a value that JSON cannot
    hold (NaN, an infinity, a non-string key, a non-JSON type).
    """
    try:
        return _encode(value).encode("utf-8")
    except InvalidJSONValue as e:
        raise e.to_error() from None
