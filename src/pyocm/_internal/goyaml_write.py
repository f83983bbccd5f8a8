"""YAML written for the Go tools: text they read back the same, or the bytes they write.

    >>> from pyocm._internal.goyaml_write import marshal_yaml
    >>> print(marshal_yaml({"b": [1, 2.0], "a": {"yes": "no", "text": "two\\nlines"}}), end="")
    a:
      text: |-
        two
        lines
      "yes": "no"
    b:
    - 1
    - 2

:class:`GoDumper` is a PyYAML dumper for documents the Go tools will read: it quotes every
string their reader (:mod:`pyocm._internal.goyaml`) would take for something else (``'y'``,
``'1e3'``); the layout is PyYAML's.

:func:`marshal_yaml` writes what ``sigs.k8s.io/yaml.Marshal`` writes, byte for byte, for
content whose digest must match the Go tools': the value goes through Go's JSON
(:func:`pyocm._internal.gojson.marshal`), is read back with yaml.v2's number rules and written
as ``go.yaml.in/yaml/v2`` does (``encode.go``): map keys in that library's natural order
(digit runs by value), strings that would read back as another type (or as a base-60 number
or a timestamp) in double quotes, multi-line strings as literal blocks, floats in Go's
shortest ``'g'`` form.
"""

from __future__ import annotations

import re
from functools import cmp_to_key
from typing import Any

import yaml
from yaml.nodes import ScalarNode

from pyocm._internal.gojson import marshal
from pyocm._internal.gonumbers import YamlFloat, YamlInt, YamlKey, read_json
from pyocm._internal.goyaml import (
    FLOAT_TAG,
    STR_TAG,
    format_yaml_float,
    plain_scalar_tag,
    resolve_tag,
)

_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class GoDumper(_BaseDumper):  # type: ignore[misc]
    """A safe dumper that quotes every string Go's YAML reader would not read back as a string."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        tag: str = super().resolve(kind, value, implicit)
        if kind is ScalarNode and implicit[0] and tag == STR_TAG:
            return plain_scalar_tag(value)
        return tag


GoDumper.add_representer(YamlInt, yaml.SafeDumper.represent_int)
GoDumper.add_representer(YamlFloat, yaml.SafeDumper.represent_float)
GoDumper.add_representer(YamlKey, yaml.SafeDumper.represent_str)


_BASE60_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
"""``base60float`` of yaml.v2's ``encode.go``: quoted on the way out, though read as text."""
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?")
"""Text yaml.v2's ``resolve`` may take for a timestamp (an approximation of ``time.Parse``)."""


def _written_tag(text: str) -> str:
    """The tag yaml.v2's writer resolves ``text`` to as a plain scalar.

    ``<<`` is text there: only the reader takes it for a merge key, and only as a key.
    """
    return STR_TAG if text == "<<" else plain_scalar_tag(text)


def _written_plain(text: str) -> bool:
    """Whether yaml.v2 writes the string ``text`` without quotes (``stringv`` in encode.go)."""
    return (
        _written_tag(text) == STR_TAG
        and not _BASE60_FLOAT.fullmatch(text)
        and not _TIMESTAMP.fullmatch(text)
    )


class _MarshalDumper(yaml.SafeDumper):
    """PyYAML's emitter with yaml.v2's choice of tags, quoting and float text."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is ScalarNode and implicit[0]:
            return _written_tag(value)
        return resolve_tag(kind, value, implicit)


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None if _written_plain(text) else '"'
    return dumper.represent_scalar(STR_TAG, text, style=style)


def _represent_float(dumper: yaml.SafeDumper, value: float) -> yaml.Node:
    return dumper.represent_scalar(FLOAT_TAG, format_yaml_float(value))


_MarshalDumper.add_representer(str, _represent_str)
_MarshalDumper.add_representer(YamlKey, _represent_str)
_MarshalDumper.add_representer(float, _represent_float)
_MarshalDumper.add_representer(YamlFloat, _represent_float)
_MarshalDumper.add_representer(YamlInt, yaml.SafeDumper.represent_int)


def marshal_yaml(value: Any) -> str:
    """``value`` as ``sigs.k8s.io/yaml.Marshal`` writes it (plain JSON data, finite numbers).

    Raises :class:`pyocm.errors.OCMError` for what Go's JSON encoder refuses.
    """
    data = read_json(marshal(value).decode("utf-8"))
    text = str(
        yaml.dump(
            _v2_ordered(data),
            Dumper=_MarshalDumper,
            sort_keys=False,
            default_flow_style=False,
            allow_unicode=True,
        )
    )
    return text if isinstance(data, dict | list) else text.removesuffix("...\n")


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
