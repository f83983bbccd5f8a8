"""The one recursive JSON writer behind both normal forms (JCS and v1's entry lists).

The two encodings differ only in how strings, numbers and key order are written and in the
shape of objects (``{"k":v,...}`` or ``[{"k":v},...]``); :func:`json_writer` builds an encoder
from those four choices.  Values are plain JSON data (dict, list, tuple, str, int, float,
bool, None); anything else raises :class:`InvalidJSONValue` with the path to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pyocm.errors import ValidationError, Violation


class InvalidJSONValue(Exception):
    """Raised inside the encoders for a value JSON cannot hold; carries the path to it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
        self.path: list[str] = []

    def to_error(self) -> ValidationError:
        """The :class:`ValidationError` naming the offending value's path."""
        path = "".join(reversed(self.path)).lstrip(".")
        return ValidationError([Violation(path, self.message)], what="JSON value")


def json_writer(
    string: Callable[[str], str],
    number: Callable[[int | float], str],
    key_order: Callable[[str], Any],
    *,
    entry_list: bool,
) -> Callable[[Any], str]:
    """An encoder writing strings with ``string``, numbers with ``number`` and object keys
    sorted by ``key_order`` (plain ``sorted`` when all keys are ASCII, which orders the same).

    With ``entry_list``, each object becomes a list of one-key objects (``jsonNormalisation/v1``).
    """
    open_object, close_object = ("[", "]") if entry_list else ("{", "}")
    open_entry, close_entry = ("{", "}") if entry_list else ("", "")

    def sorted_keys(obj: Mapping[Any, Any]) -> list[str]:
        try:
            joined = "".join(obj)
        except TypeError:
            key = next(k for k in obj if not isinstance(k, str))
            raise InvalidJSONValue(f"object key {key!r} is not a string") from None
        return sorted(obj) if joined.isascii() else sorted(obj, key=key_order)

    def encode_object(obj: Mapping[str, Any]) -> str:
        parts = []
        keys = sorted_keys(obj)
        key = ""
        try:
            for key in keys:
                item = obj[key]
                text = string(item) if type(item) is str else encode(item)
                parts.append(open_entry + string(key) + ":" + text + close_entry)
        except InvalidJSONValue as e:
            e.path.append(f".{key}")
            raise
        return open_object + ",".join(parts) + close_object

    def encode_array(items: list[Any] | tuple[Any, ...]) -> str:
        parts = []
        try:
            for item in items:
                parts.append(string(item) if type(item) is str else encode(item))
        except InvalidJSONValue as e:
            e.path.append(f"[{len(parts)}]")
            raise
        return "[" + ",".join(parts) + "]"

    def encode(value: Any) -> str:
        kind = type(value)
        if kind is str:
            return string(value)
        if kind is dict:
            return encode_object(value)
        if kind is list:
            return encode_array(value)
        if value is None:
            return "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if isinstance(value, int | float):
            return number(value)
        if isinstance(value, str):
            return string(value)
        if isinstance(value, Mapping):
            return encode_object(value)
        if isinstance(value, list | tuple):
            return encode_array(value)
        raise InvalidJSONValue(f"a {kind.__name__} is not a JSON value")

    return encode
