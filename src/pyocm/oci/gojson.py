"""JSON bytes as Go's ``encoding/json`` writes them, so that digests match the Go tools.

    >>> from pyocm.oci.gojson import marshal
    >>> marshal({"b": "<x>", "a": [1, 2]})
    b'{"b":"\\\\u003cx\\\\u003e","a":[1,2]}'
    >>> marshal({"b": 1, "a": 2}, sort_keys=True)
    b'{"a":2,"b":1}'

Go writes compact JSON, keeps non-ASCII characters as UTF-8 and escapes ``<``, ``>``, ``&``,
U+2028 and U+2029.  Struct fields come out in declaration order and map keys sorted: callers
build dicts in struct order and pass ``sort_keys=True`` only where Go marshals a map.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

_GO_ESCAPES = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def marshal(value: Any, *, sort_keys: bool = False) -> bytes:
    """Encode ``value`` exactly as Go's ``json.Marshal`` would (for strings, ints, lists, dicts)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)
    return text.translate(_GO_ESCAPES).encode("utf-8")


def sorted_map(value: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``value`` with its keys sorted, as Go marshals a ``map[string]...``."""
    return {key: value[key] for key in sorted(value)}
