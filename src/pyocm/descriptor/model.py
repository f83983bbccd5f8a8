"""The component descriptor model (schema ``v2``), as typed dataclasses.

    >>> from pyocm.descriptor import Component, Descriptor, Provider, Resource, AccessSpec
    >>> cd = Descriptor(Component(name="acme.org/app", version="1.0.0",
    ...                           provider=Provider("acme")))
    >>> cd.component.resources.append(Resource(
    ...     name="readme", version="1.0.0", type="plainText", relation="local",
    ...     access=AccessSpec("none")))
    >>> cd.to_dict()["component"]["resources"][0]["access"]
    {'type': 'none'}

Every class converts from and to the JSON shape of the specification (``from_dict`` and
``to_dict``).  Fields the model does not know are kept in ``extra`` and written back, so a
load/dump round trip neither loses nor invents data.  Conversion does not validate; see
:mod:`pyocm.descriptor.validate`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pyocm.errors import ValidationError, Violation

JSONValue = Any
"""Any value that JSON can hold (label values, access-spec properties)."""

SCHEMA_V2 = "v2"

T = TypeVar("T")


class _Reader:
    """Reads typed fields out of a JSON object, collecting violations with their paths."""

    def __init__(self, data: object, path: str, violations: list[Violation]):
        self.path = path
        self.violations = violations
        if type(data) is dict or isinstance(data, Mapping):  # a dict without the ABC check
            self.data: Mapping[str, Any] = data
        else:
            self.violations.append(Violation(path, f"must be an object, not {_kind(data)}"))
            self.data = {}
        self.used: set[str] = set()

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str) -> Any:
        self.used.add(key)
        return self.data.get(key)

    def has(self, key: str) -> bool:
        return key in self.data

    def string(self, key: str, *, required: bool = True) -> str:
        self.used.add(key)
        value = self.data.get(key)
        if type(value) is str:
            return value
        if value is None:
            if required:
                self.violations.append(Violation(self.at(key), "is required"))
            return ""
        return _as_string(value, self.at(key), self.violations)

    def optional_string(self, key: str) -> str | None:
        return None if self.get(key) is None else self.string(key)

    def obj(self, key: str) -> dict[str, Any] | None:
        value = self.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.violations.append(
                Violation(self.at(key), f"must be an object, not {_kind(value)}")
            )
            return None
        return dict(value)

    def items(self, key: str) -> list[tuple[str, Any]]:
        value = self.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.violations.append(Violation(self.at(key), f"must be a list, not {_kind(value)}"))
            return []
        return [(f"{self.at(key)}[{i}]", item) for i, item in enumerate(value)]

    def string_map(self, key: str) -> dict[str, str]:
        value = self.obj(key)
        if not value:
            return {}
        path = self.at(key)
        return {
            _as_string(k, path, self.violations): _as_string(v, f"{path}.{k}", self.violations)
            for k, v in value.items()
        }

    def rest(self) -> dict[str, Any]:
        if self.used.issuperset(self.data):
            return {}
        return {k: v for k, v in self.data.items() if k not in self.used}


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


def _as_string(value: object, path: str, violations: list[Violation]) -> str:
    if type(value) is str:
        return value
    source = getattr(value, "yaml_source", None)
    if isinstance(source, str):
        # An unquoted YAML number in a string field (or a number used as a map key): keep
        # the text as written (``1.10`` stays "1.10", where Go would make it "1.1").
        return source
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return json.dumps(value)
    violations.append(Violation(path, f"must be a string, not {_kind(value)}"))
    return ""


def _labels(reader: _Reader, key: str) -> list[Label]:
    return [Label.read(_Reader(item, p, reader.violations)) for p, item in reader.items(key)]


def _put_labels(out: dict[str, Any], labels: list[Label]) -> None:
    if labels:
        out["labels"] = [label.to_dict() for label in labels]


@dataclass
class Digest:
    """A digest spec: hash algorithm, normalisation (or artifact digest) algorithm, hex value."""

    hash_algorithm: str
    normalisation_algorithm: str
    value: str

    @classmethod
    def read(cls, r: _Reader) -> Digest:
        return cls(r.string("hashAlgorithm"), r.string("normalisationAlgorithm"), r.string("value"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Digest:
        """Build from the JSON shape; raises :class:`ValidationError` on a malformed spec."""
        return _build(cls.read, data, "digest")

    def to_dict(self) -> dict[str, Any]:
        return {
            "hashAlgorithm": self.hash_algorithm,
            "normalisationAlgorithm": self.normalisation_algorithm,
            "value": self.value,
        }


@dataclass
class Label:
    """A label; only labels with ``signing: true`` are covered by signatures."""

    name: str
    value: JSONValue
    signing: bool = False
    version: str | None = None
    merge: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, r: _Reader) -> Label:
        name = r.string("name")
        value = r.get("value")
        signing = r.get("signing")
        if signing is not None and not isinstance(signing, bool):
            r.violations.append(Violation(r.at("signing"), "must be a boolean"))
        version = r.optional_string("version")
        merge = r.obj("merge")
        return cls(name, value, signing is True, version, merge, r.rest())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "value": self.value}
        if self.version is not None:
            out["version"] = self.version
        if self.signing:
            out["signing"] = True
        if self.merge is not None:
            out["merge"] = self.merge
        out.update(self.extra)
        return out


@dataclass
class Provider:
    """The provider of a component: a name and optional labels."""

    name: str
    labels: list[Label] = field(default_factory=list)

    @classmethod
    def read(cls, value: object, path: str, violations: list[Violation]) -> Provider:
        # The v2 schema stores the provider as a string; a string holding a JSON
        # object carries labels.  Objects (v3alpha1 style) are accepted too.
        if isinstance(value, str) and value.startswith("{"):
            try:
                parsed = json.loads(value)
            except ValueError:
                return cls(value)
            value = parsed
        if isinstance(value, Mapping):
            r = _Reader(value, path, violations)
            return cls(r.string("name"), _labels(r, "labels"))
        return cls(_as_string(value, path, violations) if value is not None else "")

    def to_v2(self) -> str:
        """The v2 string form: the plain name, or a JSON object when labels exist.

        A name that itself starts with ``{`` is written as a JSON object too, so that
        reading it back does not mistake the name for an encoded provider.
        """
        if not self.labels and not self.name.startswith("{"):
            return self.name
        doc: dict[str, Any] = {"name": self.name}
        if self.labels:
            doc["labels"] = [label.to_dict() for label in self.labels]
        return json.dumps(doc, separators=(",", ":"), ensure_ascii=False)


@dataclass
class AccessSpec:
    """A typed access specification; everything but ``type`` is kept in ``properties``."""

    type: str
    properties: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, value: object, path: str, violations: list[Violation]) -> AccessSpec | None:
        if value is None:
            return None
        r = _Reader(value, path, violations)
        return cls(r.string("type"), r.rest())

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, **self.properties}


@dataclass
class SourceRef:
    """A resource's pointer to the source it was built from."""

    identity_selector: dict[str, str] = field(default_factory=dict)
    labels: list[Label] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, r: _Reader) -> SourceRef:
        return cls(r.string_map("identitySelector"), _labels(r, "labels"), r.rest())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.identity_selector:
            out["identitySelector"] = dict(self.identity_selector)
        _put_labels(out, self.labels)
        out.update(self.extra)
        return out


