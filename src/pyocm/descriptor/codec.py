"""Reading and writing descriptors as YAML or JSON.

    >>> from pyocm.descriptor import loads, dumps
    >>> cd = loads('''
    ... meta: {schemaVersion: v2}
    ... component:
    ...   name: acme.org/app
    ...   version: 1.10
    ...   provider: acme
    ...   repositoryContexts: []
    ...   resources: []
    ...   sources: []
    ...   componentReferences: []
    ... ''')
    >>> cd.component.version
    '1.10'
    >>> dumps(cd, "json").startswith('{"meta"')
    True

YAML is read as the Go tools read it (``sigs.k8s.io/yaml`` over ``yaml.v2``, a YAML 1.1
reader; the rules and their sources are in :mod:`pyocm._internal.goyaml`), not as PyYAML
reads it, because label values are signed and must mean the same number everywhere:

* ``y``/``Y``/``n``/``N`` are booleans besides ``yes``/``no``/``on``/``off``/``true``/``false``;
* ``1e3``, ``+.5``, ``08`` and decimals beyond uint64 are floats; ``0o17``/``0O17``/``0B1``/
  ``0X1F`` are ints; underscores are dropped from numbers (``1_000``);
* ``10:30``, ``=``, ``<<`` (as a value), ``1e400`` and timestamps are strings;
* map keys are strings: ``{1.10: a}`` is ``{"1.1": "a"}``, ``{yes: a}`` is ``{"true": "a"}``;
* a ``<<`` merge applies where it stands (a later key wins); only the first document counts;
* ``.inf``/``.nan`` outside a string field make :func:`loads` fail, as Go cannot write them
  as JSON; JSON input is read with the same number rules (``NaN`` there is a string).

Writing quotes every string Go would read as something else (``'y'``, ``'1e3'``).

One deliberate difference: an unquoted number in a field the schema types as a string
(versions, names, types, ``extraIdentity`` values and keys) keeps its source text, so
``version: 1.10`` is the version ``"1.10"``.  Label values, access-spec properties and other
free-form data stay numbers.  Go's YAML layer also turns such numbers into strings, but by
formatting the parsed float, which makes ``1.10`` the version ``"1.1"`` and ``1.0`` the
version ``"1"`` - silently not what the author wrote.  Keeping the text means the descriptor
says what its author meant.  Writing always quotes such strings, so the output reads the same
everywhere.  :func:`pyocm.descriptor.validate_document` judges the parsed data as it is and
reports these numbers (suggesting the quotes), as the Go tools' raw-document validation does.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from pyocm._internal.documents import Format, dump_data, parse, parse_document
from pyocm._internal.gonumbers import YamlFloat, YamlInt, YamlKey
from pyocm.descriptor.model import Descriptor
from pyocm.errors import OCMError, ValidationError, Violation

__all__ = [
    "Format",
    "YamlFloat",
    "YamlInt",
    "YamlKey",
    "dump",
    "dump_data",
    "dumps",
    "load",
    "loads",
    "parse_document",
]


def loads(text: str | bytes, source: str = "input") -> Descriptor:
    """Read a descriptor (schema ``v2`` or ``ocm.software/v3alpha1``) from YAML or JSON text.

    Raises :class:`ValidationError` when the document is not a descriptor.  Call
    :func:`pyocm.descriptor.validate` for the full schema and identity checks.
    """
    document = parse(text, source)
    if not isinstance(document.data, dict):
        raise ValidationError([Violation("", "a component descriptor must be a YAML/JSON object")])
    descriptor = Descriptor.from_dict(document.data)
    if document.non_finite:
        where = _non_finite_path(descriptor.to_dict(), "")
        if where is not None:
            raise ValidationError(
                [Violation(where, "is .inf or .nan, which JSON cannot hold (quote it for text)")]
            )
    return descriptor


def _non_finite_path(value: Any, path: str) -> str | None:
    """The path of the first infinite or NaN float in ``value``, if there is one."""
    if isinstance(value, float):
        return None if math.isfinite(value) else path
    if isinstance(value, dict):
        items: Any = ((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
    elif isinstance(value, list):
        items = ((f"{path}[{i}]", v) for i, v in enumerate(value))
    else:
        return None
    for where, item in items:
        found = _non_finite_path(item, where)
        if found is not None:
            return found
    return None


def load(path: str | Path) -> Descriptor:
    """Read a descriptor file (YAML or JSON)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise OCMError(f"cannot read {p}: {e.strerror}") from None
    return loads(data, str(p))


def dumps(descriptor: Descriptor, fmt: Format = "yaml") -> str:
    """Write a descriptor as schema ``v2`` YAML or JSON."""
    if fmt == "json":
        return json.dumps(descriptor.to_dict(), separators=(",", ":"), ensure_ascii=False)
    return dump_data(descriptor.to_dict(), "yaml")


def dump(descriptor: Descriptor, path: str | Path, fmt: Format | None = None) -> None:
    """Write a descriptor file; the format follows the suffix (``.json``) unless given."""
    p = Path(path)
    chosen: Format = fmt or ("json" if p.suffix == ".json" else "yaml")
    p.write_text(dumps(descriptor, chosen), encoding="utf-8")
