"""Input types of the constructor file, registered in one place.

    >>> from pyocm.constructor.inputs import input_type_names
    >>> input_type_names()
    ['binary', 'dir', 'file', 'helm', 'utf8', 'wget']

Each type is one module with a ``TYPE`` (:class:`~pyocm.constructor.inputs.base.InputType`):
``file``, ``dir``, ``utf8``, ``helm``, ``wget`` as in the Go v2 CLI, and ``binary`` from the v1 CLI.
Every type answers to ``Name/v1``, ``Name`` and the lower-case legacy forms (``File/v1``,
``File``, ``file/v1``, ``file``).  An OCI image layout is a ``file`` (or ``dir``) input with
the media type ``application/vnd.ocm.software.oci.layout.v1+tar`` (or ``...+tar+gzip``), as
in the Go v2 CLI.  To add a type, write its module and list its ``TYPE`` in ``_TYPES``.
"""

from __future__ import annotations

import logging

from pyocm.constructor._fields import Fields
from pyocm.constructor.inputs import binary, directory, file, helm, utf8, wget
from pyocm.constructor.inputs.base import InputContext, InputSpec, InputType

log = logging.getLogger("pyocm.constructor")

_TYPES: tuple[InputType, ...] = (
    file.TYPE,
    directory.TYPE,
    utf8.TYPE,
    helm.TYPE,
    wget.TYPE,
    binary.TYPE,
)
_BY_NAME: dict[str, InputType] = {name: t for t in _TYPES for name in t.names}


def input_type_names() -> list[str]:
    """The canonical (lower-case, unversioned) names of all input types."""
    return sorted(t.names[-1] for t in _TYPES)


def parse_input(f: Fields) -> InputSpec | None:
    """Read an ``input`` object with the parser of its ``type``; ``None`` if it has none.

    Problems are recorded as violations in ``f``; unknown fields are logged and ignored.
    """
    type_name = f.string("type", required=True, non_empty=True)
    if not type_name:
        return None
    input_type = _BY_NAME.get(type_name)
    if input_type is None:
        f.fail(
            "type",
            f"no input method resolvable for input specification of type {type_name!r} "
            f"(known: {', '.join(input_type_names())})",
        )
        return None
    spec = input_type.parse(f, type_name)
    for key in f.unknown():
        log.warning("%s: ignoring unknown field %r of input type %s", f.path, key, type_name)
    return spec


__all__ = ["InputContext", "InputSpec", "InputType", "input_type_names", "parse_input"]
