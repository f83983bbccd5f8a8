"""Registry to registry, local blobs go store to store: blob by blob and manifest by manifest,
mounted within one registry, streamed between two, never through an OCI layout archive;
referrers come along; what the target has is not sent again."""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from fixtures.ocm_registry import new_sub_path, open_on, raw_client
from fixtures.proxy import FaultProxy, fault_proxy
from fixtures.registry import RegistryServer
from pyocm.blob import BytesBlob, FileBlob
from pyocm.descriptor import Component, Descriptor, Provider, Resource
from pyocm.oci.manifest import Descriptor as OCIDescriptor
from pyocm.oci.manifest import image_manifest, parse_index
from pyocm.oci.mediatypes import EMPTY_JSON, IMAGE_MANIFEST
from pyocm.repository import OCISpec, Repository, open_repository, parse_repository
from pyocm.repository.oci import open_registry
from pyocm.repository.ocm import OCMRepository
from pyocm.transfer import (
    REPLACE,
    TransferFailed,
    TransferOptions,
    TransferResult,
    execute_plan,
    plan_transfer,
)

APP = ("acme.org/app", "1.0.0")
LAYOUT_TAR = "application/vnd.ocm.software.oci.layout.v1+tar"
LAYER_SIZE = 64 << 20
COMPONENT_REPOSITORY = "component-descriptors/acme.org/app"


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


def _write_image_layout(work: Path, size: int) -> tuple[Path, str, str]:
    """An OCI image layout tar of one ``size``-byte layer, written without holding it in
    memory: (the tar, the manifest digest, the layer digest)."""
    layer = work / "layer"
    with layer.open("wb") as out:
        for _ in range(size >> 20):
            out.write(os.urandom(1 << 20))
    layer_digest = _sha256_file(layer)
    config = b'{"architecture":"amd64","os":"linux"}'
    config_digest = "sha256:" + hashlib.sha256(config).hexdigest()
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": IMAGE_MANIFEST,
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": config_digest,
                "size": len(config),
            },
            "layers": [
                {
                    "mediaType": "application/vnd.oci.image.layer.v1.tar",
                    "digest": layer_digest,
                    "size": size,
                }
            ],
        }
    ).encode()
    manifest_digest = "sha256:" + hashlib.sha256(manifest).hexdigest()
    index = json.dumps(
        {
            "schemaVersion": 2,
            "manifests": [
                {"mediaType": IMAGE_MANIFEST, "digest": manifest_digest, "size": len(manifest)}
            ],
        }
    ).encode()
    (work / "config").write_bytes(config)
    (work / "manifest").write_bytes(manifest)
    (work / "index.json").write_bytes(index)
    (work / "oci-layout").write_bytes(b'{"imageLayoutVersion":"1.0.0"}')
    archive = work / "image.tar"
    with tarfile.open(archive, "w") as tar:
        for name, digest in (
            ("layer", layer_digest),
            ("config", config_digest),
            ("manifest", manifest_digest),
        ):
            tar.add(work / name, arcname=f"blobs/sha256/{digest[7:]}")
        tar.add(work / "index.json", arcname="index.json")
        tar.add(work / "oci-layout", arcname="oci-layout")
    layer.unlink()
    return archive, manifest_digest, layer_digest