@dataclass
class _Element:
    """Fields shared by resources, sources and references: the element identity."""

    name: str
    version: str
    extra_identity: dict[str, str] = field(default_factory=dict, kw_only=True)
    labels: list[Label] = field(default_factory=list, kw_only=True)
    extra: dict[str, Any] = field(default_factory=dict, kw_only=True)

    def identity(self) -> dict[str, str]:
        """Name plus extra identity: the element's identity without the version."""
        return {**self.extra_identity, "name": self.name}

    def _meta(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "version": self.version}
        if self.extra_identity:
            out["extraIdentity"] = dict(self.extra_identity)
        _put_labels(out, self.labels)
        return out


@dataclass
class Resource(_Element):
    """A delivery artifact of a component version."""

    type: str
    relation: str = "local"
    access: AccessSpec | None = None
    digest: Digest | None = None
    src_refs: list[SourceRef] = field(default_factory=list, kw_only=True)

    @classmethod
    def read(cls, r: _Reader) -> Resource:
        src_key = "srcRefs" if r.has("srcRefs") or not r.has("srcRef") else "srcRef"
        digest = r.get("digest")
        return cls(
            name=r.string("name"),
            version=r.string("version"),
            extra_identity=r.string_map("extraIdentity"),
            type=r.string("type"),
            relation=r.string("relation", required=False),
            labels=_labels(r, "labels"),
            src_refs=[SourceRef.read(_Reader(x, p, r.violations)) for p, x in r.items(src_key)],
            access=AccessSpec.read(r.get("access"), r.at("access"), r.violations),
            digest=None
            if digest is None
            else Digest.read(_Reader(digest, r.at("digest"), r.violations)),
            extra=r.rest(),
        )

    def to_dict(self) -> dict[str, Any]:
        out = self._meta()
        out["type"] = self.type
        out["relation"] = self.relation
        if self.src_refs:
            out["srcRefs"] = [ref.to_dict() for ref in self.src_refs]
        out["access"] = None if self.access is None else self.access.to_dict()
        if self.digest is not None:
            out["digest"] = self.digest.to_dict()
        out.update(self.extra)
        return out


