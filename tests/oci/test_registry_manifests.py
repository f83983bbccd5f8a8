"""Manifests, indexes, tags and referrers against the real registries."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.oci import FAST_RETRIES, image_config
from fixtures.proxy import fault_proxy
from fixtures.registry import RegistryServer
from pyocm.errors import DigestMismatch, OCMError, RegistryNotFound
from pyocm.oci.client import RegistryClient
from pyocm.oci.layout import extract_layout, write_layout
from pyocm.oci.manifest import (
    Descriptor,
    image_index,
    image_manifest,
    parse_index,
    parse_manifest,
)
from pyocm.oci.mediatypes import (
    DOCKER_MANIFEST,
    DOCKER_MANIFEST_LIST,
    EMPTY_JSON,
    IMAGE_INDEX,
    IMAGE_MANIFEST,
)
from pyocm.oci.remote import RemoteRepository, referrers_tag


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def push_image(repo: RemoteRepository, tag: str | None = "1.0.0") -> tuple[Descriptor, bytes]:
    """A small OCI image: config, one layer, the manifest (tagged ``tag``)."""
    config = repo.push_bytes(image_config(), "application/vnd.oci.image.config.v1+json")
    layer = repo.push_bytes(os.urandom(512), "application/vnd.oci.image.layer.v1.tar")
    raw = image_manifest(config, [layer], annotations={"org.example": "test"})
    return repo.put_manifest(raw, IMAGE_MANIFEST, tag=tag), raw


def test_manifest_by_tag_and_by_digest(client: RegistryClient, new_repo: Callable[[], str]) -> None:
    repo = client.repository(new_repo())
    pushed, raw = push_image(repo)
    assert pushed == Descriptor(IMAGE_MANIFEST, sha256(raw), len(raw))
    for reference in ("1.0.0", pushed.digest):
        fetched = repo.get_manifest(reference)
        assert fetched.content == raw
        assert fetched.descriptor == pushed
        assert repo.resolve(reference) == pushed


def test_manifest_pushed_by_digest_only_is_untagged(
    client: RegistryClient, new_repo: Callable[[], str]
) -> None:
    repo = client.repository(new_repo())
    push_image(repo, tag="other")
    pushed, raw = push_image(repo, tag=None)
    assert repo.get_manifest(pushed.digest).content == raw
    assert repo.list_tags() == ["other"]


def test_index_over_two_manifests(client: RegistryClient, new_repo: Callable[[], str]) -> None:
    repo = client.repository(new_repo())
    first, _ = push_image(repo, tag=None)
    second, _ = push_image(repo, tag=None)
    raw = image_index([first, second], annotations={"kind": "multi"})
    index = repo.put_manifest(raw, tag="multi")
    assert index.media_type == IMAGE_INDEX
    fetched = repo.get_manifest("multi")
    assert fetched.content == raw
    assert [d.digest for d in parse_index(fetched.content).manifests] == [
        first.digest,
        second.digest,
    ]
    assert repo.resolve("multi") == index


def test_docker_media_types(client: RegistryClient, new_repo: Callable[[], str]) -> None:
    repo = client.repository(new_repo())
    config = repo.push_bytes(image_config(), "application/vnd.docker.container.image.v1+json")
    layer = repo.push_bytes(os.urandom(300), "application/vnd.docker.image.rootfs.diff.tar.gzip")
    raw = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": DOCKER_MANIFEST,
            "config": config.to_go(),
            "layers": [layer.to_go()],
        }
    ).encode()
    manifest = repo.put_manifest(raw, DOCKER_MANIFEST, tag="docker")
    assert manifest.media_type == DOCKER_MANIFEST
    listing = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": DOCKER_MANIFEST_LIST,
            "manifests": [
                {**manifest.to_go(), "platform": {"architecture": "amd64", "os": "linux"}}
            ],
        }
    ).encode()
    repo.put_manifest(listing, DOCKER_MANIFEST_LIST, tag="docker-list")
    assert repo.get_manifest("docker").content == raw
    assert repo.resolve("docker").media_type == DOCKER_MANIFEST
    fetched = repo.get_manifest("docker-list")
    assert fetched.descriptor == Descriptor(DOCKER_MANIFEST_LIST, sha256(listing), len(listing))


def test_tag_and_delete(client: RegistryClient, new_repo: Callable[[], str]) -> None:
    repo = client.repository(new_repo())
    pushed, _ = push_image(repo)
    assert repo.tag(pushed.digest, "latest") == pushed
    assert repo.list_tags() == ["1.0.0", "latest"]
    repo.delete_manifest("latest")
    with pytest.raises(RegistryNotFound):
        repo.resolve(pushed.digest)
    with pytest.raises(RegistryNotFound, match="MANIFEST_UNKNOWN"):
        repo.get_manifest("1.0.0")


def test_a_manifest_the_registry_corrupted_is_detected(
    server: RegistryServer, client: RegistryClient, new_repo: Callable[[], str]
) -> None:
    repo = client.repository(new_repo())
    pushed, raw = push_image(repo)
    hex_ = pushed.digest.split(":")[1]
    stored = server.storage / "docker/registry/v2/blobs/sha256" / hex_[:2] / hex_ / "data"
    stored.write_bytes(raw.replace(b'"org.example":"test"', b'"org.example":"TEST"'))
    with pytest.raises(DigestMismatch, match=pushed.digest):
        repo.get_manifest(pushed.digest)
    with pytest.raises(DigestMismatch):
        repo.get_manifest("1.0.0")


def test_unknown_repository_and_tag(client: RegistryClient, new_repo: Callable[[], str]) -> None:
    repo = client.repository(new_repo())
    with pytest.raises(RegistryNotFound, match="NAME_UNKNOWN"):
        repo.list_tags()
    with pytest.raises(RegistryNotFound):
        repo.resolve("nope")


@pytest.mark.parametrize("name", ["Upper/case", "a//b", "-a", "a/"])
def test_invalid_repository_names_are_refused(client: RegistryClient, name: str) -> None:
    with pytest.raises(OCMError, match="invalid repository name"):
        client.repository(name)


def test_invalid_tag_is_refused(client: RegistryClient, new_repo: Callable[[], str]) -> None:
    with pytest.raises(OCMError, match="invalid tag"):
        client.repository(new_repo()).resolve("1.0.0+build")


def push_tags(repo: RemoteRepository, count: int) -> list[str]:
    _, raw = push_image(repo, tag=None)
    tags = [f"t{i:03d}" for i in range(count)]
    for tag in tags:
        repo.put_manifest(raw, IMAGE_MANIFEST, tag=tag)
    return tags


def test_tag_listing_follows_link_pages(registry: RegistryServer) -> None:
    # distribution 2.8 ignores n/last; the proxy pages its answer as the spec says
    with fault_proxy(registry.port, paginate_tags=True) as proxy:
        with RegistryClient(proxy.url, retry=FAST_RETRIES) as c:
            repo = c.repository("pyocm-test/many-tags")
            tags = push_tags(repo, 250)
            pages = list(repo.iter_tag_pages(page_size=100))
            assert [len(p) for p in pages] == [100, 100, 50]
            assert repo.list_tags(page_size=100) == tags
        queries = [p for m, p, _ in proxy.log if m == "GET" and p.endswith("tags/list")]
        assert len(queries) == 6


def test_tag_listing_of_an_unpaginated_registry(
    client: RegistryClient, new_repo: Callable[[], str]
) -> None:
    repo = client.repository(new_repo())
    tags = push_tags(repo, 250)
    assert repo.list_tags(page_size=100) == tags


def test_referrers_by_tag_fallback(client: RegistryClient, new_repo: Callable[[], str]) -> None:
    repo = client.repository(new_repo())
    subject, _ = push_image(repo)
    empty = repo.push_bytes(b"{}", EMPTY_JSON)
    notes = repo.push_bytes(b"signed by test", "text/plain")
    signature = image_manifest(
        empty,
        [notes],
        artifact_type="application/vnd.example.signature",
        subject=subject,
        annotations={"created": "now"},
    )
    sbom = image_manifest(
        empty, [notes], artifact_type="application/vnd.example.sbom", subject=subject
    )
    sig = repo.put_manifest(signature)
    bom = repo.put_manifest(sbom)
    found = repo.referrers(subject.digest)
    assert repo.referrers_api is False
    assert [d.digest for d in found] == [sig.digest, bom.digest]
    assert found[0].artifact_type == "application/vnd.example.signature"
    assert found[0].annotations == {"created": "now"}
    assert found[0].media_type == IMAGE_MANIFEST
    assert found[0].size == sig.size
    only = repo.referrers(subject.digest, "application/vnd.example.sbom")
    assert [d.digest for d in only] == [bom.digest]
    assert referrers_tag(subject.digest) in repo.list_tags()
    # pushing the same referrer again leaves the index as it is
    repo.put_manifest(sbom)
    assert len(repo.referrers(subject.digest)) == 2


def test_no_referrers(client: RegistryClient, new_repo: Callable[[], str]) -> None:
    repo = client.repository(new_repo())
    subject, _ = push_image(repo)
    assert repo.referrers(subject.digest) == []


def test_an_image_is_written_as_a_layout_straight_from_the_registry(
    client: RegistryClient, new_repo: Callable[[], str], tmp_path: Path
) -> None:
    repo = client.repository(new_repo())
    pushed, raw = push_image(repo)
    archive = tmp_path / "image.tgz"
    with archive.open("wb") as out:
        write_layout(out, repo, pushed, tag="1.0.0")
    layout = extract_layout(archive, tmp_path / "layout", "image.tgz")
    assert layout.main_descriptor().digest == pushed.digest
    manifest = parse_manifest(raw)
    for blob in [manifest.config, *manifest.layers]:
        assert layout.blob_size(blob.digest) == blob.size
        assert repo.fetch_blob(blob.digest) == layout.blob_path(blob.digest).read_bytes()
