"""OCI image layouts as local blobs: stored natively, component version in the index form."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from pyocm.blob import BytesBlob
from pyocm.descriptor import Component, Descriptor, Digest, Provider, Resource
from pyocm.errors import OCMError
from pyocm.repository.ctf import CTFRepository, open_ctf

COMPONENT = "acme.org/app"
REPOSITORY = f"component-descriptors/{COMPONENT}"
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
INDEX = "application/vnd.oci.image.index.v1+json"
LAYOUT_TGZ = "application/vnd.ocm.software.oci.layout.v1+tar+gzip"
LAYOUT_TAR = "application/vnd.ocm.software.oci.layout.v1+tar"

LAYER = b"a layer of an image\n"
CONFIG = b'{"architecture":"amd64","os":"linux"}'


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


MANIFEST_RAW = json.dumps(
    {
        "schemaVersion": 2,
        "mediaType": MANIFEST,
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": _digest(CONFIG),
            "size": len(CONFIG),
        },
        "layers": [
            {
                "mediaType": "application/vnd.oci.image.layer.v1.tar",
                "digest": _digest(LAYER),
                "size": len(LAYER),
            }
        ],
    }
).encode()
MANIFEST_DIGEST = _digest(MANIFEST_RAW)


def _layout_tar(
    index_entries: list[dict[str, object]], extra: dict[str, bytes] | None = None
) -> bytes:
    """A minimal OCI image layout, written by hand: index.json first, blobs/<alg>/<hex>."""
    files = {
        "oci-layout": b'{"imageLayoutVersion":"1.0.0"}',
        "index.json": json.dumps({"schemaVersion": 2, "manifests": index_entries}).encode(),
    }
    for blob in (LAYER, CONFIG, MANIFEST_RAW, *(extra or {}).values()):
        files["blobs/sha256/" + hashlib.sha256(blob).hexdigest()] = blob
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


SINGLE = [{"mediaType": MANIFEST, "digest": MANIFEST_DIGEST, "size": len(MANIFEST_RAW)}]


def _add_version(repo: CTFRepository, layout: bytes, media_type: str) -> Descriptor:
    image = repo.add_local_resource(
        COMPONENT,
        "1.0.0",
        Resource(name="image", version="1.0.0", type="ociImage"),
        BytesBlob(layout, media_type),
    )
    readme = repo.add_local_resource(
        COMPONENT,
        "1.0.0",
        Resource(name="readme", version="1.0.0", type="plainText"),
        BytesBlob(b"read me", "text/plain"),
    )
    cd = Descriptor(Component(COMPONENT, "1.0.0", Provider("acme"), resources=[image, readme]))
    repo.add_component_version(cd)
    return cd


@pytest.mark.parametrize(("compress", "media_type"), [(True, LAYOUT_TGZ), (False, LAYOUT_TAR)])
@pytest.mark.parametrize("ctf_name", ["ctf", "ctf.tgz"])
def test_index_form_round_trip(
    tmp_path: Path, compress: bool, media_type: str, ctf_name: str
) -> None:
    layout = _layout_tar(SINGLE)
    if compress:
        layout = gzip.compress(layout)
    path = tmp_path / ctf_name
    with open_ctf(path, mode="create") as repo:
        written = _add_version(repo, layout, media_type)

    image, readme = written.component.resources
    assert image.access is not None
    assert image.access.to_dict() == {
        "type": "LocalBlob/v1",
        "localReference": MANIFEST_DIGEST,
        "mediaType": MANIFEST,
    }
    assert image.digest == Digest(
        "SHA-256", "genericBlobDigest/v1", MANIFEST_DIGEST.removeprefix("sha256:")
    )

    with open_ctf(path) as repo:
        artifacts = [(e.repository, e.tag, e.digest, e.media_type) for e in repo.artifacts()]
        assert [(a[1], a[3]) for a in artifacts] == [
            ("", MANIFEST),
            ("", MANIFEST),
            ("1.0.0", INDEX),
        ]
        assert artifacts[0][2] == MANIFEST_DIGEST
        assert {a[0] for a in artifacts} == {REPOSITORY}
        for blob in (LAYER, CONFIG, MANIFEST_RAW):
            assert repo.blobs.read_bytes(_digest(blob), 1 << 20) == blob

        index = json.loads(repo.blobs.read_bytes(artifacts[2][2], 1 << 20))
        assert list(index) == ["schemaVersion", "mediaType", "manifests", "annotations"]
        assert index["mediaType"] == INDEX
        descriptor_entry, image_entry = index["manifests"]
        assert descriptor_entry["digest"] == artifacts[1][2]
        assert descriptor_entry["artifactType"] == (
            "application/vnd.ocm.software.component-descriptor.v2"
        )
        assert descriptor_entry["annotations"]["software.ocm.componentversion"] == (
            "acme.org/app:1.0.0"
        )
        assert image_entry == {
            "mediaType": MANIFEST,
            "digest": MANIFEST_DIGEST,
            "size": len(MANIFEST_RAW),
            "annotations": {
                "software.ocm.artifact": (
                    '[{"identity":{"name":"image","version":"1.0.0"},"kind":"resource"}]'
                )
            },
        }
        assert index["annotations"]["org.opencontainers.image.title"] == (
            "OCM Component Descriptor OCI Artifact Manifest Index for acme.org/app in version 1.0.0"
        )
        descriptor_manifest = json.loads(repo.blobs.read_bytes(artifacts[1][2], 1 << 20))
        assert [layer["mediaType"] for layer in descriptor_manifest["layers"]] == [
            "application/vnd.ocm.software.component-descriptor.v2+json",
            "text/plain",
        ]

        assert repo.get_component_version(COMPONENT, "1.0.0") == written
        assert readme.access is not None
        with repo.get_local_blob(COMPONENT, "1.0.0", readme.access).open() as stream:
            assert stream.read() == b"read me"

        blob = repo.get_local_blob(COMPONENT, "1.0.0", image.access)
        assert blob.media_type == LAYOUT_TGZ
        with blob.open() as stream:
            downloaded = stream.read()

    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(downloaded))) as tar:
        names = tar.getnames()
        contents = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]
    assert names[-2:] == ["index.json", "oci-layout"]
    assert sorted(names[:-2]) == sorted(
        "blobs/sha256/" + hashlib.sha256(b).hexdigest() for b in (LAYER, CONFIG, MANIFEST_RAW)
    )
    for blob_bytes in (LAYER, CONFIG, MANIFEST_RAW):
        assert contents["blobs/sha256/" + hashlib.sha256(blob_bytes).hexdigest()] == blob_bytes
    assert contents["oci-layout"] == b'{"imageLayoutVersion":"1.0.0"}'
    layout_index = json.loads(contents["index.json"])
    assert layout_index["schemaVersion"] == 2
    [root] = layout_index["manifests"]
    assert (root["mediaType"], root["digest"], root["size"]) == (
        MANIFEST,
        MANIFEST_DIGEST,
        len(MANIFEST_RAW),
    )
    assert root["annotations"]["org.opencontainers.image.ref.name"] == "1.0.0"

    # the downloaded layout stores again as the same artifact
    with open_ctf(tmp_path / "again", mode="create") as again:
        stored = again.add_local_resource(
            COMPONENT,
            "1.0.0",
            Resource(name="image", version="1.0.0", type="ociImage"),
            BytesBlob(downloaded, LAYOUT_TGZ),
        )
    assert stored.access is not None
    assert stored.access.properties["localReference"] == MANIFEST_DIGEST


def test_layout_with_several_entries_uses_the_named_one(tmp_path: Path) -> None:
    other = (
        b'{"schemaVersion":2,"mediaType":"%s","config":{"mediaType":"x/y","digest":"%s","size":%d},"layers":[]}'
        % (
            MANIFEST.encode(),
            _digest(CONFIG).encode(),
            len(CONFIG),
        )
    )
    entries: list[dict[str, object]] = [
        {"digest": _digest(other), "size": len(other)},  # no mediaType: taken from the JSON
        {
            "digest": MANIFEST_DIGEST,
            "size": len(MANIFEST_RAW),
            "annotations": {"org.opencontainers.image.ref.name": "v1"},
        },
    ]
    layout = _layout_tar(entries, {"other": other})
    with open_ctf(tmp_path / "ctf", mode="create") as repo:
        written = _add_version(repo, layout, LAYOUT_TAR)
    image = written.component.resources[0]
    assert image.access is not None
    assert image.access.properties["localReference"] == MANIFEST_DIGEST
    assert image.access.properties["mediaType"] == MANIFEST


def test_layout_without_a_main_artifact_is_refused(tmp_path: Path) -> None:
    entries: list[dict[str, object]] = [
        {"mediaType": MANIFEST, "digest": MANIFEST_DIGEST, "size": len(MANIFEST_RAW)},
        {"mediaType": MANIFEST, "digest": _digest(CONFIG), "size": len(CONFIG)},
    ]
    with (
        open_ctf(tmp_path / "ctf", mode="create") as repo,
        pytest.raises(OCMError, match="cannot tell which one is the artifact"),
    ):
        _add_version(repo, _layout_tar(entries), LAYOUT_TAR)


def test_layout_with_a_corrupted_blob_is_refused(tmp_path: Path) -> None:
    layout = _layout_tar(SINGLE).replace(LAYER, LAYER.upper())
    with (
        open_ctf(tmp_path / "ctf", mode="create") as repo,
        pytest.raises(OCMError, match="digest mismatch"),
    ):
        _add_version(repo, layout, LAYOUT_TAR)


def test_image_index_layout_copies_every_manifest(tmp_path: Path) -> None:
    image_index = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": INDEX,
            "manifests": [
                {"mediaType": MANIFEST, "digest": MANIFEST_DIGEST, "size": len(MANIFEST_RAW)}
            ],
        }
    ).encode()
    entries: list[dict[str, object]] = [
        {"mediaType": INDEX, "digest": _digest(image_index), "size": len(image_index)}
    ]
    layout = _layout_tar(entries, {"index": image_index})
    with open_ctf(tmp_path / "ctf", mode="create") as repo:
        written = _add_version(repo, layout, LAYOUT_TAR)
        untagged = [(e.digest, e.media_type) for e in repo.artifacts() if not e.tag]
        assert untagged[:2] == [(MANIFEST_DIGEST, MANIFEST), (_digest(image_index), INDEX)]
        image = written.component.resources[0]
        assert image.access is not None
        assert image.access.properties["mediaType"] == INDEX
        with repo.get_local_blob(COMPONENT, "1.0.0", image.access).open() as stream:
            downloaded = gzip.decompress(stream.read())
    with tarfile.open(fileobj=io.BytesIO(downloaded)) as tar:
        member = tar.extractfile("index.json")
        assert member is not None
        layout_index = json.loads(member.read())
    assert [m["digest"] for m in layout_index["manifests"]] == [
        _digest(image_index),
        MANIFEST_DIGEST,
    ]
    assert "annotations" not in layout_index["manifests"][1]
