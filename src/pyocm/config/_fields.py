"""Reading fields of configuration entries the way Go's ``encoding/json`` fills a struct.

    >>> from pyocm.config._fields import lookup, string_value
    >>> lookup({"TempFolder": "/a", "tempfolder": "/b"}, "tempFolder")
    '/b'
    >>> string_value(None, "x.y"), string_value("v", "x.y")
    ('', 'v')

Go matches a JSON key to a struct field exactly or, failing that, case-insensitively, and when
several keys match the same field the last one wins.  A ``null`` leaves a field at its zero
value.  Numbers read from YAML keep their source text (:mod:`pyocm._internal.goyaml`), which is
used where a string is expected, so ``port: 5000`` is the string ``"5000"`` (Go itself refuses
a number in a string field; pyocm reads what the author meant).  Other mismatches are
:class:`~pyocm.errors.ValidationError` naming the file and field.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pyocm.config.durations import parse_duration
from pyocm.errors import ValidationError, Violation

MISSING: Any = object()
"""Returned by :func:`lookup` for a field that is not there."""


def invalid(where: str, message: str) -> ValidationError:
    """The error for a configuration field at ``where`` that breaks a rule."""
    return ValidationError([Violation(where, message)], what="configuration")


def folds_to(key: str, name: str) -> bool:
    """Whether the JSON key ``key`` fills the struct field ``name`` (exactly or ignoring case)."""
    return key == name or key.casefold() == name.casefold()


def lookup(data: Mapping[str, Any], name: str) -> Any:
    """The value Go would decode into field ``name`` of ``data`` (:data:`MISSING` if none)."""
    found = MISSING
    for key, value in data.items():
        if folds_to(key, name):
            found = value
    return found


def unknown_keys(data: Mapping[str, Any], names: tuple[str, ...]) -> list[str]:
    """The keys of ``data`` that fill none of the fields ``names``."""
    return [key for key in data if not any(folds_to(key, name) for name in names)]


def number_text(value: Any) -> str | None:
    """The text of a number as written in the file (None for anything else)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    source = getattr(value, "yaml_source", None)
    if isinstance(source, str):
        return source
    if isinstance(value, float) and value.is_integer() and math.isfinite(value):
        return str(int(value))
    return str(value)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


def string_value(value: Any, where: str) -> str:
    """``value`` as a Go string field reads it: null is ``""``, numbers keep their text."""
    if value is None or value is MISSING:
        return ""
    if isinstance(value, str):
        return value
    text = number_text(value)
    if text is not None:
        return text
    raise invalid(where, f"must be a string, not {_kind(value)} (quote it)")


def optional_string(data: Mapping[str, Any], name: str, where: str) -> str:
    """The string field ``name`` of ``data`` (``""`` when absent or null)."""
    return string_value(lookup(data, name), f"{where}.{name}")


def int_value(value: Any, where: str) -> int:
    """``value`` as a Go int field reads it (a whole number; null is 0)."""
    if value is None or value is MISSING:
        return 0
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise invalid(where, f"must be a whole number, not {_kind(value)}")


def bool_value(value: Any, where: str) -> bool:
    """``value`` as a Go bool field reads it (``true``/``false``)."""
    if isinstance(value, bool):
        return value
    raise invalid(where, f"must be true or false, not {_kind(value)}")


def duration_value(value: Any, where: str) -> int:
    """Nanoseconds: a Go duration string (``30s``) or a number of nanoseconds."""
    if isinstance(value, str):
        try:
            return parse_duration(value)
        except ValueError as e:
            raise invalid(where, str(e)) from None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    raise invalid(where, f"must be a duration like 30s or 5m, not {_kind(value)}")


def mapping_value(value: Any, where: str) -> Mapping[str, Any]:
    """``value`` as a JSON object (null is empty)."""
    if value is None or value is MISSING:
        return {}
    if isinstance(value, Mapping):
        return value
    raise invalid(where, f"must be a mapping, not {_kind(value)}")


def list_value(value: Any, where: str) -> list[Any]:
    """``value`` as a JSON array (null is empty)."""
    if value is None or value is MISSING:
        return []
    if isinstance(value, list):
        return value
    raise invalid(where, f"must be a list, not {_kind(value)}")


def string_list(value: Any, where: str) -> list[str]:
    """``value`` as a list of strings."""
    return [string_value(item, f"{where}[{i}]") for i, item in enumerate(list_value(value, where))]


def string_map(value: Any, where: str) -> dict[str, str]:
    """``value`` as a ``map[string]string``."""
    return {
        key: string_value(item, f"{where}.{key}")
        for key, item in mapping_value(value, where).items()
    }


def plain(value: Any) -> Any:
    """``value`` as Go holds raw JSON (``runtime.Raw``): keys sorted, whole floats as ints."""
    if isinstance(value, Mapping):
        return {key: plain(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e21:
            return int(value)
        return float(value)
    if isinstance(value, int):
        return int(value)
    return value
