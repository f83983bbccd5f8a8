"""The component constructor file (``component-constructor.yaml``) as typed specs.

    >>> from pyocm.constructor.spec import loads_constructor
    >>> spec = loads_constructor('''
    ... name: github.com/acme.org/helloworld
    ... version: ${VERSION}
    ... provider: {name: acme.org}
    ... resources:
    ... - name: mylocalfile
    ...   type: blob
    ...   input: {type: file, path: ./my-local-resource.txt}
    ... ''', env={"VERSION": "1.0.0"})
    >>> c = spec.components[0]
    >>> c.name, c.version, c.resources[0].input.type
    ('github.com/acme.org/helloworld', '1.0.0', 'file')

The file is expanded with environment variables first (:mod:`pyocm.constructor.substitution`),
then parsed as the Go CLI parses it (:func:`pyocm.descriptor.parse_document`: YAML 1.1 as
``sigs.k8s.io/yaml`` reads it, first document only) and checked against the rules of the Go
v2 CLI's constructor schema (``bindings/go/constructor/spec/v1/resources``): either a list
under ``components`` or a single component at the top level; names, versions and types with
the schema's patterns; exactly one of ``access`` or ``input`` per resource and source; a
``version`` on every resource given by ``access``.  Every problem is reported at once, each
with its path in the file (``components[0].resources[1].input.path``), in a
:class:`pyocm.errors.ValidationError`.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyocm.constructor._fields import Fields, kind, plain
from pyocm.constructor.inputs import InputSpec, parse_input
from pyocm.constructor.substitution import expand
from pyocm.descriptor.codec import parse_document
from pyocm.descriptor.model import AccessSpec, Digest, Label, Provider, SourceRef
from pyocm.errors import OCMError, ValidationError, Violation

log = logging.getLogger("pyocm.constructor")

COMPONENT_NAME = re.compile(
    r"[a-z][-a-z0-9]*(\.[a-z][-a-z0-9]*)*\.[a-z]{2,}(/[a-z][-a-z0-9_]*(\.[a-z][-a-z0-9_]*)*)+",
    re.ASCII,
)
_NUMBER = r"(0|[1-9][0-9]*)"
_PRERELEASE_PART = r"(0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)"
RELAXED_SEMVER = re.compile(
    rf"v?{_NUMBER}(\.{_NUMBER})?(\.{_NUMBER})?"
    rf"(-{_PRERELEASE_PART}(\.{_PRERELEASE_PART})*)?"
    r"(\+[0-9a-zA-Z-]+(\.[0-9a-zA-Z-]+)*)?",
    re.ASCII,
)
IDENTITY_KEY = re.compile(r"[a-z0-9]([-_+a-z0-9]*[a-z0-9])?", re.ASCII)
OCM_TYPE = re.compile(r"[a-zA-Z0-9].*", re.ASCII | re.DOTALL)
_LABEL_VERSION = re.compile(r"v[0-9]+", re.ASCII)
_MERGE_ALGORITHM = re.compile(r"[a-z][a-z0-9/_-]+", re.ASCII)

_SEMVER_HINT = "a version (relaxed semver: [v]MAJOR[.MINOR[.PATCH]][-PRE][+BUILD])"
_KEY_HINT = "an identity attribute name (lower case letters, digits, '-', '_', '+')"
_COMPONENT_KEYS = frozenset(
    {
        *("name", "version", "creationTime", "provider", "labels", "resources", "sources"),
        "componentReferences",
    }
)
_RESOURCE_KEYS = frozenset(
    {
        *("name", "version", "extraIdentity", "labels", "srcRefs", "type", "relation"),
        *("options", "digest", "access", "input"),
    }
)
_SOURCE_KEYS = frozenset(("name", "version", "extraIdentity", "labels", "type", "access", "input"))
_REFERENCE_KEYS = frozenset(
    ("name", "componentName", "version", "extraIdentity", "labels", "digest")
)
OWNERSHIP_POLICIES = ("Never", "Always")


@dataclass
class ResourceSpec:
    """A resource to add: given by ``access`` (stored by reference) or by ``input`` (by value).

    ``version`` and ``relation`` are ``None`` when the file leaves them to their defaults (the
    component version; ``local`` for inputs, ``external`` for accesses).  ``where`` is the
    resource's path in the constructor file.
    """

    name: str
    type: str
    version: str | None = None
    relation: str | None = None
    extra_identity: dict[str, str] = field(default_factory=dict)
    labels: list[Label] = field(default_factory=list)
    src_refs: list[SourceRef] = field(default_factory=list)
    access: AccessSpec | None = None
    input: InputSpec | None = None
    digest: Digest | None = None
    ownership_policy: str | None = None
    where: str = ""


@dataclass
class SourceSpec:
    """A source to add, given by ``access`` or by ``input``; sources carry no digest."""

    name: str
    type: str
    version: str | None = None
    extra_identity: dict[str, str] = field(default_factory=dict)
    labels: list[Label] = field(default_factory=list)
    access: AccessSpec | None = None
    input: InputSpec | None = None
    where: str = ""


@dataclass
class ReferenceSpec:
    """A reference to another component version; ``digest``, if given, must match."""

    name: str
    component_name: str
    version: str
    extra_identity: dict[str, str] = field(default_factory=dict)
    labels: list[Label] = field(default_factory=list)
    digest: Digest | None = None
    where: str = ""


@dataclass
class ComponentSpec:
    """One component version to construct."""

    name: str
    version: str
    provider: Provider
    creation_time: str | None = None
    labels: list[Label] = field(default_factory=list)
    resources: list[ResourceSpec] = field(default_factory=list)
    sources: list[SourceSpec] = field(default_factory=list)
    references: list[ReferenceSpec] = field(default_factory=list)
    where: str = ""

    @property
    def identity(self) -> str:
        """``name=<name>,version=<version>``, as the Go tools print a component identity."""
        return f"name={self.name},version={self.version}"


@dataclass
class ConstructorSpec:
    """A parsed constructor file: the component versions it defines, in file order."""

    components: list[ComponentSpec]
    source: str = "component constructor"


def load_constructor(
    path: str | os.PathLike[str], env: Mapping[str, str] | None = None
) -> ConstructorSpec:
    """Read, expand (with ``env``, default ``os.environ``) and validate a constructor file."""
    p = Path(path)
    if p.is_dir():
        raise OCMError(f"path {str(p)!r} is a directory but must point to a component constructor")
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise OCMError(f"component constructor {str(p)!r} does not exist") from None
    except OSError as e:
        raise OCMError(f"cannot read component constructor {str(p)!r}: {e.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise OCMError(f"{p}: not UTF-8 text ({e.reason} at byte {e.start})") from None
    return loads_constructor(text, env=env, source=str(p))


def loads_constructor(
    text: str, env: Mapping[str, str] | None = None, source: str = "component constructor"
) -> ConstructorSpec:
    """Expand ``text`` with ``env`` (default ``os.environ``), parse and validate it."""
    expanded = expand(text, os.environ if env is None else env)
    return parse_constructor(parse_document(expanded, source), source)


def parse_constructor(data: object, source: str = "component constructor") -> ConstructorSpec:
    """Validate parsed constructor data (the YAML/JSON document) into a :class:`ConstructorSpec`.

    Raises :class:`ValidationError` listing every violation with its path.
    """
    violations: list[Violation] = []
    components: list[ComponentSpec] = []
    if isinstance(data, Mapping) and "components" in data:
        top = Fields(data, "", violations)
        entries = top.items("components", required=True)
        if not entries and not violations:
            violations.append(Violation("components", "must list at least one component"))
        components = [_component(Fields(item, path, violations)) for path, item in entries]
    elif isinstance(data, Mapping):
        components = [_component(Fields(data, "", violations))]
    else:
        violations.append(Violation("", f"must be an object, not {kind(data)}"))
    _check_unique_components(components, violations)
    if violations:
        raise ValidationError(violations, what=f"component constructor {source}")
    return ConstructorSpec(components, source)


def _warn_unknown(f: Fields, known: frozenset[str]) -> None:
    for key in f.data:
        if key not in known:
            log.warning("%s: ignoring unknown field %r", f.path or "constructor", key)


def _reject_unknown(f: Fields, known: frozenset[str]) -> None:
    for key in f.data:
        if key not in known:
            f.fail(str(key), f"unknown field (allowed: {', '.join(sorted(known))})")


def _component(f: Fields) -> ComponentSpec:
    _reject_unknown(f, _COMPONENT_KEYS)
    name = f.string(
        "name", required=True, pattern=COMPONENT_NAME, expected="a component name (acme.org/app)"
    )
    if name is not None and len(name) > 255:
        f.fail("name", "must not be longer than 255 characters")
    version = f.string("version", required=True, pattern=RELAXED_SEMVER, expected=_SEMVER_HINT)
    creation_time = f.string("creationTime")
    return ComponentSpec(
        name=name or "",
        version=version or "",
        provider=_provider(f),
        creation_time=creation_time,
        labels=_labels(f, "labels"),
        resources=[_resource(Fields(x, p, f.violations)) for p, x in f.items("resources")],
        sources=[_source(Fields(x, p, f.violations)) for p, x in f.items("sources")],
        references=[
            _reference(Fields(x, p, f.violations)) for p, x in f.items("componentReferences")
        ],
        where=f.path,
    )


def _provider(f: Fields) -> Provider:
    raw = f.raw("provider")
    if raw is None:
        f.fail("provider", "is required")
        return Provider("")
    p = Fields(raw, f.at("provider"), f.violations)
    name = p.string("name", required=True, non_empty=True)
    return Provider(name or "", _labels(p, "labels"))


def _labels(f: Fields, key: str) -> list[Label]:
    return [_label(Fields(item, path, f.violations)) for path, item in f.items(key)]


def _label(f: Fields) -> Label:
    name = f.string("name", required=True, non_empty=True) or ""
    value = f.raw("value")
    if not f.has("value"):
        f.fail("value", "is required")
    elif not ((isinstance(value, str) and value) or isinstance(value, Mapping)):
        f.fail("value", f"must be a non-empty string or an object, not {kind(value)}")
    version = f.string("version", pattern=_LABEL_VERSION, expected="a label version (v1, v2, ...)")
    signing = f.boolean("signing")
    merge = _merge(f)
    _warn_unknown(f, frozenset(("name", "value", "version", "signing", "merge")))
    return Label(name, plain(value), signing, version, merge)


def _merge(f: Fields) -> dict[str, Any] | None:
    raw = f.raw("merge")
    if raw is None:
        return None
    m = Fields(raw, f.at("merge"), f.violations)
    algorithm = m.raw("algorithm")
    if isinstance(algorithm, str) and not _MERGE_ALGORITHM.fullmatch(algorithm):
        m.fail("algorithm", f"{algorithm!r} is not a merge algorithm name")
    _reject_unknown(m, frozenset(("algorithm", "config")))
    return {k: plain(v) for k, v in m.data.items()}


def _element_name(f: Fields) -> str:
    name = f.string("name", required=True, pattern=IDENTITY_KEY, expected=_KEY_HINT)
    if name is not None and len(name) < 2:
        f.fail("name", "must be at least 2 characters long")
    return name or ""


def _extra_identity(f: Fields) -> dict[str, str]:
    return f.string_map("extraIdentity", key_pattern=IDENTITY_KEY, expected=_KEY_HINT)


def _type(f: Fields) -> str:
    return f.string("type", required=True, pattern=OCM_TYPE, expected="a type name") or ""


def _version(f: Fields, *, required: bool = False) -> str | None:
    return f.string("version", required=required, pattern=RELAXED_SEMVER, expected=_SEMVER_HINT)


def _digest(f: Fields) -> Digest | None:
    raw = f.raw("digest")
    if raw is None:
        return None
    d = Fields(raw, f.at("digest"), f.violations)
    hash_algorithm = d.string("hashAlgorithm", required=True, non_empty=True)
    normalisation = d.string("normalisationAlgorithm", required=True, non_empty=True)
    value = d.string("value", required=True, non_empty=True)
    return Digest(hash_algorithm or "", normalisation or "", value or "")


def _access(f: Fields) -> AccessSpec | None:
    raw = f.raw("access")
    if raw is None:
        return None
    a = Fields(raw, f.at("access"), f.violations)
    access_type = a.string("type", required=True, non_empty=True)
    properties = {str(k): plain(v) for k, v in a.data.items() if k != "type"}
    return AccessSpec(access_type or "", properties)


def _input(f: Fields) -> InputSpec | None:
    raw = f.raw("input")
    if raw is None:
        return None
    return parse_input(Fields(raw, f.at("input"), f.violations))


def _access_or_input(f: Fields) -> tuple[AccessSpec | None, InputSpec | None]:
    has_access, has_input = f.raw("access") is not None, f.raw("input") is not None
    if has_access == has_input:
        which = "both are given" if has_access else "neither is given"
        f.fail("", f"exactly one of 'access' or 'input' must be set, but {which}")
    return _access(f), _input(f)


def _resource(f: Fields) -> ResourceSpec:
    _warn_unknown(f, _RESOURCE_KEYS)
    name = _element_name(f)
    access, input_spec = _access_or_input(f)
    version = _version(f, required=access is not None and input_spec is None)
    relation = f.string("relation")
    if relation is not None:
        allowed = ("local",) if input_spec is not None else ("local", "external")
        if relation not in allowed:
            f.fail("relation", f"must be {' or '.join(allowed)}, not {relation!r}")
    return ResourceSpec(
        name=name,
        type=_type(f),
        version=version,
        relation=relation,
        extra_identity=_extra_identity(f),
        labels=_labels(f, "labels"),
        src_refs=[_src_ref(Fields(x, p, f.violations)) for p, x in f.items("srcRefs")],
        access=access,
        input=input_spec,
        digest=_digest(f),
        ownership_policy=_ownership_policy(f),
        where=f.path,
    )


def _ownership_policy(f: Fields) -> str | None:
    raw = f.raw("options")
    if raw is None:
        return None
    o = Fields(raw, f.at("options"), f.violations)
    policy = o.string("ownershipPolicy")
    if policy is not None and policy not in OWNERSHIP_POLICIES:
        o.fail("ownershipPolicy", f"must be {' or '.join(OWNERSHIP_POLICIES)}, not {policy!r}")
    _reject_unknown(o, frozenset(("ownershipPolicy",)))
    return policy


def _src_ref(f: Fields) -> SourceRef:
    _reject_unknown(f, frozenset(("identitySelector", "labels")))
    selector = f.string_map("identitySelector", key_pattern=IDENTITY_KEY, expected=_KEY_HINT)
    return SourceRef(selector, _labels(f, "labels"))


def _source(f: Fields) -> SourceSpec:
    _warn_unknown(f, _SOURCE_KEYS)
    name = _element_name(f)
    access, input_spec = _access_or_input(f)
    return SourceSpec(
        name=name,
        type=_type(f),
        version=_version(f),
        extra_identity=_extra_identity(f),
        labels=_labels(f, "labels"),
        access=access,
        input=input_spec,
        where=f.path,
    )


def _reference(f: Fields) -> ReferenceSpec:
    _reject_unknown(f, _REFERENCE_KEYS)
    name = _element_name(f)
    component_name = f.string(
        "componentName",
        required=True,
        pattern=COMPONENT_NAME,
        expected="a component name (acme.org/app)",
    )
    return ReferenceSpec(
        name=name,
        component_name=component_name or "",
        version=_version(f, required=True) or "",
        extra_identity=_extra_identity(f),
        labels=_labels(f, "labels"),
        digest=_digest(f),
        where=f.path,
    )


def _check_unique_components(components: list[ComponentSpec], out: list[Violation]) -> None:
    seen: dict[tuple[str, str], str] = {}
    for c in components:
        key = (c.name, c.version)
        if c.name and c.version and key in seen:
            out.append(
                Violation(
                    c.where or "components",
                    f"component version {c.name}:{c.version} is defined twice "
                    f"(first at {seen[key] or 'the top level'})",
                )
            )
        seen.setdefault(key, c.where)


__all__ = [
    "ComponentSpec",
    "ConstructorSpec",
    "ReferenceSpec",
    "ResourceSpec",
    "SourceSpec",
    "load_constructor",
    "loads_constructor",
    "parse_constructor",
]
