"""YAML read as the Go tools read it: ``sigs.k8s.io/yaml`` over ``go.yaml.in/yaml/v2``.

    >>> from pyocm._internal.goyaml import read_yaml
    >>> doc = read_yaml("b: y\\nc: 10:30\\nd: 0o17\\ne: 1e3\\nf: {1.50: x, 0x1F: z}\\n").data
    >>> doc["b"], doc["c"], doc["d"], doc["e"], doc["f"]
    (True, '10:30', 15, 1000.0, {'1.5': 'x', '31': 'z'})

The Go v2 tools and the legacy Go CLI both read descriptors and constructor files with
``sigs.k8s.io/yaml`` v1.6.0: ``go.yaml.in/yaml/v2`` (v2.4.4; its ``resolve.go`` is the same as
``gopkg.in/yaml.v2`` v2.4.0, which the legacy CLI's schema check reaches through
``github.com/ghodss/yaml``) parses into Go values, which are converted to JSON and decoded from
there.  PyYAML's C parser builds the nodes here; this module decides what each scalar means,
following ``resolve()`` in ``resolve.go`` and ``convertToJSONableObject`` in ``yaml.go``:

* a plain scalar is looked at by its first character: ``y Y n N t T f F o O ~`` may be one of
  the words ``y/yes/on/true`` (also ``Y``, ``Yes``, ``YES``, ...) → true, ``n/no/off/false`` →
  false, ``~``/``null``/``Null``/``NULL`` → null; anything else starting so is a string;
* ``.`` may be ``.inf``/``.nan`` (three spellings each) or a float such as ``.5`` or
  ``.5_0`` (Go's float syntax, underscores between digits);
* a sign or digit: underscores are removed, then an int64 (``strconv.ParseInt`` base 0:
  ``0x``/``0o``/``0b`` in either case, a leading ``0`` for octal), else a uint64, else a float
  of the form ``[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?`` (so ``1e3``,
  ``+.5``, ``08``, and decimals beyond uint64 become floats) unless it overflows, else a
  string; ``+.inf``/``-.inf`` are infinities;
* everything else is a string: ``10:30`` (no sexagesimal numbers), ``=``, ``<<`` as a value,
  timestamps (kept as written), ``1e400``;
* the empty plain scalar is null; quoted and block scalars are strings;
* map keys become strings as Go makes them: ints in decimal, floats via
  ``strconv.FormatFloat(x, 'g', -1, 32)`` (``1.10`` → ``"1.1"``, ``1e6`` → ``"1e+06"``),
  ``.inf``/``-.inf``/``.nan``, booleans ``true``/``false``; a null key, a key beyond int64 or
  a collection key is an error;
* ``<<`` merge keys are applied where they stand, so a later key wins, merged or not
  (``{a: 1, <<: {a: 2}}`` is ``{a: 2}``); in a merged list the earlier maps win;
* ``!!binary`` gives text (invalid UTF-8 bytes become U+FFFD, as Go's JSON encoder does),
  unknown tags and ``!!set``/``!!omap``/``!!pairs`` give plain strings, lists and maps;
* only the first document of a stream is read.

Numbers remember their source text (:class:`YamlInt`, :class:`YamlFloat`, and
:class:`YamlKey` for number keys), so fields typed as strings can keep what was written.
Writing YAML the Go way is :mod:`pyocm._internal.goyaml_write`.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from typing import Any, Literal

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from pyocm._internal.gojson import format_float
from pyocm._internal.gonumbers import (
    _INT64_END,
    _INT64_MIN,
    YamlDocument,
    YamlFloat,
    YamlInt,
    YamlKey,
    _go_number,
)

_TAG = "tag:yaml.org,2002:"
STR_TAG = _TAG + "str"
INT_TAG = _TAG + "int"
FLOAT_TAG = _TAG + "float"
BOOL_TAG = _TAG + "bool"
NULL_TAG = _TAG + "null"
MERGE_TAG = _TAG + "merge"
_SEQ_TAG = _TAG + "seq"
_MAP_TAG = _TAG + "map"


_KNOWN: dict[str, bool | float | None] = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE"), True),
    **dict.fromkeys(("on", "On", "ON"), True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE"), False),
    **dict.fromkeys(("off", "Off", "OFF"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf),
}
"""yaml.v2's ``resolveMap``: consulted for every scalar whose first character has a hint."""