@pytest.fixture(scope="module")
def big_image(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A 64 MiB single-layer image layout tar: (path, manifest digest, layer digest)."""
    return _write_image_layout(tmp_path_factory.mktemp("image"), LAYER_SIZE)


def _add_app(repo: Repository, image: Path) -> Descriptor:
    """``acme.org/app:1.0.0`` with the image (index form) and a plain local blob."""
    image_resource = repo.add_local_resource(
        *APP,
        Resource(name="image", version="1.0.0", type="ociImage"),
        FileBlob(image, LAYOUT_TAR),
    )
    plain = repo.add_local_resource(
        *APP,
        Resource(name="data", version="1.0.0", type="blob"),
        BytesBlob(os.urandom(300_000), "application/octet-stream"),
    )
    descriptor = Descriptor(
        Component(*APP, Provider("acme.org"), resources=[image_resource, plain])
    )
    repo.add_component_version(descriptor)
    return descriptor


def _open(url: str, sub_path: str) -> OCMRepository:
    spec = parse_repository(f"{url}/{sub_path}")
    assert isinstance(spec, OCISpec)
    return open_registry(spec, mode="create")


def _transfer(
    source: Repository, target: Repository, options: TransferOptions | None = None
) -> TransferResult:
    plan = plan_transfer(source, target, [APP], options or TransferOptions())
    return execute_plan(plan, source, target)


def _stored_image(repo: OCMRepository) -> list[OCIDescriptor]:
    """The entries of the index the version's tag points at."""
    tagged = repo.store.get_tagged(COMPONENT_REPOSITORY, "1.0.0")
    assert tagged is not None
    return parse_index(tagged.content).manifests


@pytest.fixture
def proxy(registry: RegistryServer) -> Iterator[FaultProxy]:
    """The plain registry behind a proxy that logs every request."""
    with fault_proxy(registry.port) as p:
        yield p


def test_within_one_registry_blobs_are_mounted_not_uploaded(
    proxy: FaultProxy, big_image: tuple[Path, str, str]
) -> None:
    archive, manifest, layer = big_image
    with _open(proxy.url, new_sub_path()) as source, _open(proxy.url, new_sub_path()) as target:
        original = _add_app(source, archive)
        proxy.log.clear()
        result = _transfer(source, target)

        # of the content only the image manifest is read (to be put); blobs are not read
        assert result.bytes == _stored_image(source)[1].size
        uploads = [(m, s) for m, p, s in proxy.log if p.endswith("/blobs/uploads/")]
        patches = [entry for entry in proxy.log if entry[0] == "PATCH"]
        # the image's config and layer and the plain blob are mounted (201); the new
        # descriptor layer and config of the target version are the only uploads (202)
        assert sorted(uploads) == [("POST", 201)] * 3 + [("POST", 202)] * 2
        assert patches == []

        copied = target.get_component_version(*APP)
        assert copied.to_dict() == original.to_dict()
        assert [d.digest for d in _stored_image(target)][1:] == [manifest]
        layer_stat = target.store.stat(COMPONENT_REPOSITORY, layer, "")
        assert layer_stat is not None and layer_stat.size == LAYER_SIZE

        # what the target has is not sent again: a forced re-run only looks
        proxy.log.clear()
        again = _transfer(source, target, TransferOptions(conflict_policy=REPLACE))
        assert again.bytes == 0
        assert [entry for entry in proxy.log if entry[0] in ("POST", "PATCH")] == []


def test_between_two_registries_blobs_are_streamed_and_verified(
    registry: RegistryServer,
    secure_registry: RegistryServer,
    big_image: tuple[Path, str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    archive, manifest, layer = big_image
    # no OCI layout archive is built on the way
    import pyocm.repository.stored_blobs as stored_blobs

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an OCI layout archive was built")

    monkeypatch.setattr(stored_blobs, "write_layout", refuse)
    with (
        open_on(registry, new_sub_path()) as source,
        open_on(secure_registry, new_sub_path()) as target,
    ):
        original = _add_app(source, archive)
        result = _transfer(source, target)
        # every byte of the image's blobs and manifest and of the plain blob, read once
        config_size = len(b'{"architecture":"amd64","os":"linux"}')
        manifest_size = _stored_image(source)[1].size
        assert result.bytes == LAYER_SIZE + config_size + manifest_size + 300_000

        copied = target.get_component_version(*APP)
        assert copied.to_dict() == original.to_dict()
        assert _stored_image(target) == _stored_image(source)
        with raw_client(secure_registry) as client:
            remote = client.repository(f"{target.store.sub_path}/{COMPONENT_REPOSITORY}")  # type: ignore[attr-defined]
            assert remote.stat_blob(layer) == LAYER_SIZE
            assert remote.resolve(manifest).digest == manifest


def test_referrers_of_copied_artifacts_come_along(registry: RegistryServer, tmp_path: Path) -> None:
    small, manifest, _ = _write_image_layout(tmp_path, 1 << 20)
    with open_on(registry, new_sub_path()) as source, open_on(registry, new_sub_path()) as target:
        _add_app(source, small)
        with raw_client(registry) as client:
            remote = client.repository(f"{source.store.sub_path}/{COMPONENT_REPOSITORY}")  # type: ignore[attr-defined]
            subject = remote.resolve(manifest)
            empty = remote.push_bytes(b"{}", EMPTY_JSON)
            note = remote.push_bytes(b"signed by someone", "application/vnd.example.signature")
            referrer = remote.put_manifest(
                image_manifest(
                    empty,
                    [note],
                    artifact_type="application/vnd.example.signature",
                    subject=subject,
                ),
                IMAGE_MANIFEST,
            )
        _transfer(source, target)
        with raw_client(registry) as client:
            copied = client.repository(f"{target.store.sub_path}/{COMPONENT_REPOSITORY}")  # type: ignore[attr-defined]
            assert [r.digest for r in copied.referrers(manifest)] == [referrer.digest]
            assert copied.fetch_blob(note.digest, note.size, 1024) == b"signed by someone"


def test_a_ctf_image_goes_into_a_registry_node_by_node(
    registry: RegistryServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small, manifest, layer = _write_image_layout(tmp_path, 2 << 20)
    import pyocm.repository.stored_blobs as stored_blobs

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an OCI layout archive was built")

    with open_repository(str(tmp_path / "ctf"), mode="create") as ctf:
        original = _add_app(ctf, small)
    monkeypatch.setattr(stored_blobs, "write_layout", refuse)
    with open_repository(str(tmp_path / "ctf")) as ctf, open_on(registry, new_sub_path()) as target:
        _transfer(ctf, target)
        assert target.get_component_version(*APP).to_dict() == original.to_dict()
        assert [d.digest for d in _stored_image(target)][1:] == [manifest]
        assert target.store.stat(COMPONENT_REPOSITORY, layer, "") is not None


def test_a_local_blob_with_a_corrupted_layer_fails_and_leaves_no_version(
    registry: RegistryServer, secure_registry: RegistryServer, tmp_path: Path
) -> None:
    small, _, layer = _write_image_layout(tmp_path, 1 << 20)
    with open_on(registry, new_sub_path()) as source:
        _add_app(source, small)
        sub = source.store.sub_path  # type: ignore[attr-defined]
    # overwrite the layer's bytes in the source registry's storage
    data = registry.storage / "docker/registry/v2/blobs/sha256" / layer[7:9] / layer[7:] / "data"
    data.chmod(0o644)
    data.write_bytes(os.urandom(1 << 20))
    with _open(registry.url, sub) as source, open_on(secure_registry, new_sub_path()) as target:
        with pytest.raises(TransferFailed, match=f"digest mismatch for blob {layer}"):
            _transfer(source, target)
        assert not target.has_component_version(*APP)
