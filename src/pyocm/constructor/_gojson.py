"""JSON and YAML text as the Go tools write it, so that generated blobs hash the same.

    >>> go_json({"b": 1.0, "a": "<x> & y", "c": [1e-7, 1e21, 0.5]})
    '{"a":"\\\\u003cx\\\\u003e \\\\u0026 y","b":1,"c":[1e-7,1e+21,0.5]}'
    >>> print(go_yaml({"b": [1, 2], "a": {"yes": "no", "text": "two\\nlines"}}), end="")
    a:
      text: |-
        two
        lines
      "yes": "no"
    b:
    - 1
    - 2

:func:`go_json` follows Go's ``encoding/json`` for maps: keys sorted by their UTF-8 bytes,
``<``, ``>``, ``&``, U+2028 and U+2029 escaped, floats in the shortest form that reads back
exactly (``1`` for 1.0, exponents from 1e21 and below 1e-6).  :func:`go_yaml` follows
``sigs.k8s.io/yaml`` (which the v2 CLI uses): the value goes through JSON, then through
``gopkg.in/yaml.v2``: keys in that library's natural order, strings that would read back as
another type in double quotes, multi-line strings as literal blocks.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from functools import cmp_to_key
from typing import Any

import yaml

from pyocm.constructor._yaml import GO_FLOAT
from pyocm.errors import OCMError

_HTML_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_HTML_RE = re.compile("[<>&\u2028\u2029]")


def go_json(value: Any, *, indent: int | None = None) -> str:
    """``value`` as Go's ``json.Marshal`` writes it (``MarshalIndent`` with ``indent``)."""
    return _encode(value, indent, 0)


def _encode(value: Any, indent: int | None, depth: int) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return _json_float(value)
    if isinstance(value, str):
        return _json_string(value)
    newline = "" if indent is None else "\n" + " " * (indent * (depth + 1))
    close = "" if indent is None else "\n" + " " * (indent * depth)
    colon = ":" if indent is None else ": "
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        keys = [_key(k) for k in value]
        items = sorted(zip(keys, value.values(), strict=True), key=lambda kv: kv[0].encode())
        body = ",".join(
            newline + _json_string(k) + colon + _encode(v, indent, depth + 1) for k, v in items
        )
        return "{" + body + close + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        body = ",".join(newline + _encode(v, indent, depth + 1) for v in value)
        return "[" + body + close + "]"
    raise OCMError(f"cannot encode {type(value).__name__} as JSON")


def _key(key: object) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, float):
        return _g_float(key)
    return str(key)


def _json_string(text: str) -> str:
    encoded = json.dumps(text, ensure_ascii=False)
    return _HTML_RE.sub(lambda m: _HTML_ESCAPES[m.group()], encoded)


def _digits(value: float) -> tuple[str, int]:
    """The shortest decimal digits of ``abs(value)`` and the position of the decimal point."""
    _, digit_tuple, exponent = Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(map(str, digit_tuple)) or "0"
    assert isinstance(exponent, int)
    return digits, len(digits) + exponent


def _json_float(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        raise OCMError(f"JSON cannot hold the number {value}")
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    magnitude = abs(value)
    if 1e-6 <= magnitude < 1e21:
        return ("-" if value < 0 else "") + _positional(*_digits(value))
    text = _exponential(*_digits(value))
    if text[-4:-2] == "e-" and text[-2] == "0":
        text = text[:-2] + text[-1]
    return ("-" if value < 0 else "") + text


def _positional(digits: str, point: int) -> str:
    if point <= 0:
        return "0." + "0" * -point + digits
    if point >= len(digits):
        return digits + "0" * (point - len(digits))
    return digits[:point] + "." + digits[point:]


def _exponential(digits: str, point: int) -> str:
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    exponent = point - 1
    return f"{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"


def _g_float(value: float) -> str:
    """Go's ``strconv.FormatFloat(value, 'g', -1, 64)``."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    digits, point = _digits(value)
    exponent = point - 1
    exponential = exponent < -4 or exponent >= 6
    text = _exponential(digits, point) if exponential else _positional(digits, point)
    return ("-" if value < 0 else "") + text


# --- YAML -------------------------------------------------------------------------------

_V2_BOOL = frozenset(
    {
        *("y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON"),
        *("off", "Off", "OFF", "true", "True", "TRUE", "false", "False", "FALSE"),
    }
)
_V2_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_V2_INT = re.compile(r"[-+]?(0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)")
_V2_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_V2_SPECIAL_FLOAT = re.compile(r"[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")
_V2_BASE60 = re.compile(r"[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?")
_V2_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?")


def _plain_is_string(text: str) -> bool:
    """Whether yaml.v2 reads ``text``, written without quotes, back as a string."""
    if text in _V2_BOOL or text in _V2_NULL:
        return False
    patterns = (_V2_INT, _V2_FLOAT, _V2_SPECIAL_FLOAT, _V2_BASE60, _V2_TIMESTAMP)
    return not any(r.fullmatch(text) for r in patterns)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None if _plain_is_string(text) else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_float(dumper: yaml.SafeDumper, value: float) -> yaml.Node:
    if math.isnan(value):
        text = ".nan"
    elif math.isinf(value):
        text = ".inf" if value > 0 else "-.inf"
    else:
        text = _g_float(value)
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


_Dumper.add_implicit_resolver("tag:yaml.org,2002:float", GO_FLOAT, list("-+0123456789."))
_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(float, _represent_float)


def go_yaml(value: Any) -> str:
    """``value`` as ``sigs.k8s.io/yaml.Marshal`` writes it."""
    data = json.loads(go_json(value))
    text = yaml.dump(
        _v2_ordered(data),
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
    )
    return text.removesuffix("...\n") if not isinstance(data, dict | list) else text


def _v2_ordered(value: Any) -> Any:
    if isinstance(value, dict):
        keys = sorted(value, key=cmp_to_key(_v2_compare))
        return {k: _v2_ordered(value[k]) for k in keys}
    if isinstance(value, list):
        return [_v2_ordered(v) for v in value]
    return value


def _v2_compare(a: str, b: str) -> int:
    """yaml.v2's order of string map keys: letters by code point, digit runs by value."""
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            continue
        a_letter, b_letter = a[i].isalpha(), b[i].isalpha()
        if a_letter and b_letter:
            return -1 if a[i] < b[i] else 1
        if a_letter or b_letter:
            return 1 if a_letter else -1
        a_num = b_num = 0
        if a[i] == "0" or b[i] == "0":
            j = i - 1
            while j >= 0 and a[j].isdigit():
                if a[j] != "0":
                    a_num = b_num = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdigit():
            a_num = a_num * 10 + int(a[ai])
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdigit():
            b_num = b_num * 10 + int(b[bi])
            bi += 1
        if a_num != b_num:
            return -1 if a_num < b_num else 1
        if ai != bi:
            return -1 if ai < bi else 1
        return -1 if a[i] < b[i] else 1
    return (len(a) > len(b)) - (len(a) < len(b))
