"""Reading what other tools wrote into registries: every descriptor encoding, legacy configs,
indexes, artifact sets, chunked and shared local blobs (pushed here with the raw client)."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import yaml

from fixtures.ocm_registry import INDEX, MANIFEST, raw_client, sha256
from fixtures.registry import RegistryServer
from pyocm.oci.manifest import Descriptor as OCIDescriptor
from pyocm.oci.manifest import image_index, image_manifest
from pyocm.oci.remote import RemoteRepository
from pyocm.repository.ocm import OCMRepository

COMPONENT = "acme.org/legacy"
OCM_CONFIG = "application/vnd.ocm.software.component.config.v1+json"
GARDENER_CONFIG = "application/vnd.gardener.cloud.cnudie.component.config.v1+json"
GARDENER2_CONFIG = (
    "application/vnd.oci.gardener.cloud.cnudie.component-descriptor-metadata.config.v2+json"
)
PAYLOAD = b"some payload"


def _descriptor(version: str, resources: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "meta": {"schemaVersion": "v2"},
        "component": {
            "name": COMPONENT,
            "version": version,
            "provider": "acme.org",
            "repositoryContexts": [],
            "resources": resources or [],
            "sources": [],
            "componentReferences": [],
        },
    }


def _tar(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info = tarfile.TarInfo(name)
        info.size = len(content)
        tar.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def _encode(document: dict[str, Any], media_type: str) -> bytes:
    if media_type.endswith("+json"):
        return json.dumps(document).encode()
    text = yaml.safe_dump(document).encode()
    if media_type.endswith("+json+tar"):
        return _tar("component-descriptor.yaml", json.dumps(document).encode())
    if media_type.endswith("+tar"):
        return _tar("component-descriptor.yaml", text)
    return text


@contextmanager
def _remote(server: RegistryServer, sub_path: str) -> Iterator[RemoteRepository]:
    with raw_client(server) as client:
        yield client.repository(f"{sub_path}/component-descriptors/{COMPONENT}")


def _push_version(
    remote: RemoteRepository,
    tag: str | None,
    layer_type: str,
    document: dict[str, Any],
    *,
    config_type: str = OCM_CONFIG,
    annotate: str | None = None,
    extra_layers: list[OCIDescriptor] | None = None,
    config: bytes | None = None,
) -> OCIDescriptor:
    layer = remote.push_bytes(_encode(document, layer_type), layer_type)
    config_raw = config or json.dumps({"componentDescriptorLayer": layer.to_go()}).encode()
    config_descriptor = remote.push_bytes(config_raw, config_type)
    annotations = {"software.ocm.componentversion": annotate} if annotate else None
    raw = image_manifest(config_descriptor, [layer, *(extra_layers or [])], annotations=annotations)
    return remote.put_manifest(raw, MANIFEST, tag=tag)


LAYER_TYPES = [
    "application/vnd.ocm.software.component-descriptor.v2+json",
    "application/vnd.ocm.software.component-descriptor.v2+yaml",
    "application/vnd.ocm.software.component-descriptor.v2+yaml+tar",
    "application/vnd.gardener.cloud.cnudie.component-descriptor.v2+json",
    "application/vnd.gardener.cloud.cnudie.component-descriptor.v2+yaml",
    "application/vnd.gardener.cloud.cnudie.component-descriptor.v2+yaml+tar",
    "application/vnd.oci.gardener.cloud.cnudie.component-descriptor.config.v2+yaml+tar",
    "application/vnd.gardener.cloud.cnudie.component-descriptor.v2+json+tar",
]


@pytest.mark.parametrize("layer_type", LAYER_TYPES)
def test_every_descriptor_layer_encoding_is_read(
    server: RegistryServer, sub_path: str, repo: OCMRepository, layer_type: str
) -> None:
    with _remote(server, sub_path) as remote:
        _push_version(
            remote, "1.0.0", layer_type, _descriptor("1.0.0"), annotate=f"{COMPONENT}:1.0.0"
        )
    assert repo.list_component_versions(COMPONENT) == ["1.0.0"]
    cd = repo.get_component_version(COMPONENT, "1.0.0")
    assert (cd.component.name, cd.component.version, cd.component.provider.name) == (
        COMPONENT,
        "1.0.0",
        "acme.org",
    )


@pytest.mark.parametrize("config_type", [OCM_CONFIG, GARDENER_CONFIG, GARDENER2_CONFIG])
def test_manifests_without_annotation_are_versions_by_their_config(
    server: RegistryServer, sub_path: str, repo: OCMRepository, config_type: str
) -> None:
    with _remote(server, sub_path) as remote:
        _push_version(
            remote,
            "0.9.0.build-x.1",
            "application/vnd.gardener.cloud.cnudie.component-descriptor.v2+yaml+tar",
            _descriptor("0.9.0+x.1"),
            config_type=config_type,
        )
    assert repo.list_component_versions(COMPONENT) == ["0.9.0+x.1"]
    assert repo.get_component_version(COMPONENT, "0.9.0+x.1").component.version == "0.9.0+x.1"


def test_a_config_naming_no_layer_falls_back_to_the_first_layer(
    server: RegistryServer, sub_path: str, repo: OCMRepository
) -> None:
    with _remote(server, sub_path) as remote:
        _push_version(
            remote,
            "1.0.0",
            "application/vnd.ocm.software.component-descriptor.v2+yaml",
            _descriptor("1.0.0"),
            config=b"{}",
        )
    assert repo.get_component_version(COMPONENT, "1.0.0").component.version == "1.0.0"


def _local(digest: str, media_type: str) -> dict[str, Any]:
    return {"type": "localBlob", "localReference": digest, "mediaType": media_type}


def test_artifact_set_chunked_and_shared_local_blobs_are_read(
    server: RegistryServer, sub_path: str, repo: OCMRepository
) -> None:
    artifact_set = gzip.compress(_tar("artifact-descriptor.json", b'{"manifests":[]}'))
    set_type = "application/vnd.oci.image.manifest.v1+tar+gzip"
    part1, part2 = PAYLOAD[:5], PAYLOAD[5:]
    resources = [
        {"name": "set", "version": "1.0.0", "type": "ociImage", "relation": "local",
         "access": _local(sha256(artifact_set), set_type)},
        {"name": "chunked", "version": "1.0.0", "type": "blob", "relation": "local",
         "access": _local(f"{sha256(part1)},{sha256(part2)}", "text/plain")},
        {"name": "shared-a", "version": "1.0.0", "type": "blob", "relation": "local",
         "access": _local(sha256(PAYLOAD), "text/plain")},
        {"name": "shared-b", "version": "1.0.0", "type": "blob", "relation": "local",
         "access": _local(sha256(PAYLOAD), "text/plain")},
    ]  # fmt: skip
    with _remote(server, sub_path) as remote:
        shared = remote.push_bytes(PAYLOAD, "text/plain")
        # v1 merges artifacts sharing a blob into one layer listing all of them
        shared = OCIDescriptor(
            shared.media_type,
            shared.digest,
            shared.size,
            annotations={
                "software.ocm.artifact": json.dumps(
                    [
                        {"kind": "resource", "identity": {"name": "shared-a", "version": "1.0.0"}},
                        {"kind": "resource", "identity": {"name": "shared-b", "version": "1.0.0"}},
                    ]
                )
            },
        )
        layers = [
            remote.push_bytes(artifact_set, set_type),
            remote.push_bytes(part1, "text/plain"),
            remote.push_bytes(part2, "text/plain"),
            shared,
        ]
        _push_version(
            remote,
            "1.0.0",
            "application/vnd.ocm.software.component-descriptor.v2+yaml+tar",
            _descriptor("1.0.0", resources),
            annotate=f"{COMPONENT}:1.0.0",
            extra_layers=layers,
        )
    cd = repo.get_component_version(COMPONENT, "1.0.0")
    found = {}
    for res in cd.component.resources:
        assert res.access is not None
        blob = repo.get_local_blob(COMPONENT, "1.0.0", res.access)
        with blob.open() as f:
            found[res.name] = (blob.media_type, f.read())
    assert found == {
        "set": (set_type, artifact_set),
        "chunked": ("text/plain", PAYLOAD),
        "shared-a": ("text/plain", PAYLOAD),
        "shared-b": ("text/plain", PAYLOAD),
    }


@pytest.mark.parametrize("marked", [False, True])
def test_indexes_written_by_other_tools_are_read(
    server: RegistryServer, sub_path: str, repo: OCMRepository, marked: bool
) -> None:
    """Unannotated indexes (manifests[0] is the descriptor) and the spec's marked entry."""
    image_config = b'{"architecture":"amd64","os":"linux"}'
    with _remote(server, sub_path) as remote:
        config = remote.push_bytes(image_config, "application/vnd.oci.image.config.v1+json")
        image_raw = image_manifest(config, [remote.push_bytes(PAYLOAD, "application/x-tar")])
        image = remote.put_manifest(image_raw, MANIFEST)
        resources = [
            {"name": "image", "version": "3.0.0", "type": "ociImage", "relation": "local",
             "access": _local(image.digest, MANIFEST)},
        ]  # fmt: skip
        descriptor_manifest = _push_version(
            remote,
            None,
            "application/vnd.ocm.software.component-descriptor.v2+json",
            _descriptor("1.0.0", resources),
        )
        if marked:
            descriptor_manifest = OCIDescriptor(
                MANIFEST,
                descriptor_manifest.digest,
                descriptor_manifest.size,
                annotations={"software.ocm.descriptor": "true"},
            )
            entries = [image, descriptor_manifest]
        else:
            entries = [descriptor_manifest, image]
        remote.put_manifest(image_index(entries), INDEX, tag="1.0.0")
    assert repo.list_component_versions(COMPONENT) == []  # no annotation on the index
    cd = repo.get_component_version(COMPONENT, "1.0.0")
    [res] = cd.component.resources
    assert res.access is not None
    assert res.access.to_dict() == _local(image.digest, MANIFEST)
    blob = repo.get_local_blob(COMPONENT, "1.0.0", res.access)
    with blob.open() as f, tarfile.open(fileobj=f, mode="r:gz") as tar:
        names = sorted(m.name for m in tar if m.isfile())
    assert f"blobs/sha256/{image.digest[7:]}" in names
    assert f"blobs/sha256/{sha256(PAYLOAD)[7:]}" in names
