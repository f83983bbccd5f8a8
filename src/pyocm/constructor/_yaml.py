"""YAML as the constructor reads it: safe, first document only, numbers keep their text.

    >>> v = load_first("version: 1.10\\nwhen: 2024-01-01\\nok: y\\nf: 1e3\\n---\\nx: 1", "c.yaml")
    >>> v["version"].yaml_source, v["when"], v["ok"], v["f"]
    ('1.10', '2024-01-01', True, 1000.0)

The Go v2 CLI reads YAML with ``gopkg.in/yaml.v2`` (through ``sigs.k8s.io/yaml``), a YAML 1.1
reader that differs from PyYAML in three places this loader follows: ``y``/``Y``/``n``/``N``
are booleans, numbers with an exponent but no decimal point (``1e3``) are floats, and
``0o17`` is an octal integer.  Timestamps stay text, as in Go.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from pyocm.descriptor.codec import YamlFloat, YamlInt
from pyocm.errors import OCMError

GO_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$")
"""Floats with an exponent that yaml.v2 reads and PyYAML does not (``1e3``, ``1.5e3``)."""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML with timestamps kept as text and numbers remembering their source text."""


def _number(cls: type[Any], construct: Any) -> Any:
    def constructor(loader: Any, node: yaml.ScalarNode) -> Any:
        number = cls(construct(loader, node))
        number.yaml_source = node.value
        return number

    return constructor


def _construct_int(loader: Any, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node)).replace("_", "")
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    if digits.startswith("0o"):
        return sign * int(digits[2:], 8)
    return int(yaml.SafeLoader.construct_yaml_int(loader, node))


_Loader.add_constructor("tag:yaml.org,2002:int", _number(YamlInt, _construct_int))
_Loader.add_constructor(
    "tag:yaml.org,2002:float", _number(YamlFloat, yaml.SafeLoader.construct_yaml_float)
)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile("^(?:y|Y|n|N)$"), list("yYnN"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile("^[-+]?0o[0-7_]+$"), list("-+0"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:float", GO_FLOAT, list("-+0123456789."))


def _construct_bool(loader: Any, node: yaml.ScalarNode) -> bool:
    value = str(loader.construct_scalar(node))
    if value in ("y", "Y", "n", "N"):
        return value in ("y", "Y")
    return bool(yaml.SafeLoader.construct_yaml_bool(loader, node))


_Loader.add_constructor("tag:yaml.org,2002:bool", _construct_bool)


def load_first(text: str | bytes, source: str) -> Any:
    """The first YAML document of ``text`` (``None`` when empty); :class:`OCMError` if malformed."""
    try:
        for document in yaml.load_all(text, Loader=_Loader):  # a safe loader
            return document
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(e, "problem", None) or str(e)
        raise OCMError(f"{source}: invalid YAML{where}: {problem}") from None
    return None
