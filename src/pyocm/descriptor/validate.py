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

The schema is checked in two passes: a check compiled once from the schema into plain Python
closures answers only "valid or not" (about 20 times faster than ``jsonschema``), and only a
document it finds invalid goes through ``jsonschema``, which names every violation.  The
compiled check knows exactly the keywords the schemas use; a schema with any other keyword is
left to ``jsonschema`` alone.
"""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from pyocm.descriptor._schema import LABELS_SCHEMA, V2_SCHEMA, V3ALPHA1_SCHEMA, Schema
from pyocm.descriptor.model import Descriptor, Label
from pyocm.errors import ValidationError, Violation

_SCHEMAS: dict[str, Schema] = {
    "v2": V2_SCHEMA,
    "v3alpha1": V3ALPHA1_SCHEMA,
    "labels": LABELS_SCHEMA,
}
if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError as SchemaError

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
    """The full ``jsonschema`` validator (imported only when a document needs reporting)."""
    from jsonschema import Draft202012Validator, FormatChecker, validators
    from jsonschema.exceptions import ValidationError as SchemaError

    def pattern_keyword(
        validator: Any, pattern: str, instance: Any, schema: Schema
    ) -> Iterator[SchemaError]:
        if validator.is_type(instance, "string") and not _regex(pattern).search(instance):
            yield SchemaError(f"{instance!r} does not match {pattern!r}")

    formats = FormatChecker(formats=())
    formats.checks("date-time")(_is_date_time)
    cls = validators.extend(Draft202012Validator, {"pattern": pattern_keyword})
    return cls(_inlined(name), format_checker=formats)


@functools.cache
def _inlined(name: str) -> Any:
    schema = _SCHEMAS[name]
    return _inline(schema, schema["$defs"])


Check = Callable[[Any], bool]


@functools.cache
def _fast_check(name: str) -> Check | None:
    """The compiled validity check of schema ``name``, or ``None`` when it uses a keyword the
    compiler does not know."""
    try:
        return _compile(_inlined(name))
    except _Unsupported:
        return None


class _Unsupported(Exception):
    """A schema keyword :func:`_compile` does not implement."""


_ANNOTATIONS = frozenset({"title", "description", "$schema", "$id", "$comment", "examples"})


def _compile(schema: Any) -> Check:
    """A function telling whether an instance is valid under ``schema`` (Draft 2020-12, for
    the keywords below, with the ECMA pattern and date-time rules of the full validator)."""
    if schema is True or schema == {}:
        return _always
    if schema is False:
        return _never
    if not isinstance(schema, Mapping):
        raise _Unsupported(repr(schema))
    checks: list[Check] = []
    for keyword, value in schema.items():
        if keyword in _ANNOTATIONS:
            continue
        maker = _KEYWORDS.get(keyword)
        if maker is None:
            raise _Unsupported(keyword)
        checks.append(maker(value, schema))
    if len(checks) == 1:
        return checks[0]
    ordered = tuple(checks)

    def check_all(instance: Any) -> bool:
        for check in ordered:  # noqa: SIM110 - faster than all() over a generator
            if not check(instance):
                return False
        return True

    return check_all


def _always(instance: Any) -> bool:
    return True


def _never(instance: Any) -> bool:
    return False


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


_TYPE_TESTS: dict[str, Check] = {
    "object": lambda v: isinstance(v, Mapping),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": _is_integer,
}


def _type(value: Any, schema: Mapping[str, Any]) -> Check:
    kinds = [value] if isinstance(value, str) else list(value)
    if not all(kind in _TYPE_TESTS for kind in kinds):
        raise _Unsupported(f"type {value!r}")
    if kinds == ["string"]:
        return lambda v: isinstance(v, str)
    if kinds == ["object"]:
        return lambda v: isinstance(v, Mapping)
    tests = tuple(_TYPE_TESTS[kind] for kind in kinds)
    return lambda v: any(test(v) for test in tests)


def _properties(value: Mapping[str, Any], schema: Mapping[str, Any]) -> Check:
    compiled = tuple((key, _compile(sub)) for key, sub in value.items())

    def check(instance: Any) -> bool:
        if not isinstance(instance, Mapping):
            return True
        for key, sub in compiled:  # noqa: SIM110 - faster than all() over a generator
            if key in instance and not sub(instance[key]):
                return False
        return True

    return check


def _additional_properties(value: Any, schema: Mapping[str, Any]) -> Check:
    if "patternProperties" in schema:
        raise _Unsupported("patternProperties")
    known = frozenset(schema.get("properties", ()))
    sub = _compile(value)

    def check(instance: Any) -> bool:
        if not isinstance(instance, Mapping):
            return True
        for key, item in instance.items():  # noqa: SIM110 - faster than all() over a generator
            if key not in known and not sub(item):
                return False
        return True

    return check


def _required(value: Sequence[str], schema: Mapping[str, Any]) -> Check:
    keys = tuple(value)
    return lambda v: not isinstance(v, Mapping) or all(key in v for key in keys)


def _items(value: Any, schema: Mapping[str, Any]) -> Check:
    if "prefixItems" in schema or not isinstance(value, Mapping | bool):
        raise _Unsupported("items")
    sub = _compile(value)

    def check(instance: Any) -> bool:
        if not isinstance(instance, list):
            return True
        for item in instance:  # noqa: SIM110 - faster than all() over a generator
            if not sub(item):
                return False
        return True

    return check


def _pattern(value: str, schema: Mapping[str, Any]) -> Check:
    search = _regex(value).search
    return lambda v: not isinstance(v, str) or search(v) is not None


def _min_length(value: int, schema: Mapping[str, Any]) -> Check:
    return lambda v: not isinstance(v, str) or len(v) >= value


def _max_length(value: int, schema: Mapping[str, Any]) -> Check:
    return lambda v: not isinstance(v, str) or len(v) <= value


def _format(value: str, schema: Mapping[str, Any]) -> Check:
    return _is_date_time if value == "date-time" else _always  # as the full validator's checker


def _json_equal(a: Any, b: Any) -> bool:
    """JSON Schema equality: booleans are not numbers, ``1 == 1.0``, containers deeply."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list | Mapping) or isinstance(b, list | Mapping):
        return False
    return bool(a == b)


def _enum(value: Sequence[Any], schema: Mapping[str, Any]) -> Check:
    options = tuple(value)
    if all(isinstance(option, str) for option in options):
        texts = frozenset(options)
        return lambda v: isinstance(v, str) and v in texts
    return lambda v: any(_json_equal(v, option) for option in options)


def _const(value: Any, schema: Mapping[str, Any]) -> Check:
    return lambda v: _json_equal(v, value)


def _property_names(value: Any, schema: Mapping[str, Any]) -> Check:
    sub = _compile(value)
    return lambda v: not isinstance(v, Mapping) or all(sub(key) for key in v)


_KEYWORDS: dict[str, Callable[[Any, Mapping[str, Any]], Check]] = {
    "type": _type,
    "properties": _properties,
    "additionalProperties": _additional_properties,
    "required": _required,
    "items": _items,
    "pattern": _pattern,
    "minLength": _min_length,
    "maxLength": _max_length,
    "format": _format,
    "enum": _enum,
    "const": _const,
    "propertyNames": _property_names,
}


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
    fast = _fast_check(name)
    if fast is not None and fast(data):
        return []
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
