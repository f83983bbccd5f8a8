"""Typed reading of constructor-file objects, collecting every violation with its path.

>>> from pyocm.errors import Violation
>>> problems: list[Violation] = []
>>> f = Fields({"path": "a.txt", "compress": "yes"}, "resources[0].input", problems)
>>> f.string("path", required=True), f.boolean("compress")
('a.txt', False)
>>> str(problems[0])
'resources[0].input.compress: must be a boolean, not a string'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pyocm.errors import Violation


def kind(value: object) -> str:
    """How a JSON/YAML value is named in messages (``a string``, ``a list``, ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, Mapping) else type(value).__name__


def plain(value: Any) -> Any:
    """``value`` with the YAML reader's source-remembering numbers and keys made plain."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def join(path: str, key: str) -> str:
    """``path.key``, or ``key`` at the top of the document."""
    return f"{path}.{key}" if path else key


class Fields:
    """The fields of one object of the constructor file, read with their types checked."""

    def __init__(self, data: object, path: str, violations: list[Violation]):
        self.path = path
        self.violations = violations
        self.used: set[str] = set()
        if isinstance(data, Mapping):
            self.data: Mapping[str, Any] = data
        else:
            self.fail("", f"must be an object, not {kind(data)}")
            self.data = {}

    def at(self, key: str) -> str:
        """The document path of ``key`` in this object."""
        return join(self.path, key)

    def fail(self, key: str, message: str) -> None:
        """Record a violation at ``key`` (or at the object itself when ``key`` is empty)."""
        self.violations.append(Violation(self.at(key) if key else self.path, message))

    def has(self, key: str) -> bool:
        """Whether ``key`` is present (even with a null value)."""
        return key in self.data

    def raw(self, key: str) -> Any:
        """The value of ``key`` as parsed, or ``None``."""
        self.used.add(key)
        return self.data.get(key)

    def string(
        self,
        key: str,
        *,
        required: bool = False,
        non_empty: bool = False,
        pattern: re.Pattern[str] | None = None,
        expected: str = "",
    ) -> str | None:
        """A string field; ``None`` when absent or null (a violation when ``required``)."""
        value: object = self.raw(key)
        if value is None:
            if required:
                self.fail(key, "is required")
            return None
        if not isinstance(value, str):
            self.fail(key, _not_a_string(value))
            return None
        if non_empty and not value:
            self.fail(key, "must not be empty")
        elif pattern is not None and not pattern.fullmatch(value):
            self.fail(key, f"{value!r} is not {expected or 'valid'}")
        return value

    def boolean(self, key: str) -> bool:
        """A boolean field; ``False`` when absent."""
        value = self.raw(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(key, f"must be a boolean, not {kind(value)}")
            return False
        return value

    def items(self, key: str, *, required: bool = False) -> list[tuple[str, Any]]:
        """The items of a list field with their paths; ``[]`` when absent or null."""
        value = self.raw(key)
        if value is None:
            if required:
                self.fail(key, "is required")
            return []
        if not isinstance(value, list):
            self.fail(key, f"must be a list, not {kind(value)}")
            return []
        return [(f"{self.at(key)}[{i}]", item) for i, item in enumerate(value)]

    def strings(self, key: str) -> list[str]:
        """A list of strings; ``[]`` when absent or null."""
        out = []
        for path, item in self.items(key):
            if isinstance(item, str):
                out.append(item)
            else:
                self.violations.append(Violation(path, _not_a_string(item)))
        return out

    def string_map(
        self, key: str, *, key_pattern: re.Pattern[str] | None = None, expected: str = ""
    ) -> dict[str, str]:
        """An object of string values (``extraIdentity``, ``identitySelector``)."""
        value = self.raw(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail(key, f"must be an object, not {kind(value)}")
            return {}
        out: dict[str, str] = {}
        for k, v in value.items():
            path = join(self.at(key), str(k))
            if key_pattern is not None and not (
                isinstance(k, str) and len(k) >= 2 and key_pattern.fullmatch(k)
            ):
                self.violations.append(Violation(path, f"{k!r} is not {expected} as a key"))
            if isinstance(v, str):
                out[str(k)] = v
            else:
                self.violations.append(Violation(path, _not_a_string(v)))
        return out

    def unknown(self) -> list[str]:
        """Keys present in the object that nothing has read."""
        return [str(k) for k in self.data if k not in self.used]


def _not_a_string(value: object) -> str:
    source = getattr(value, "yaml_source", None)
    if isinstance(source, str):
        return f'must be a string, not {kind(value)} (quote it: "{source}")'
    return f"must be a string, not {kind(value)}"