_NUMBER_START = frozenset("+-0123456789")
_HINTED = frozenset("yYnNtTfFoO~.") | _NUMBER_START

_DOT_FLOAT = re.compile(r"\.[0-9](?:_?[0-9])*(?:[eE][-+]?[0-9](?:_?[0-9])*)?")


def plain_scalar(text: str) -> Any:
    """What yaml.v2 makes of ``text`` as a plain scalar: None, bool, int, float or the text."""
    if not text:
        return None
    if text[0] not in _HINTED:
        return text
    if text in _KNOWN:
        return _KNOWN[text]
    first = text[0]
    if first == ".":
        if _DOT_FLOAT.fullmatch(text):
            number = float(text.replace("_", ""))
            if not math.isinf(number):
                return number
    elif first in _NUMBER_START:
        value = _go_number(text.replace("_", ""))
        if value is not None:
            return value
    return text


_TAG_OF: dict[type, str] = {
    type(None): NULL_TAG,
    bool: BOOL_TAG,
    int: INT_TAG,
    float: FLOAT_TAG,
    str: STR_TAG,
}


def plain_scalar_tag(text: str) -> str:
    """The tag yaml.v2 gives ``text`` as a plain scalar (``<<`` is a merge key where it is one)."""
    if text == "<<":
        return MERGE_TAG
    return _TAG_OF[type(plain_scalar(text))]


_YAML_SPELLING = {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}


def format_yaml_float(value: float, bits: Literal[32, 64] = 64) -> str:
    """A float as yaml.v2 writes it: ``strconv.FormatFloat(value, 'g', -1, bits)``, with
    ``.inf``, ``-.inf`` and ``.nan`` for the values that are not numbers.

    ``bits=32`` is how ``sigs.k8s.io/yaml`` names a float map key (``1.10`` is ``"1.1"``).
    """
    text = format_float(value, bits)
    return _YAML_SPELLING.get(text, text)


def resolve_tag(kind: type[Node], value: str, implicit: tuple[bool, bool]) -> str:
    """The tag yaml.v2 gives a node without one (PyYAML's ``Resolver.resolve``, Go's rules)."""
    if kind is ScalarNode:
        return plain_scalar_tag(value) if implicit[0] else STR_TAG
    return _SEQ_TAG if kind is SequenceNode else _MAP_TAG


def _error(node: Node, message: str) -> ConstructorError:
    return ConstructorError(None, None, message, node.start_mark)


def _json_key(key: Any, node: Node) -> str:
    """The string Go's YAML-to-JSON conversion makes of a map key."""
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int):
        if not _INT64_MIN <= key < _INT64_END:
            raise _error(node, f"map key {node.value} is beyond int64; the Go tools reject it")
        text = str(int(key))
    elif isinstance(key, float):
        text = format_yaml_float(key, 32)
    elif key is None:
        raise _error(node, "a map key must not be null")
    else:
        raise _error(node, "a map key must be a scalar, not a list or map")
    converted = YamlKey(text)
    converted.yaml_source = node.value
    return converted


def _go_json_text(data: bytes) -> str:
    """Bytes as a JSON string from Go: each byte that is not valid UTF-8 becomes U+FFFD."""
    text = data.decode("utf-8", "surrogateescape")
    return re.sub("[\udc80-\udcff]", "\ufffd", text)


