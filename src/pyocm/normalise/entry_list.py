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
from typing import Any

from pyocm.normalise._writer import InvalidJSONValue, json_writer
from pyocm.normalise.jcs import es6_number, without_surrogates

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


_encode = json_writer(_go_string, _go_number, without_surrogates, entry_list=True)


def entry_list_json(value: Any) -> bytes:
    """``value`` in the entry-list encoding of ``jsonNormalisation/v1``.

    Raises :class:`pyocm.errors.ValidationError` naming the path of a value that JSON cannot
    hold (NaN, an infinity, a non-string key, a non-JSON type).
    """
    try:
        return _encode(value).encode("utf-8")
    except InvalidJSONValue as e:
        raise e.to_error() from None
