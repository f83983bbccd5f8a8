"""Validation of component descriptors: the JSON schema and the identity rules.

    >>> from pyocm.descriptor import loads, validate
    >>> from pyocm.errors import ValidationError
    >>> cd = loads('''
    ... meta: {schemaVersion: v2}
    ... component:
    ...   name: acme.org/app
    ...   version: 1.0.0
    ...   provider: acme
    ...   repositoryContexts: []
    ...   sources: []
    ...   componentReferences: []
    ...   resources:
    ...   - {name: chart, version: 1.0.0, type: helmChart, relation: local, access: {type: none}}
    ...   - {name: chart, version: 1.0.0, type: helmChart, relation: local, access: {type: none}}
    ... ''')
    >>> try:
    ...     validate(cd)
    ... except ValidationError as err:
    ...     print(err.violations[0].path)
    component.resources[1]

Two entry points:

* :func:`validate_document` checks a parsed document (``v2`` or ``ocm.software/v3alpha1``,
  told apart by their top-level keys) against the JSON schema of its version.  It judges the data as
  parsed: an unquoted YAML number where the schema wants a string (``version: 1.10``) is a
  violation, as in the Go tools' raw-document validation, although :func:`pyocm.descriptor.loads`
  reads it as the string ``"1.10"``.
* :func:`validate` checks a :class:`~pyocm.descriptor.model.Descriptor`: the v2 schema on the
  shape :func:`pyocm.descriptor.dumps` would write (for a descriptor read from v3alpha1 too, so
  paths name v2 fields), plus the rules a schema cannot state: unique element identities, no
  ``name`` and only ASCII keys in ``extraIdentity``, unique label names per list, unique
  signature names, a non-empty provider.

Both raise :class:`pyocm.errors.ValidationError` listing every violation with its path
(``component.resources[2].name``).  Both take time linear in the size of the descriptor.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError as SchemaError

from pyocm.descriptor._schema import LABELS_SCHEMA, V2_SCHEMA, V3ALPHA1_SCHEMA, Schema
from pyocm.descriptor.model import Descriptor, Label
from pyocm.errors import ValidationError, Violation

_SCHEMAS: dict[str, Schema] = {
    "v2": V2_SCHEMA,
    "v3alpha1": V3ALPHA1_SCHEMA,
    "labels": LABELS_SCHEMA,
}
_V2_KEYS = {"meta", "component"}
_V3ALPHA1_KEYS = {"apiVersion", "kind", "metadata", "spec"}


def validate_document(data: Any) -> None:
    """Check a parsed document against the JSON schema of its schema version.

    A document with v3alpha1 keys (``apiVersion``, ``kind``, ``metadata``, ``spec``) and none
    of the v2 keys (``meta``, ``component``) is checked as ``ocm.software/v3alpha1``, anything
    else as ``v2``.  Raises :class:`ValidationError` listing every violation.
    """
    keys = set(data) if isinstance(data, Mapping) else set()
    v3 = bool(keys & _V3ALPHA1_KEYS) and not keys & _V2_KEYS
    violations = _schema_violations("v3alpha1" if v3 else "v2", data)
    if violations:
        raise ValidationError(violations)


def validate(descriptor: Descriptor) -> None:
    """Check a descriptor against the v2 schema and the identity rules.

    Raises :class:`ValidationError` listing every violation.  Where an identity rule and
    the schema object to the same field, only the more specific identity rule is reported.
    """
    rules = list(_rule_violations(descriptor))
    ruled = {v.path for v in rules}
    schema = _schema_violations("v2", descriptor.to_dict())
    provider_labels = descriptor.component.provider.labels
    if provider_labels:
        labels = {"labels": [label.to_dict() for label in provider_labels]}
        schema += [
            Violation(f"component.provider.{v.path}", v.message)
            for v in _schema_violations("labels", labels)
        ]
    violations = [v for v in schema if v.path not in ruled] + rules
    if violations:
        raise ValidationError(violations)


# --- schema ------------------------------------------------------------------------------


@functools.cache
def _regex(pattern: str) -> re.Pattern[str]:
    # JSON Schema patterns are ECMA 262 regexes: "$" ends the text and "\d" is ASCII only.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern, re.ASCII)


def _pattern_keyword(
    validator: Any, pattern: str, instance: Any, schema: Schema
) -> Iterator[SchemaError]:
    if validator.is_type(instance, "string") and not _regex(pattern).search(instance):
        yield SchemaError(f"{instance!r} does not match {pattern!r}")


_DATE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)"
    r"(\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])",
    re.ASCII,
)


def _is_date_time(value: object) -> bool:
    """Whether ``value`` is an RFC 3339 date-time (``2025-03-18T11:47:12Z``)."""
    if not isinstance(value, str):
        return True  # the format applies to strings only; "type" judges the rest
    match = _DATE_TIME.fullmatch(value)
    if match is None:
        return False
    try:
        date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


@functools.cache
def _validator(name: str) -> Any:
    formats = FormatChecker(formats=())
    formats.checks("date-time")(_is_date_time)
    cls = validators.extend(Draft202012Validator, {"pattern": _pattern_keyword})
    schema = _SCHEMAS[name]
    return cls(_inline(schema, schema["$defs"]), format_checker=formats)


def _inline(node: Any, defs: Mapping[str, Any]) -> Any:
    """The schema with every local ``$ref`` replaced by its definition.

    Resolving references while validating costs more than half the time; the schemas hold
    no recursive references, so they can be resolved once up front.
    """
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and len(node) == 1:
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline(item, defs) for item in node]
    return node


def _schema_violations(name: str, data: Any) -> list[Violation]:
    found: dict[Violation, None] = {}
    for error in _validator(name).iter_errors(data):
        found.update(dict.fromkeys(_explain(error)))
    return list(found)


def _explain(error: SchemaError) -> Iterator[Violation]:
    where = list(error.absolute_path)
    keyword, expected, instance = error.validator, error.validator_value, error.instance
    if "propertyNames" in error.schema_path:
        # the offending value is a key of the object at ``where``
        yield Violation(_path([*where, instance]), "key " + _message(error))
    elif keyword == "required" and isinstance(instance, Mapping):
        for key in expected:
            if key not in instance:
                yield Violation(_path([*where, key]), "is required")
    elif keyword == "additionalProperties" and isinstance(instance, Mapping):
        allowed = list(error.schema.get("properties", ()))
        for key in instance:
            if key not in allowed:
                yield Violation(
                    _path([*where, key]), f"unknown field (allowed: {', '.join(allowed)})"
                )
    else:
        yield Violation(_path(where), _message(error))


def _message(error: SchemaError) -> str:
    keyword, expected, instance = error.validator, error.validator_value, error.instance
    if keyword == "type":
        kinds = [expected] if isinstance(expected, str) else list(expected)
        message = f"must be {' or '.join(_KINDS.get(k, k) for k in kinds)}, not {_kind(instance)}"
        source = getattr(instance, "yaml_source", None)
        if "string" in kinds and isinstance(source, str):
            message += f" (write it in quotes: {json.dumps(source)})"
        return message
    if keyword == "pattern":
        if instance == "":
            return "must not be empty"
        title = error.schema.get("title", "required")
        return f"{_show(instance)} does not match the {title} pattern {expected}"
    if keyword == "minLength":
        return "must not be empty" if expected == 1 else f"must be at least {expected} characters"
    if keyword == "maxLength":
        return f"must be at most {expected} characters, not {len(instance)}"
    if keyword == "enum":
        return f"must be one of {', '.join(map(_show, expected))}, not {_show(instance)}"
    if keyword == "const":
        return f"must be {_show(expected)}, not {_show(instance)}"
    if keyword == "format":
        return f"{_show(instance)} is not an RFC 3339 date-time"
    return str(error.message)


_KINDS = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "boolean": "a boolean",
    "null": "null",
    "number": "a number",
    "integer": "an integer",
}


def _kind(value: object) -> str:
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


def _show(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)


def _path(parts: Iterable[object]) -> str:
    out = "".join(_step(part) for part in parts)
    return out.removeprefix(".")


def _step(part: object) -> str:
    if isinstance(part, int):
        return f"[{part}]"
    if isinstance(part, str) and _PLAIN_KEY.fullmatch(part):
        return f".{part}"
    return f"[{_show(part)}]"


# --- rules beyond the schema ------------------------------------------------------------------


def _rule_violations(descriptor: Descriptor) -> Iterator[Violation]:
    c = descriptor.component
    if not c.provider.name:
        yield Violation("component.provider", "the provider name must not be empty")
    yield from _label_names("component.labels", c.labels)
    yield from _label_names("component.provider.labels", c.provider.labels)
    for key, kind, elements in (
        ("resources", "resource", c.resources),
        ("sources", "source", c.sources),
        ("componentReferences", "reference", c.references),
    ):
        yield from _elements(f"component.{key}", kind, elements)
    for i, resource in enumerate(c.resources):
        for k, ref in enumerate(resource.src_refs):
            yield from _label_names(f"component.resources[{i}].srcRefs[{k}].labels", ref.labels)
    first: dict[str, int] = {}
    for i, signature in enumerate(descriptor.signatures):
        if not signature.name:
            continue  # the schema reports empty names
        j = first.setdefault(signature.name, i)
        if j != i:
            yield Violation(
                f"signatures[{i}].name",
                f"duplicate signature name {_show(signature.name)} (first at signatures[{j}])",
            )


def _label_names(path: str, labels: Sequence[Label]) -> Iterator[Violation]:
    first: dict[str, int] = {}
    for i, label in enumerate(labels):
        if not label.name:
            continue  # the schema reports empty names
        j = first.setdefault(label.name, i)
        if j != i:
            yield Violation(
                f"{path}[{i}].name",
                f"duplicate label name {_show(label.name)} (first at {path}[{j}])",
            )


def _elements(path: str, kind: str, elements: Sequence[Any]) -> Iterator[Violation]:
    """The per-element identity rules for one element list.

    The identity is ``name`` plus ``extraIdentity``; ``version`` joins it for the elements
    whose name and extra identity alone clash.  Identities must then be unique.
    """
    base = Counter((e.name, frozenset(e.extra_identity.items())) for e in elements)
    first: dict[frozenset[tuple[str, str]], int] = {}
    for i, element in enumerate(elements):
        here = f"{path}[{i}]"
        yield from _label_names(f"{here}.labels", element.labels)
        for key in element.extra_identity:
            if key == "name":
                yield Violation(
                    f"{here}.extraIdentity.name",
                    "name is reserved: the element's own name is always part of its identity",
                )
            elif not key.isascii():
                yield Violation(
                    f"{here}.extraIdentity{_step(key)}",
                    f"key {_show(key)} contains non-ASCII characters",
                )
        identity = {**element.extra_identity, "name": element.name}
        if base[element.name, frozenset(element.extra_identity.items())] > 1:
            identity["version"] = element.version
        j = first.setdefault(frozenset(identity.items()), i)
        if j != i:
            shown = json.dumps(dict(sorted(identity.items())), ensure_ascii=False)
            yield Violation(here, f"duplicate {kind} identity {shown} (first at {path}[{j}])")