@dataclass
class Source(_Element):
    """The source (code, build input) a component version was made from."""

    type: str
    access: AccessSpec | None = None

    @classmethod
    def read(cls, r: _Reader) -> Source:
        return cls(
            name=r.string("name"),
            version=r.string("version"),
            extra_identity=r.string_map("extraIdentity"),
            type=r.string("type"),
            labels=_labels(r, "labels"),
            access=AccessSpec.read(r.get("access"), r.at("access"), r.violations),
            extra=r.rest(),
        )

    def to_dict(self) -> dict[str, Any]:
        out = self._meta()
        out["type"] = self.type
        out["access"] = None if self.access is None else self.access.to_dict()
        out.update(self.extra)
        return out


@dataclass
class Reference(_Element):
    """A reference to another component version (``componentReferences``)."""

    component_name: str
    digest: Digest | None = None

    @classmethod
    def read(cls, r: _Reader) -> Reference:
        digest = r.get("digest")
        return cls(
            name=r.string("name"),
            version=r.string("version"),
            extra_identity=r.string_map("extraIdentity"),
            component_name=r.string("componentName"),
            labels=_labels(r, "labels"),
            digest=None
            if digest is None
            else Digest.read(_Reader(digest, r.at("digest"), r.violations)),
            extra=r.rest(),
        )

    def to_dict(self) -> dict[str, Any]:
        out = self._meta()
        out["componentName"] = self.component_name
        if self.digest is not None:
            out["digest"] = self.digest.to_dict()
        out.update(self.extra)
        return out


@dataclass
class SignatureSpec:
    """The signature value itself: algorithm, encoded value, media type, optional issuer."""

    algorithm: str
    value: str
    media_type: str
    issuer: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, r: _Reader) -> SignatureSpec:
        return cls(
            r.string("algorithm"),
            r.string("value"),
            r.string("mediaType"),
            r.optional_string("issuer"),
            r.rest(),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "algorithm": self.algorithm,
            "value": self.value,
            "mediaType": self.media_type,
        }
        if self.issuer is not None:
            out["issuer"] = self.issuer
        out.update(self.extra)
        return out


@dataclass
class Signature:
    """A named signature over the normalised descriptor's digest."""

    name: str
    digest: Digest
    signature: SignatureSpec
    timestamp: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def read(cls, r: _Reader) -> Signature:
        name = r.string("name")
        digest = Digest.read(_Reader(r.get("digest"), r.at("digest"), r.violations))
        spec = SignatureSpec.read(_Reader(r.get("signature"), r.at("signature"), r.violations))
        return cls(name, digest, spec, r.obj("timestamp"), r.rest())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "digest": self.digest.to_dict(),
            "signature": self.signature.to_dict(),
        }
        if self.timestamp is not None:
            out["timestamp"] = self.timestamp
        out.update(self.extra)
        return out


@dataclass
class Component:
    """The component part of a descriptor: identity, provider and the element lists."""

    name: str
    version: str
    provider: Provider
    creation_time: str | None = None
    labels: list[Label] = field(default_factory=list)
    repository_contexts: list[dict[str, Any]] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def resource(self, **identity: str) -> Resource:
        """The one resource matching ``identity`` (``name`` plus any extra identity, ``version``).

        Raises :class:`pyocm.errors.NotFound` when none matches and
        :class:`ValueError` when several do.
        """
        from pyocm.descriptor.identity import select_one

        return select_one(self.resources, identity, "resource")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "version": self.version}
        if self.creation_time is not None:
            out["creationTime"] = self.creation_time
        out["provider"] = self.provider.to_v2()
        _put_labels(out, self.labels)
        out["repositoryContexts"] = [dict(c) for c in self.repository_contexts]
        out["resources"] = [r.to_dict() for r in self.resources]
        out["sources"] = [s.to_dict() for s in self.sources]
        out["componentReferences"] = [r.to_dict() for r in self.references]
        out.update(self.extra)
        return out


