"""pyocm: the Open Component Model (OCM) toolchain in Python.

    >>> import pyocm
    >>> cd = pyocm.load("component-descriptor.yaml")                          # doctest: +SKIP
    >>> pyocm.validate(cd)                                                     # doctest: +SKIP
    >>> digest = pyocm.component_version_digest(cd)                            # doctest: +SKIP
    >>> digest.hash_algorithm, digest.normalisation_algorithm                  # doctest: +SKIP
    ('SHA-256', 'jsonNormalisation/v4alpha1')
    >>> pyocm.normalise(cd, "jsonNormalisation/v4alpha1")[:13]                 # doctest: +SKIP
    b'{"component":'
    >>> issubclass(pyocm.OCMError, Exception)
    True

The names listed in ``__all__`` are the public API: the :class:`~pyocm.context.Context` that
opens repositories with the credentials of an ``.ocmconfig`` (:mod:`pyocm.context`), the
component versions and resource handles they give (:mod:`pyocm.component_version`), the
descriptor model and its codecs (:mod:`pyocm.descriptor`), normalisation
(:mod:`pyocm.normalise`), component-version digests (:mod:`pyocm.digest`), signing and
verification (:mod:`pyocm.signing`) and the base error.
They are imported on first use, so ``import pyocm`` stays cheap (no YAML or cryptography
loaded); everything else in the package may change between releases.

``pyocm.normalise`` is the function, also after the submodule ``pyocm.normalise`` is imported;
reach the module's other names with ``from pyocm.normalise import ...``.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyocm.component_version import ComponentVersion, ResourceHandle
    from pyocm.context import Context
    from pyocm.descriptor import (
        Component,
        Descriptor,
        Digest,
        Label,
        Reference,
        Resource,
        Signature,
        Source,
        dump,
        dumps,
        load,
        loads,
        validate,
    )
    from pyocm.digest import component_version_digest
    from pyocm.errors import OCMError
    from pyocm.normalise import normalise
    from pyocm.signing import sign_component_version, verify_component_version

    __version__: str

_EXPORTS = {
    "Context": "pyocm.context",
    "ComponentVersion": "pyocm.component_version",
    "ResourceHandle": "pyocm.component_version",
    "Component": "pyocm.descriptor",
    "Descriptor": "pyocm.descriptor",
    "Digest": "pyocm.descriptor",
    "Label": "pyocm.descriptor",
    "Reference": "pyocm.descriptor",
    "Resource": "pyocm.descriptor",
    "Signature": "pyocm.descriptor",
    "Source": "pyocm.descriptor",
    "dump": "pyocm.descriptor",
    "dumps": "pyocm.descriptor",
    "load": "pyocm.descriptor",
    "loads": "pyocm.descriptor",
    "validate": "pyocm.descriptor",
    "normalise": "pyocm.normalise",
    "component_version_digest": "pyocm.digest",
    "sign_component_version": "pyocm.signing",
    "verify_component_version": "pyocm.signing",
    "OCMError": "pyocm.errors",
}

__all__ = [
    "Component",
    "ComponentVersion",
    "Context",
    "Descriptor",
    "Digest",
    "Label",
    "OCMError",
    "Reference",
    "Resource",
    "ResourceHandle",
    "Signature",
    "Source",
    "__version__",
    "component_version_digest",
    "dump",
    "dumps",
    "load",
    "loads",
    "normalise",
    "sign_component_version",
    "validate",
    "verify_component_version",
]


def __getattr__(name: str) -> Any:
    value: Any
    if name == "__version__":
        from pyocm._version import __version__  # static: no importlib.metadata

        value = __version__
    elif name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(ModuleType):
    """Keeps ``pyocm.normalise`` the function when the submodule of that name is imported."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "normalise" and isinstance(value, ModuleType):
            return  # the import system binding the submodule; the function stays public
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
