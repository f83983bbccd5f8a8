"""How a component version maps onto OCI content: repository, tag, config, layers, annotations.

    >>> from pyocm.repository.mapping import component_repository, tag_to_version, version_to_tag
    >>> component_repository("acme.org/app")
    'component-descriptors/acme.org/app'
    >>> version_to_tag("1.2.3+ci.42")
    '1.2.3.build-ci.42'
    >>> tag_to_version("1.2.3.build-ci.42")
    '1.2.3+ci.42'

Shared by every OCI-based repository kind (CTF today, registries later).  Writers follow Go v2
(``bindings/go/oci/store_descriptor.go``): a JSON descriptor layer, the config
``{"componentDescriptorLayer": ...}``, the manifest annotations and ``artifactType`` Go writes,
one layer per local blob annotated with ``software.ocm.artifact``.  Readers accept every
descriptor encoding the reference tools ever wrote.
"""

from __future__ import annotations

import io
import json
import re
import tarfile
from collections.abc import Mapping
from typing import Any, TypeGuard

from pyocm._internal.gojson import marshal, sorted_map
from pyocm.descriptor.codec import loads
from pyocm.descriptor.model import AccessSpec, Descriptor, Resource, Source
from pyocm.errors import OCMError
from pyocm.oci import mediatypes as oci_types
from pyocm.oci.manifest import Descriptor as OCIDescriptor
from pyocm.oci.manifest import Index, Platform, parse_json_object
from pyocm.repository import mediatypes as ocm_types

DESCRIPTOR_PREFIX = "component-descriptors"
DEFAULT_CREATOR = "pyocm"
MAX_DESCRIPTOR_SIZE = 64 << 20
"""Descriptor layers larger than this are refused."""

_TAG = re.compile(r"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$")
_REFERRER_TAG = re.compile(r"^[a-z0-9]+-[0-9a-f]{32,}$")
_REPOSITORY = re.compile(
    r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$"
)
_TAR_MTIME = 1640995200
_PLATFORM_KEYS = ("architecture", "os", "variant", "os.features", "os.version")

_MANIFEST_DESCRIPTION = (
    "This is an OCM OCI Artifact Manifest that contains the component descriptor for the "
    "component {0}.\nIt is used to store the component descriptor in an OCI registry and can "
    "be referrenced by the official OCM Binding Library."
)
_INDEX_DESCRIPTION = (
    "This is an OCM OCI Artifact Manifest Index that contains the component descriptor manifest "
    "for the component {0}.\nIt is used to store the component descriptor manifest and other "
    "related blob manifests in an OCI registry and can be referrenced by the official OCM "
    "Binding Library."
)


def component_repository(component: str) -> str:
    """The OCI repository (relative to the registry or CTF) holding ``component``."""
    return f"{DESCRIPTOR_PREFIX}/{component}"


def check_component_repository(component: str) -> str:
    """:func:`component_repository`, refusing names that are not valid OCI repository names."""
    repository = component_repository(component)
    if not _REPOSITORY.match(repository):
        raise OCMError(
            f"component name {component!r} cannot be stored: OCI repository names are lowercase "
            "letters, digits and separators (. _ __ -) between path segments"
        )
    return repository


def version_to_tag(version: str) -> str:
    """The OCI tag for ``version``: ``+`` becomes ``.build-``; refuses versions no tag can hold."""
    tag = version.replace("+", ".build-")
    if not _TAG.match(tag):
        raise OCMError(
            f"version {version!r} cannot be stored as an OCI tag (letters, digits, '.', '_', '-', "
            "'+', at most 128 characters, not starting with '.' or '-')"
        )
    return tag


def tag_to_version(tag: str) -> str:
    """The version a tag stands for when no annotation says: the last ``.build-`` becomes ``+``."""
    head, sep, tail = tag.rpartition(".build-")
    return f"{head}+{tail}" if sep else tag


def is_referrer_tag(tag: str) -> bool:
    """Whether ``tag`` is an OCI referrers tag-schema tag (``sha256-<hex>``), not a version."""
    return bool(_REFERRER_TAG.match(tag))


