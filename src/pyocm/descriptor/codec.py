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

YAML is read with the C loader when PyYAML has it.  Two deliberate differences from a plain
``yaml.safe_load``, both matching the Go reference tools:

* timestamps stay strings (``creationTime`` is normalised as written, never via ``datetime``);
* an unquoted number in a field the schema types as a string (versions, names, types,
  ``extraIdentity`` values and keys) keeps its source text, so ``version: 1.10`` is the
  version ``"1.10"``.  Label values, access-spec properties and other free-form data stay
  numbers.

The second rule is a decision, not a copy: Go's YAML layer (``sigs.k8s.io/yaml``) also turns
such numbers into strings, but by formatting the parsed float, which makes ``1.10`` the
version ``"1.1"`` and ``1.0`` the version ``"1"`` - silently not what the author wrote.
Keeping the text means the descriptor says what its author meant.  Writing always quotes
such strings, so the output reads the same everywhere.  :func:`pyocm.descriptor.validate_document`
judges the parsed data as it is and reports these numbers (suggesting the quotes), as the Go
tools' raw-document validation does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import yaml

from pyocm.descriptor.model import Descriptor
from pyocm.errors import OCMError, ValidationError, Violation

Format = Literal["yaml", "json"]

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class YamlInt(int):
    """An int read from YAML that remembers how it was written."""

    yaml_source: str


class YamlFloat(float):
    """A float read from YAML that remembers how it was written."""

    yaml_source: str


class _Loader(_BaseLoader):  # type: ignore[misc]
    pass


def _with_source(cls: type[Any], construct: Any) -> Any:
    def constructor(loader: Any, node: yaml.ScalarNode) -> Any:
        number = cls(construct(loader, node))
        number.yaml_source = node.value
        return number

    return constructor


_Loader.add_constructor(
    "tag:yaml.org,2002:int", _with_source(YamlInt, yaml.SafeLoader.construct_yaml_int)
)
_Loader.add_constructor(
    "tag:yaml.org,2002:float", _with_source(YamlFloat, yaml.SafeLoader.construct_yaml_float)
)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


class _Dumper(_BaseDumper):  # type: ignore[misc]
    pass


_Dumper.add_representer(YamlInt, yaml.SafeDumper.represent_int)
_Dumper.add_representer(YamlFloat, yaml.SafeDumper.represent_float)


def parse_document(text: str | bytes, source: str = "input") -> Any:
    """Parse YAML or JSON text into plain Python data (the descriptor-aware YAML rules apply)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as e:
            raise OCMError(f"{source}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            return json.loads(text)
        except ValueError:
            pass  # not JSON after all; YAML flow syntax is tried next
    try:
        return yaml.load(text, Loader=_Loader)  # a safe loader subclass
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(e, "problem", None) or str(e)
        raise OCMError(f"{source}: invalid YAML{where}: {problem}") from None


def loads(text: str | bytes, source: str = "input") -> Descriptor:
    """Read a descriptor (schema ``v2`` or ``ocm.software/v3alpha1``) from YAML or JSON text.

    Raises :class:`ValidationError` when the document is not a descriptor.  Call
    :func:`pyocm.descriptor.validate` for the full schema and identity checks.
    """
    data = parse_document(text, source)
    if not isinstance(data, dict):
        raise ValidationError([Violation("", "a component descriptor must be a YAML/JSON object")])
    return Descriptor.from_dict(data)


def load(path: str | Path) -> Descriptor:
    """Read a descriptor file (YAML or JSON)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise OCMError(f"cannot read {p}: {e.strerror}") from None
    return loads(data, str(p))


def dump_data(data: Any, fmt: Format = "yaml") -> str:
    """Serialise plain data as YAML (keys sorted, as the Go tools write) or indented JSON."""
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return str(
        yaml.dump(
            data, Dumper=_Dumper, sort_keys=True, allow_unicode=True, default_flow_style=False
        )
    )


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
