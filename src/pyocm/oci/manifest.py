"""OCI descriptors, image manifests and image indexes, read leniently and written as Go does.

    >>> from pyocm.oci.manifest import Descriptor, image_manifest, parse_manifest
    >>> config = Descriptor("application/vnd.oci.empty.v1+json", "sha256:" + "4" * 64, 2)
    >>> raw = image_manifest(config, [], annotations={"b": "2", "a": "1"})
    >>> raw[:30]
    b'{"schemaVersion":2,"mediaType"'
    >>> parse_manifest(raw).annotations
    {'a': '1', 'b': '2'}

Writers produce the bytes of Go's ``json.Marshal`` of the image-spec structs (fields in
declaration order, annotation maps sorted), so a manifest built here has the digest the Go
tools compute for the same content.  Readers accept any JSON object with the right fields and
keep the raw bytes' digest authoritative: never re-serialise a manifest that was read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pyocm._internal.gojson import marshal, sorted_map
from pyocm.errors import OCMError
from pyocm.oci.digests import check_digest
from pyocm.oci.mediatypes import IMAGE_INDEX, IMAGE_MANIFEST, is_index_type


@dataclass(frozen=True)
class Platform:
    """The platform an image runs on (``platform`` of a descriptor)."""

    architecture: str = ""
    os: str = ""
    os_version: str = ""
    os_features: tuple[str, ...] = ()
    variant: str = ""

    def to_go(self) -> dict[str, Any]:
        """The JSON shape in Go field order (``architecture`` and ``os`` are always present)."""
        out: dict[str, Any] = {"architecture": self.architecture, "os": self.os}
        if self.os_version:
            out["os.version"] = self.os_version
        if self.os_features:
            out["os.features"] = list(self.os_features)
        if self.variant:
            out["variant"] = self.variant
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Platform:
        """Read the JSON shape; unknown fields are ignored."""
        features = data.get("os.features") or ()
        return cls(
            architecture=str(data.get("architecture") or ""),
            os=str(data.get("os") or ""),
            os_version=str(data.get("os.version") or ""),
            os_features=tuple(str(f) for f in features),
            variant=str(data.get("variant") or ""),
        )


@dataclass
class Descriptor:
    """An OCI content descriptor: what a manifest, index or index entry points to."""

    media_type: str
    digest: str
    size: int
    annotations: dict[str, str] = field(default_factory=dict)
    platform: Platform | None = None
    artifact_type: str = ""
    urls: list[str] = field(default_factory=list)

    def to_go(self) -> dict[str, Any]:
        """The JSON shape in Go field order, optional fields omitted when empty."""
        out: dict[str, Any] = {
            "mediaType": self.media_type,
            "digest": self.digest,
            "size": self.size,
        }
        if self.urls:
            out["urls"] = list(self.urls)
        if self.annotations:
            out["annotations"] = sorted_map(self.annotations)
        if self.platform is not None:
            out["platform"] = self.platform.to_go()
        if self.artifact_type:
            out["artifactType"] = self.artifact_type
        return out

    @classmethod
    def from_dict(cls, data: object, what: str = "descriptor") -> Descriptor:
        """Read the JSON shape; raises :class:`OCMError` naming ``what`` when it is malformed."""
        if not isinstance(data, Mapping):
            raise OCMError(f"invalid {what}: expected a JSON object")
        digest = data.get("digest")
        size = data.get("size", -1)
        if not isinstance(digest, str):
            raise OCMError(f"invalid {what}: digest missing")
        check_digest(digest, f"{what} digest")
        if not isinstance(size, int) or isinstance(size, bool):
            raise OCMError(f"invalid {what}: size must be an integer")
        annotations = data.get("annotations") or {}
        if not isinstance(annotations, Mapping) or not all(
            isinstance(v, str) for v in annotations.values()
        ):
            raise OCMError(f"invalid {what}: annotations must map strings to strings")
        platform = data.get("platform")
        return cls(
            media_type=str(data.get("mediaType") or ""),
            digest=digest,
            size=size,
            annotations=dict(annotations),
            platform=Platform.from_dict(platform) if isinstance(platform, Mapping) else None,
            artifact_type=str(data.get("artifactType") or ""),
            urls=[str(u) for u in data.get("urls") or ()],
        )


@dataclass
class Manifest:
    """An image manifest as read: config, layers, annotations, artifact type, subject."""

    config: Descriptor
    layers: list[Descriptor]
    media_type: str = IMAGE_MANIFEST
    artifact_type: str = ""
    annotations: dict[str, str] = field(default_factory=dict)
    subject: Descriptor | None = None


@dataclass
class Index:
    """An image index as read: its manifests, annotations, artifact type, subject."""

    manifests: list[Descriptor]
    media_type: str = IMAGE_INDEX
    artifact_type: str = ""
    annotations: dict[str, str] = field(default_factory=dict)
    subject: Descriptor | None = None


def image_manifest(
    config: Descriptor,
    layers: Sequence[Descriptor],
    *,
    annotations: Mapping[str, str] | None = None,
    artifact_type: str = "",
    subject: Descriptor | None = None,
) -> bytes:
    """The bytes of an OCI image manifest, exactly as Go's ``json.Marshal`` writes it."""
    out: dict[str, Any] = {"schemaVersion": 2, "mediaType": IMAGE_MANIFEST}
    if artifact_type:
        out["artifactType"] = artifact_type
    out["config"] = config.to_go()
    out["layers"] = [layer.to_go() for layer in layers]
    if subject is not None:
        out["subject"] = subject.to_go()
    if annotations:
        out["annotations"] = sorted_map(annotations)
    return marshal(out)