def parse_component_version_annotation(value: str) -> tuple[str, str] | None:
    """``(component, version)`` from ``software.ocm.componentversion``, or ``None`` if malformed.

    A ``component-descriptors/`` prefix on the name is tolerated, as in Go v2.
    """
    value = value.removeprefix(f"{DESCRIPTOR_PREFIX}/")
    parts = value.split(":")
    if len(parts) != 2 or not parts[1]:
        return None
    return parts[0], parts[1]


def is_local_blob(access: AccessSpec | None) -> TypeGuard[AccessSpec]:
    """Whether ``access`` is a ``localBlob`` access (any spelling of the type)."""
    return access is not None and access.type in ocm_types.LOCAL_BLOB_TYPES


def encode_descriptor(descriptor: Descriptor, media_type: str) -> bytes:
    """The descriptor layer content for ``media_type`` (JSON, YAML or YAML in a tar).

    YAML is written byte for byte as both Go tools write it (``sigs.k8s.io/yaml``).
    """
    if media_type in (ocm_types.DESCRIPTOR_JSON, ocm_types.LEGACY_DESCRIPTOR_JSON):
        return marshal(descriptor.to_dict(), sort_keys=True)
    from pyocm._internal.goyaml_write import marshal_yaml  # YAML loaded only to write YAML

    if media_type in (ocm_types.DESCRIPTOR_YAML, ocm_types.LEGACY_DESCRIPTOR_YAML):
        return marshal_yaml(descriptor.to_dict()).encode("utf-8")
    if media_type in (
        ocm_types.DESCRIPTOR_YAML_TAR,
        ocm_types.LEGACY_DESCRIPTOR_YAML_TAR,
        ocm_types.LEGACY2_DESCRIPTOR_YAML_TAR,
    ):
        return descriptor_tar(marshal_yaml(descriptor.to_dict()).encode("utf-8"))
    raise OCMError(f"cannot write a descriptor layer of media type {media_type!r}")


def descriptor_tar(content: bytes) -> bytes:
    """A tar holding ``component-descriptor.yaml``, byte for byte as the Go tools write it.

    One USTAR header (mode, uid, gid 0, mtime 2022-01-01, no owner names, device fields
    ``0000000``), the content padded to 512 bytes, and two zero blocks — no padding to a
    10240-byte record as Python's :mod:`tarfile` would add.
    """
    header = bytearray(512)

    def put(offset: int, value: bytes) -> None:
        header[offset : offset + len(value)] = value

    def octal(offset: int, width: int, number: int) -> None:
        put(offset, f"{number:0{width - 1}o}".encode("ascii") + b"\0")

    put(0, ocm_types.DESCRIPTOR_TAR_FILE.encode("ascii"))
    octal(100, 8, 0)
    octal(108, 8, 0)
    octal(116, 8, 0)
    octal(124, 12, len(content))
    octal(136, 12, _TAR_MTIME)
    put(148, b" " * 8)
    put(156, b"0")
    put(257, b"ustar\x0000")
    octal(329, 8, 0)
    octal(337, 8, 0)
    put(148, f"{sum(header):06o}".encode("ascii") + b"\0 ")
    padding = b"\0" * (-len(content) % 512)
    return bytes(header) + content + padding + b"\0" * 1024


def decode_descriptor(data: bytes, media_type: str, what: str) -> Descriptor:
    """Read a descriptor layer of ``media_type``; raises :class:`OCMError` naming ``what``."""
    if ocm_types.is_descriptor_tar(media_type):
        data = _descriptor_from_tar(data, what)
    elif not ocm_types.is_descriptor_layer(media_type):
        raise OCMError(f"{what} has unsupported descriptor media type {media_type!r}")
    return loads(data, what)


def _descriptor_from_tar(data: bytes, what: str) -> bytes:
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
            for member in tar:
                if member.name.lstrip("/") != ocm_types.DESCRIPTOR_TAR_FILE:
                    continue
                if not member.isreg():
                    raise OCMError(f"{what}: {member.name} is not a regular file")
                stream = tar.extractfile(member)
                if stream is None:
                    break
                return stream.read()
    except tarfile.TarError as e:
        raise OCMError(f"{what} is not a valid descriptor tar: {e}") from None
    raise OCMError(f"{what} holds no {ocm_types.DESCRIPTOR_TAR_FILE}")


def component_config(layer: OCIDescriptor) -> bytes:
    """The config blob naming the descriptor layer (Go: ``componentConfig.New``)."""
    return marshal({"componentDescriptorLayer": layer.to_go()})


