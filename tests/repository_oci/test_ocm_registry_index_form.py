"""An OCI image layout as local blob: the image stored natively, the version as an OCI index."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.ocm_registry import (
    INDEX,
    LAYOUT_TAR,
    LAYOUT_TGZ,
    MANIFEST,
    image,
    layout_tar,
    open_on,
    raw_client,
    sha256,
)
from fixtures.registry import RegistryServer
from pyocm.blob import BytesBlob, FileBlob
from pyocm.descriptor import Component, Descriptor, Provider, Resource
from pyocm.download import write_blob
from pyocm.errors import DigestMismatch
from pyocm.repository.ocm import OCMRepository

COMPONENT = "acme.org/app"


def _add(repo: OCMRepository, layout: bytes, media_type: str) -> Descriptor:
    img = repo.add_local_resource(
        COMPONENT,
        "1.0.0",
        Resource(name="image", version="2.5.0", type="ociImage", extra_identity={"os": "linux"}),
        BytesBlob(layout, media_type),
    )
    readme = repo.add_local_resource(
        COMPONENT,
        "1.0.0",
        Resource(name="readme", version="1.0.0", type="plainText"),
        BytesBlob(b"read me", "text/plain"),
    )
    cd = Descriptor(Component(COMPONENT, "1.0.0", Provider("acme"), resources=[img, readme]))
    repo.add_component_version(cd)
    return cd


@pytest.mark.parametrize(("compress", "media_type"), [(True, LAYOUT_TGZ), (False, LAYOUT_TAR)])
def test_the_version_is_an_index_whose_first_entry_is_the_descriptor_manifest(
    server: RegistryServer, sub_path: str, repo: OCMRepository, compress: bool, media_type: str
) -> None:
    config, layer, manifest = image()
    layout = layout_tar([config, layer], manifest, ref_name="2.5.0")
    written = _add(repo, gzip.compress(layout) if compress else layout, media_type)

    img = written.component.resources[0]
    assert img.access is not None and img.digest is not None
    assert img.access.to_dict() == {
        "type": "LocalBlob/v1",
        "localReference": sha256(manifest),
        "mediaType": MANIFEST,
    }
    assert (img.digest.normalisation_algorithm, img.digest.value) == (
        "genericBlobDigest/v1",
        sha256(manifest).removeprefix("sha256:"),
    )
    with raw_client(server) as client:
        remote = client.repository(f"{sub_path}/component-descriptors/{COMPONENT}")
        assert remote.list_tags() == ["1.0.0"]
        top = remote.get_manifest("1.0.0")
        assert top.descriptor.media_type == INDEX
        index = json.loads(top.content)
        assert list(index) == ["schemaVersion", "mediaType", "manifests", "annotations"]
        first, nested = index["manifests"]
        assert first["mediaType"] == MANIFEST
        assert first["artifactType"] == "application/vnd.ocm.software.component-descriptor.v2"
        assert first["annotations"]["software.ocm.componentversion"] == "acme.org/app:1.0.0"
        assert index["annotations"]["org.opencontainers.image.title"] == (
            "OCM Component Descriptor OCI Artifact Manifest Index for acme.org/app in version 1.0.0"
        )
        assert nested == {
            "mediaType": MANIFEST,
            "digest": sha256(manifest),
            "size": len(manifest),
            "annotations": {
                "software.ocm.artifact": (
                    '[{"identity":{"name":"image","os":"linux","version":"2.5.0"},'
                    '"kind":"resource"}]'
                )
            },
            "platform": {"architecture": "", "os": "linux"},
        }
        # the nested image is stored byte for byte, reachable by digest only
        assert remote.get_manifest(sha256(manifest)).content == manifest
        assert remote.fetch_blob(sha256(layer), len(layer), limit=len(layer)) == layer
        descriptor_manifest = json.loads(remote.get_manifest(first["digest"]).content)
        assert [d["mediaType"] for d in descriptor_manifest["layers"]] == [
            "application/vnd.ocm.software.component-descriptor.v2+json",
            "text/plain",
        ]


def test_the_image_is_read_back_as_an_oci_layout_tagged_with_the_resource_version(
    repo: OCMRepository, reopen: Callable[..., OCMRepository]
) -> None:
    config, layer, manifest = image()
    _add(repo, layout_tar([config, layer], manifest), LAYOUT_TAR)
    with reopen() as again:
        cd = again.get_component_version(COMPONENT, "1.0.0")
        img, readme = cd.component.resources
        assert img.access is not None and readme.access is not None
        blob = again.get_local_blob(COMPONENT, "1.0.0", img.access)
        assert blob.media_type == LAYOUT_TGZ
        with blob.open() as f:
            data = f.read()
        with again.get_local_blob(COMPONENT, "1.0.0", readme.access).open() as f:
            assert f.read() == b"read me"
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        files = {m.name: _read_member(tar, m) for m in tar if m.isfile()}
    index = json.loads(files["index.json"])
    assert index["manifests"] == [
        {
            "mediaType": MANIFEST,
            "digest": sha256(manifest),
            "size": len(manifest),
            # as Go v2: the entry of the component index, tagged with the resource version
            "annotations": {
                "org.opencontainers.image.ref.name": "2.5.0",
                "software.ocm.artifact": (
                    '[{"identity":{"name":"image","os":"linux","version":"2.5.0"},'
                    '"kind":"resource"}]'
                ),
            },
            "platform": {"architecture": "", "os": "linux"},
        }
    ]
    for blob_bytes in (config, layer, manifest):
        assert files[f"blobs/sha256/{sha256(blob_bytes)[7:]}"] == blob_bytes


def test_global_access_of_a_native_artifact_is_an_oci_image_access(
    server: RegistryServer, sub_path: str
) -> None:
    config, layer, manifest = image()
    with open_on(server, sub_path, global_access=True) as repo:
        res = repo.add_local_resource(
            COMPONENT,
            "1.0.0",
            Resource(name="image", version="2.5.0", type="ociImage"),
            BytesBlob(layout_tar([config, layer], manifest), LAYOUT_TAR),
        )
    assert res.access is not None
    reference = f"{server.url}/{sub_path}/component-descriptors/{COMPONENT}:1.0.0"
    assert res.access.properties["globalAccess"] == {
        "type": "OCIImage/v1",
        "imageReference": f"{reference}@{sha256(manifest)}",
    }


def _read_member(tar: tarfile.TarFile, member: tarfile.TarInfo) -> bytes:
    stream = tar.extractfile(member)
    assert stream is not None
    return stream.read()


def test_downloading_the_image_unpacks_exactly_the_layout_archive(
    repo: OCMRepository, tmp_path: Path
) -> None:
    config, layer, manifest = image(300_000)
    _add(repo, layout_tar([config, layer], manifest), LAYOUT_TAR)
    cd = repo.get_component_version(COMPONENT, "1.0.0")
    access = cd.component.resources[0].access
    assert access is not None
    blob = repo.get_local_blob(COMPONENT, "1.0.0", access)
    with blob.open() as f, tarfile.open(fileobj=f, mode="r:gz") as tar:
        archived = {m.name: _read_member(tar, m) for m in tar if m.isfile()}
    target = write_blob(blob, tmp_path / "image")
    unpacked = {
        str(p.relative_to(target)): p.read_bytes() for p in target.rglob("*") if p.is_file()
    }
    assert unpacked == archived
    assert unpacked[f"blobs/sha256/{sha256(layer)[7:]}"] == layer


def test_a_layout_file_with_a_corrupted_blob_is_refused_and_nothing_is_tagged(
    server: RegistryServer, sub_path: str, repo: OCMRepository, tmp_path: Path
) -> None:
    config, layer, manifest = image()
    archive = tmp_path / "image.tar"
    archive.write_bytes(layout_tar([config, layer], manifest).replace(layer, b"x" * len(layer)))
    with pytest.raises(DigestMismatch, match=f"OCI layout blob {sha256(layer)}"):
        repo.add_local_resource(
            COMPONENT,
            "1.0.0",
            Resource(name="image", version="2.5.0", type="ociImage"),
            FileBlob(archive, LAYOUT_TAR),
        )
    with raw_client(server) as client:
        remote = client.repository(f"{sub_path}/component-descriptors/{COMPONENT}")
        assert remote.stat_blob(sha256(layer)) is None
        assert remote.stat_blob(sha256(b"x" * len(layer))) is None
