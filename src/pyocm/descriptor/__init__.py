"""The component descriptor: model, YAML/JSON codecs, validation and identities.

>>> from pyocm.descriptor import load, validate
>>> cd = load("examples/component-descriptor.yaml")      # doctest: +SKIP
>>> validate(cd)                                            # doctest: +SKIP
>>> [r.name for r in cd.component.resources]                # doctest: +SKIP
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

from pyocm.descriptor.model import (
    AccessSpec,
    Component,
    Descriptor,
    Digest,
    Label,
    Provider,
    Reference,
    Resource,
    Signature,
    SignatureSpec,
    Source,
    SourceRef,
)

if TYPE_CHECKING:
    from pyocm.descriptor.codec import dump, dumps, load, loads, parse_document
    from pyocm.descriptor.validate import validate, validate_document

_LAZY = {
    "dump": "pyocm.descriptor.codec",
    "dumps": "pyocm.descriptor.codec",
    "load": "pyocm.descriptor.codec",
    "loads": "pyocm.descriptor.codec",
    "parse_document": "pyocm.descriptor.codec",
    "validate": "pyocm.descriptor.validate",
    "validate_document": "pyocm.descriptor.validate",
}
"""Names imported on first use: the codecs load YAML, validation loads jsonschema and the
schema, and reading a stored JSON descriptor needs neither."""


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


class _Package(ModuleType):
    """Keeps ``pyocm.descriptor.validate`` the function when the submodule of that name is
    imported (the import system would bind the module over it)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "validate" and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = [
    "AccessSpec",
    "Component",
    "Descriptor",
    "Digest",
    "Label",
    "Provider",
    "Reference",
    "Resource",
    "Signature",
    "SignatureSpec",
    "Source",
    "SourceRef",
    "dump",
    "dumps",
    "load",
    "loads",
    "parse_document",
    "validate",
    "validate_document",
]