def descriptor_layer_of(config_raw: bytes, what: str) -> OCIDescriptor | None:
    """The descriptor layer a component config names, or ``None`` when it names none."""
    try:
        data = parse_json_object(config_raw, what)
    except OCMError:
        return None
    layer = data.get("componentDescriptorLayer")
    if not isinstance(layer, Mapping):
        return None
    try:
        return OCIDescriptor.from_dict(layer, f"{what} componentDescriptorLayer")
    except OCMError:
        return None


def manifest_annotations(
    component: str, version: str, creator: str, *, index: bool = False
) -> dict[str, str]:
    """The annotations Go v2 puts on a component-version manifest (or, with ``index``, index)."""
    kind = "Manifest Index" if index else "Manifest"
    description = _INDEX_DESCRIPTION if index else _MANIFEST_DESCRIPTION
    return {
        ocm_types.ANNOTATION_COMPONENT_VERSION: f"{component}:{version}",
        ocm_types.ANNOTATION_CREATOR: creator,
        oci_types.ANNOTATION_TITLE: (
            f"OCM Component Descriptor OCI Artifact {kind} for {component} in version {version}"
        ),
        oci_types.ANNOTATION_DESCRIPTION: description.format(component),
        oci_types.ANNOTATION_AUTHORS: creator,
        oci_types.ANNOTATION_URL: "https://ocm.software",
        oci_types.ANNOTATION_DOCUMENTATION: "https://ocm.software",
        oci_types.ANNOTATION_SOURCE: "https://github.com/open-component-model/open-component-model",
        oci_types.ANNOTATION_VERSION: version,
    }


def adopt(descriptor: OCIDescriptor, element: Resource | Source) -> OCIDescriptor:
    """``descriptor`` annotated as the blob of ``element`` (Go v2 ``identity.Adopt``).

    Appends ``{identity, kind}`` to the ``software.ocm.artifact`` annotation and maps the
    extra-identity keys ``architecture``, ``os``, ``variant``, ``os.features``, ``os.version``
    onto the descriptor's ``platform``.
    """
    identity: dict[str, str] = dict(element.extra_identity)
    if element.name:
        identity["name"] = element.name
    if element.version:
        identity["version"] = element.version
    kind = "resource" if isinstance(element, Resource) else "source"
    annotations = dict(descriptor.annotations)
    existing = annotations.get(ocm_types.ANNOTATION_ARTIFACT)
    entries: list[Any] = json.loads(existing) if existing else []
    entries.append({"identity": sorted_map(identity), "kind": kind})
    annotations[ocm_types.ANNOTATION_ARTIFACT] = marshal(entries).decode("utf-8")
    platform = descriptor.platform
    if any(key in element.extra_identity for key in _PLATFORM_KEYS):
        extra = element.extra_identity
        base = platform or Platform()
        platform = Platform(
            architecture=extra.get("architecture", base.architecture),
            os=extra.get("os", base.os),
            os_version=extra.get("os.version", base.os_version),
            os_features=(
                tuple(extra["os.features"].split(","))
                if "os.features" in extra
                else base.os_features
            ),
            variant=extra.get("variant", base.variant),
        )
    return OCIDescriptor(
        media_type=descriptor.media_type,
        digest=descriptor.digest,
        size=descriptor.size,
        annotations=annotations,
        platform=platform,
        artifact_type=descriptor.artifact_type,
        urls=list(descriptor.urls),
    )


def choose_descriptor_manifest(index: Index, what: str) -> OCIDescriptor:
    """The entry of a component-version index that holds the descriptor.

    The unique entry annotated ``software.ocm.descriptor: "true"``; else the unique image
    manifest annotated ``software.ocm.componentversion``; else ``manifests[0]`` (Go v2).
    """
    if not index.manifests:
        raise OCMError(f"{what} is an index without manifests")
    for matches in (
        [
            m
            for m in index.manifests
            if m.annotations.get(ocm_types.ANNOTATION_DESCRIPTOR) == "true"
        ],
        [
            m
            for m in index.manifests
            if ocm_types.ANNOTATION_COMPONENT_VERSION in m.annotations
            and m.media_type in ("", oci_types.IMAGE_MANIFEST)
        ],
    ):
        if len(matches) == 1:
            return matches[0]
    return index.manifests[0]