_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class GoLoader(_BaseLoader):  # type: ignore[misc]
    """A safe loader (C parser when available) that resolves scalars and keys as yaml.v2 does.

    ``non_finite`` becomes true once a ``.inf`` or ``.nan`` float was read: Go cannot turn such
    a value into JSON and rejects the document unless the value sits in a string field.
    """

    non_finite = False

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return resolve_tag(kind, value, implicit)

    def flatten_mapping(self, node: MappingNode) -> None:
        pairs: list[tuple[Node, Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG and key_node.value == "<<":
                pairs.extend(self._merged_pairs(value_node))
            else:
                pairs.append((key_node, value_node))
        node.value = pairs

    def _merged_pairs(self, node: Node) -> list[tuple[Node, Node]]:
        if isinstance(node, MappingNode):
            self.flatten_mapping(node)
            return list(node.value)
        if isinstance(node, SequenceNode):
            pairs: list[tuple[Node, Node]] = []
            for item in reversed(node.value):  # earlier maps win: they are applied last
                if not isinstance(item, MappingNode):
                    break
                self.flatten_mapping(item)
                pairs.extend(item.value)
            else:
                return pairs
        raise _error(node, "a merge (<<) needs a map or a list of maps as its value")

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[str, Any]:
        if not isinstance(node, MappingNode):
            raise _error(node, "expected a map")
        self.flatten_mapping(node)
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _json_key(self.construct_object(key_node, deep=deep), key_node)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def _construct_int(loader: GoLoader, node: ScalarNode) -> YamlInt:
    value = plain_scalar(node.value)
    if type(value) is not int:
        raise _error(node, f"{node.value!r} is not an integer (!!int)")
    number = YamlInt(value)
    number.yaml_source = node.value
    return number


def _construct_float(loader: GoLoader, node: ScalarNode) -> YamlFloat:
    value = plain_scalar(node.value)
    if type(value) is int and _INT64_MIN <= value < _INT64_END:
        value = float(value)
    if type(value) is not float:
        raise _error(node, f"{node.value!r} is not a float (!!float)")
    if not math.isfinite(value):
        loader.non_finite = True
    number = YamlFloat(value)
    number.yaml_source = node.value
    return number


def _construct_bool(loader: GoLoader, node: ScalarNode) -> bool:
    value = plain_scalar(node.value)
    if type(value) is not bool:
        raise _error(node, f"{node.value!r} is not a boolean (!!bool)")
    return value


def _construct_null(loader: GoLoader, node: ScalarNode) -> None:
    if plain_scalar(node.value) is not None:
        raise _error(node, f"{node.value!r} is not null (!!null)")


def _construct_text(loader: GoLoader, node: ScalarNode) -> str:
    return str(loader.construct_scalar(node))


def _construct_binary(loader: GoLoader, node: ScalarNode) -> str:
    text = str(loader.construct_scalar(node)).replace("\r", "").replace("\n", "")
    try:
        data = base64.b64decode(text, validate=True)
    except binascii.Error:
        raise _error(node, "!!binary value is not valid base64") from None
    return _go_json_text(data)


def _construct_by_kind(loader: GoLoader, node: Node) -> Any:
    """A node whose tag Go ignores: a string, list or map by its shape."""
    if isinstance(node, ScalarNode):
        return _construct_text(loader, node)
    if isinstance(node, SequenceNode):
        return loader.construct_yaml_seq(node)
    return loader.construct_yaml_map(node)


GoLoader.add_constructor(INT_TAG, _construct_int)
GoLoader.add_constructor(FLOAT_TAG, _construct_float)
GoLoader.add_constructor(BOOL_TAG, _construct_bool)
GoLoader.add_constructor(NULL_TAG, _construct_null)
GoLoader.add_constructor(_TAG + "timestamp", _construct_text)
GoLoader.add_constructor(_TAG + "binary", _construct_binary)
for _tag in (MERGE_TAG, _TAG + "set", _TAG + "omap", _TAG + "pairs", None):
    GoLoader.add_constructor(_tag, _construct_by_kind)


def read_yaml(text: str) -> YamlDocument:
    """The first document of ``text`` as Go reads it (``None`` data for an empty stream).

    Raises :class:`yaml.YAMLError` for malformed YAML or a value Go rejects.
    """
    loader = GoLoader(text)
    try:
        data = loader.get_data() if loader.check_data() else None
        return YamlDocument(data, loader.non_finite)
    finally:
        loader.dispose()
