"""Checking the content of one component version reads its manifest once, not once per blob.

A manifest lists every local blob, so reading it again for each blob made `verify cv`
quadratic in their number.  The reads are counted at the store (a real CTF, and a real
registry), through a wrapper that only counts.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from fixtures.ocm_registry import new_sub_path, open_on
from fixtures.registry import RegistryServer
from pyocm.access.digests import content_digest
from pyocm.blob import BytesBlob
from pyocm.descriptor import Component, Descriptor, Digest, Provider, Resource
from pyocm.errors import DigestMismatch
from pyocm.repository.ctf.ocistore import CTFStore
from pyocm.repository.ocm import OCMRepository
from pyocm.signing.content import check_content

COMPONENT = "acme.org/many"
BLOBS = 60
MANIFEST_READS = ("get_tagged", "fetch_manifest", "tagged")


class CountingStore:
    """An OCI store that counts the calls which read a manifest, and otherwise delegates."""

    def __init__(self, inner: Any):
        self.inner = inner
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)
        if name not in MANIFEST_READS:
            return attr

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return attr(*args, **kwargs)

        return counted


def _add_version(repo: OCMRepository, version: str, count: int, salt: str = "") -> None:
    resources = []
    for i in range(count):
        content = f"content {i}{salt}".encode()
        digest = Digest("SHA-256", "genericBlobDigest/v1", hashlib.sha256(content).hexdigest())
        resource = Resource(name=f"r{i}", version="1.0.0", type="plainText", digest=digest)
        resources.append(
            repo.add_local_resource(COMPONENT, version, resource, BytesBlob(content, "text/plain"))
        )
    repo.add_component_version(_descriptor(version, resources), replace=True)


def _descriptor(version: str, resources: list[Resource]) -> Descriptor:
    return Descriptor(Component(COMPONENT, version, Provider("acme"), resources=resources))


def _check_all(repo: OCMRepository, version: str) -> None:
    descriptor = repo.get_component_version(COMPONENT, version)
    notes = check_content(
        descriptor,
        digest_of=lambda cd, resource: content_digest(repo, cd, resource),
        resolve=repo.get_component_version,
    )
    assert notes == []


def _counting(repo: OCMRepository) -> CountingStore:
    counting = CountingStore(repo.store)
    repo.store = counting  # type: ignore[assignment]
    return counting


def test_checking_a_ctf_version_reads_its_manifest_once(tmp_path: Path) -> None:
    with OCMRepository(CTFStore(tmp_path / "ctf", writable=True)) as repo:
        _add_version(repo, "1.0.0", BLOBS)
    with OCMRepository(CTFStore(tmp_path / "ctf", writable=False)) as repo:
        counting = _counting(repo)
        _check_all(repo, "1.0.0")
        assert sum(counting.calls.values()) == 1, counting.calls


def test_a_moved_tag_is_read_again(tmp_path: Path) -> None:
    """A version replaced by another writer is not answered from the old manifest."""
    with (
        OCMRepository(CTFStore(tmp_path / "ctf", writable=True)) as reader,
        OCMRepository(CTFStore(tmp_path / "ctf", writable=True)) as writer,
    ):
        _add_version(writer, "1.0.0", 3)
        _check_all(reader, "1.0.0")
        _add_version(writer, "1.0.0", 4, salt="-replaced")
        _check_all(reader, "1.0.0")
        new = reader.get_component_version(COMPONENT, "1.0.0").component.resources[3]
        with reader.get_local_blob(COMPONENT, "1.0.0", new.access).open() as stream:
            assert stream.read() == b"content 3-replaced"


def test_changed_content_still_fails_with_the_manifest_kept(tmp_path: Path) -> None:
    """Keeping the manifest keeps no blob: a blob changed on disk still fails its digest."""
    with OCMRepository(CTFStore(tmp_path / "ctf", writable=True)) as repo:
        _add_version(repo, "1.0.0", 3)
        descriptor = repo.get_component_version(COMPONENT, "1.0.0")
        _check_all(repo, "1.0.0")
        reference = descriptor.component.resources[1].access.properties["localReference"]
        assert isinstance(reference, str)
        blob_file = tmp_path / "ctf" / "blobs" / reference.replace(":", ".")
        blob_file.write_bytes(b"content X")
        with pytest.raises(DigestMismatch):
            _check_all(repo, "1.0.0")


def test_checking_a_registry_version_reads_its_manifest_once(registry: RegistryServer) -> None:
    sub_path = new_sub_path()
    with open_on(registry, sub_path) as repo:
        _add_version(repo, "1.0.0", BLOBS)
    with open_on(registry, sub_path, "r") as repo:
        counting = _counting(repo)
        _check_all(repo, "1.0.0")
        assert sum(counting.calls.values()) == 1, counting.calls