@dataclass
class Descriptor:
    """A component descriptor: the component, its signatures and (legacy) nested digests.

    ``schema_version`` records the schema the descriptor was read from: ``v2``, or the
    v3alpha1 ``apiVersion`` as spelled in the document (``ocm.software/v3alpha1``, or the
    older ``ocm.gardener.cloud/v3alpha1``); the v1 normalisation depends on it.  Writing
    always produces schema ``v2``.
    """

    component: Component
    signatures: list[Signature] = field(default_factory=list)
    nested_digests: list[dict[str, Any]] | None = None
    schema_version: str = SCHEMA_V2
    meta_extra: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Descriptor:
        """Build from a parsed document of schema ``v2`` or ``ocm.software/v3alpha1``.

        Raises :class:`ValidationError` listing every field of the wrong shape.
        """
        from pyocm.descriptor.v3alpha1 import is_v3alpha1, read_v3alpha1

        if isinstance(data, Mapping) and is_v3alpha1(data):
            return _build(read_v3alpha1, data, "")
        return _build(_read_v2, data, "")

    def to_dict(self) -> dict[str, Any]:
        """The schema ``v2`` JSON shape."""
        out: dict[str, Any] = {
            "meta": {"schemaVersion": SCHEMA_V2, **self.meta_extra},
            "component": self.component.to_dict(),
        }
        if self.signatures:
            out["signatures"] = [s.to_dict() for s in self.signatures]
        if self.nested_digests is not None:
            out["nestedDigests"] = self.nested_digests
        out.update(self.extra)
        return out

    def signature(self, name: str) -> Signature | None:
        """The signature called ``name``, if there is one."""
        return next((s for s in self.signatures if s.name == name), None)


def _build(reader: Callable[[_Reader], T], data: object, path: str) -> T:
    violations: list[Violation] = []
    result = reader(_Reader(data, path, violations))
    if violations:
        raise ValidationError(violations)
    return result


def _read_v2(r: _Reader) -> Descriptor:
    meta = _Reader(r.get("meta"), "meta", r.violations)
    schema = meta.string("schemaVersion")
    if schema and schema != SCHEMA_V2:
        r.violations.append(
            Violation("meta.schemaVersion", f"unsupported schema version {schema!r}")
        )
    component = read_component(_Reader(r.get("component"), "component", r.violations))
    return Descriptor(
        component=component,
        signatures=[Signature.read(_Reader(x, p, r.violations)) for p, x in r.items("signatures")],
        nested_digests=_nested_digests(r),
        schema_version=SCHEMA_V2,
        meta_extra=meta.rest(),
        extra=r.rest(),
    )


def _nested_digests(r: _Reader) -> list[dict[str, Any]] | None:
    if r.get("nestedDigests") is None:
        return None
    return [dict(x) if isinstance(x, Mapping) else x for _, x in r.items("nestedDigests")]


def read_component(r: _Reader) -> Component:
    """Read the ``component`` object of a schema ``v2`` descriptor."""
    return Component(
        name=r.string("name"),
        version=r.string("version"),
        provider=Provider.read(r.get("provider"), r.at("provider"), r.violations),
        creation_time=r.optional_string("creationTime"),
        labels=_labels(r, "labels"),
        repository_contexts=read_contexts(r),
        resources=read_elements(r, "resources", Resource),
        sources=read_elements(r, "sources", Source),
        references=read_elements(r, "componentReferences", Reference),
        extra=r.rest(),
    )


def read_contexts(r: _Reader) -> list[dict[str, Any]]:
    """Read ``repositoryContexts``: a list of typed objects kept as they are."""
    contexts = []
    for path, item in r.items("repositoryContexts"):
        if isinstance(item, Mapping):
            contexts.append(dict(item))
        else:
            r.violations.append(Violation(path, f"must be an object, not {_kind(item)}"))
    return contexts


def read_elements(r: _Reader, key: str, cls: Any) -> list[Any]:
    """Read a list of resources, sources or references found under ``key``."""
    return [cls.read(_Reader(item, path, r.violations)) for path, item in r.items(key)]