def image_index(
    manifests: Sequence[Descriptor],
    *,
    annotations: Mapping[str, str] | None = None,
    artifact_type: str = "",
    subject: Descriptor | None = None,
) -> bytes:
    """The bytes of an OCI image index, exactly as Go's ``json.Marshal`` writes it."""
    out: dict[str, Any] = {"schemaVersion": 2, "mediaType": IMAGE_INDEX}
    if artifact_type:
        out["artifactType"] = artifact_type
    out["manifests"] = [m.to_go() for m in manifests]
    if subject is not None:
        out["subject"] = subject.to_go()
    if annotations:
        out["annotations"] = sorted_map(annotations)
    return marshal(out)


def parse_json_object(raw: bytes, what: str) -> dict[str, Any]:
    """Decode ``raw`` as a JSON object or raise :class:`OCMError` naming ``what``."""
    try:
        data = json.loads(raw)
    except ValueError as e:
        raise OCMError(f"{what} is not valid JSON: {e}") from None
    if not isinstance(data, dict):
        raise OCMError(f"{what} is not a JSON object")
    return data


def sniff_media_type(data: Mapping[str, Any]) -> str:
    """The media type a manifest or index declares, or the one its shape implies."""
    declared = data.get("mediaType")
    if isinstance(declared, str) and declared:
        return declared
    return IMAGE_INDEX if "manifests" in data else IMAGE_MANIFEST


def parse_manifest(raw: bytes, what: str = "manifest") -> Manifest:
    """Read an image manifest (OCI or Docker v2) from its JSON bytes."""
    data = parse_json_object(raw, what)
    layers = data.get("layers") or []
    if not isinstance(layers, list):
        raise OCMError(f"invalid {what}: layers must be a list")
    subject = data.get("subject")
    return Manifest(
        config=Descriptor.from_dict(data.get("config"), f"{what} config"),
        layers=[Descriptor.from_dict(x, f"{what} layer {i}") for i, x in enumerate(layers)],
        media_type=sniff_media_type(data),
        artifact_type=str(data.get("artifactType") or ""),
        annotations=_annotations(data, what),
        subject=None if subject is None else Descriptor.from_dict(subject, f"{what} subject"),
    )


def parse_index(raw: bytes, what: str = "index") -> Index:
    """Read an image index (OCI or Docker manifest list) from its JSON bytes."""
    data = parse_json_object(raw, what)
    manifests = data.get("manifests") or []
    if not isinstance(manifests, list):
        raise OCMError(f"invalid {what}: manifests must be a list")
    subject = data.get("subject")
    return Index(
        manifests=[
            Descriptor.from_dict(x, f"{what} manifest {i}") for i, x in enumerate(manifests)
        ],
        media_type=sniff_media_type(data),
        artifact_type=str(data.get("artifactType") or ""),
        annotations=_annotations(data, what),
        subject=None if subject is None else Descriptor.from_dict(subject, f"{what} subject"),
    )


def _annotations(data: Mapping[str, Any], what: str) -> dict[str, str]:
    annotations = data.get("annotations") or {}
    if not isinstance(annotations, Mapping) or not all(
        isinstance(v, str) for v in annotations.values()
    ):
        raise OCMError(f"invalid {what}: annotations must map strings to strings")
    return dict(annotations)


MAX_MANIFEST_SIZE = 4 << 20
"""Manifests and indexes larger than this are refused (registries use the same bound)."""


def successors(descriptor: Descriptor, raw: bytes) -> list[Descriptor]:
    """The descriptors a manifest or index (given as its raw bytes) points to.

    For a manifest: its config, then its layers; for an index: its manifests.  The ``subject``
    of a referrer is not a successor.  A manifest entry without a media type inherits the one
    its own JSON declares.
    """
    data = parse_json_object(raw, f"manifest {descriptor.digest}")
    kind = descriptor.media_type or sniff_media_type(data)
    if is_index_type(kind):
        index = parse_index(raw, f"index {descriptor.digest}")
        return index.manifests
    manifest = parse_manifest(raw, f"manifest {descriptor.digest}")
    return [manifest.config, *manifest.layers]
