"""Blobs against the real registries: push and pull, monolithic and chunked, skip, mount."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.proxy import FaultProxy
from fixtures.registry import RegistryServer
from pyocm.blob import BytesBlob, FileBlob
from pyocm.errors import DigestMismatch, NotFound
from pyocm.oci.client import RegistryClient
from pyocm.oci.remote import RemoteRepository

MiB = 1 << 20


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def blob_path(storage: Path, digest: str) -> Path:
    """Where distribution's filesystem driver keeps a blob's bytes."""
    hex_ = digest.split(":")[1]
    return storage / "docker/registry/v2/blobs/sha256" / hex_[:2] / hex_ / "data"


def test_small_blob_round_trip(client: RegistryClient, new_repo: Callable[[], str]) -> None:
    repo = client.repository(new_repo())
    data = b"hello registry\n"
    pushed = repo.push_bytes(data, "text/plain")
    assert pushed.digest == sha256(data)
    assert pushed.size == len(data)
    assert pushed.media_type == "text/plain"
    assert repo.stat_blob(pushed.digest) == len(data)
    assert repo.fetch_blob(pushed.digest, len(data)) == data


def test_empty_blob_round_trip(client: RegistryClient, new_repo: Callable[[], str]) -> None:
    repo = client.repository(new_repo())
    pushed = repo.push_bytes(b"")
    assert pushed.digest == sha256(b"")
    assert repo.stat_blob(pushed.digest) == 0
    assert repo.fetch_blob(pushed.digest, 0) == b""


def test_large_blob_is_chunked_and_round_trips_through_files(
    client: RegistryClient, new_repo: Callable[[], str], tmp_path: Path
) -> None:
    data = os.urandom(5 * MiB + 123)
    source = tmp_path / "big.bin"
    source.write_bytes(data)
    repo = RemoteRepository(client, new_repo(), chunk_size=MiB)
    pushed = repo.push_blob(FileBlob(source, digest=sha256(data), size=len(data)))
    assert pushed.digest == sha256(data)
    target = repo.download_blob(pushed.digest, tmp_path / "back.bin", len(data))
    assert target.read_bytes() == data


def test_small_blob_is_one_post_and_one_put(proxied: RegistryClient, proxy: FaultProxy) -> None:
    repo = proxied.repository("pyocm-test/monolithic")
    repo.push_bytes(os.urandom(1000))
    calls = [(m, s) for m, p, s in proxy.log if "/blobs/" in p]
    assert calls == [("HEAD", 404), ("POST", 202), ("PUT", 201)]


def test_big_blob_goes_in_fixed_size_patches(
    proxied: RegistryClient, proxy: FaultProxy, tmp_path: Path
) -> None:
    data = os.urandom(3 * MiB + 5)
    repo = RemoteRepository(proxied, "pyocm-test/chunked", chunk_size=MiB)
    pushed = repo.push_blob(BytesBlob(data))
    calls = [(m, s) for m, p, s in proxy.log if "/blobs/" in p]
    assert calls == [("HEAD", 404), ("POST", 202)] + [("PATCH", 202)] * 4 + [("PUT", 201)]
    assert repo.fetch_blob(pushed.digest, limit=len(data)) == data


def test_a_blob_a_repository_has_is_not_uploaded_again(
    proxied: RegistryClient, proxy: FaultProxy
) -> None:
    repo = proxied.repository("pyocm-test/skip")
    data = os.urandom(2000)
    repo.push_bytes(data)
    proxy.log.clear()
    again = repo.push_bytes(data)
    assert again.digest == sha256(data)
    assert [(m, s) for m, _, s in proxy.log] == [("HEAD", 200)]


def test_a_blob_is_mounted_from_another_repository(
    proxied: RegistryClient, proxy: FaultProxy, new_repo: Callable[[], str]
) -> None:
    source = proxied.repository(new_repo())
    target = proxied.repository(new_repo())
    data = os.urandom(4000)
    source.push_bytes(data)
    proxy.log.clear()
    pushed = target.push_blob(BytesBlob(data), mount_from=[source.name])
    assert [(m, s) for m, _, s in proxy.log] == [("HEAD", 404), ("POST", 201)]
    assert target.fetch_blob(pushed.digest) == data


def test_mounting_what_the_source_lacks_falls_back_to_upload(
    proxied: RegistryClient, proxy: FaultProxy, new_repo: Callable[[], str]
) -> None:
    source = proxied.repository(new_repo())
    target = proxied.repository(new_repo())
    data = os.urandom(4000)
    assert target.mount_blob(sha256(data), source.name) is False
    proxy.log.clear()
    pushed = target.push_blob(BytesBlob(data), mount_from=[source.name])
    # the mount attempt opened an upload session (202), which the upload then used
    assert [(m, s) for m, _, s in proxy.log] == [("HEAD", 404), ("POST", 202), ("PUT", 201)]
    assert target.fetch_blob(pushed.digest) == data


def test_copy_blob_mounts_within_a_registry(
    client: RegistryClient, new_repo: Callable[[], str]
) -> None:
    source = client.repository(new_repo())
    target = client.repository(new_repo())
    data = os.urandom(3000)
    descriptor = source.push_bytes(data, "application/x-test")
    copied = target.copy_blob(source, descriptor)
    assert copied == descriptor
    assert target.fetch_blob(descriptor.digest) == data


def test_copy_blob_streams_between_registries(
    registry: RegistryServer,
    secure_registry: RegistryServer,
    new_repo: Callable[[], str],
) -> None:
    from fixtures.oci import make_client

    with make_client(registry) as plain, make_client(secure_registry) as secure:
        source = plain.repository(new_repo())
        target = secure.repository(new_repo())
        data = os.urandom(2 * MiB)
        descriptor = source.push_bytes(data)
        target.copy_blob(source, descriptor)
        assert target.fetch_blob(descriptor.digest, limit=len(data)) == data


def test_a_blob_the_registry_corrupted_is_detected_on_pull(
    server: RegistryServer, client: RegistryClient, new_repo: Callable[[], str], tmp_path: Path
) -> None:
    repo = client.repository(new_repo())
    data = b"A" * 10000
    pushed = repo.push_bytes(data)
    blob_path(server.storage, pushed.digest).write_bytes(b"B" * 10000)
    with pytest.raises(DigestMismatch, match=pushed.digest):
        repo.fetch_blob(pushed.digest)
    with pytest.raises(DigestMismatch):
        repo.download_blob(pushed.digest, tmp_path / "out.bin")
    assert not (tmp_path / "out.bin").exists()
    assert list(tmp_path.iterdir()) == []


def test_a_source_whose_bytes_differ_from_its_digest_is_not_completed(
    client: RegistryClient, new_repo: Callable[[], str], tmp_path: Path
) -> None:
    path = tmp_path / "file.bin"
    path.write_bytes(b"actual content")
    claimed = sha256(b"claimed content")
    repo = client.repository(new_repo())
    with pytest.raises(DigestMismatch):
        repo.push_blob(FileBlob(path, digest=claimed, size=path.stat().st_size))
    assert repo.stat_blob(claimed) is None


def test_a_missing_blob_is_not_found(client: RegistryClient, new_repo: Callable[[], str]) -> None:
    repo = client.repository(new_repo())
    missing = sha256(b"never pushed")
    assert repo.stat_blob(missing) is None
    with pytest.raises(NotFound):
        repo.blob_size(missing)
    with pytest.raises(NotFound):
        repo.fetch_blob(missing)


def test_a_blob_without_known_digest_is_hashed_first(
    client: RegistryClient, new_repo: Callable[[], str], tmp_path: Path
) -> None:
    path = tmp_path / "nodigest.bin"
    data = os.urandom(10000)
    path.write_bytes(data)
    pushed = client.repository(new_repo()).push_blob(FileBlob(path))
    assert pushed.digest == sha256(data)
    assert pushed.size == len(data)


def test_delete_blob(client: RegistryClient, new_repo: Callable[[], str]) -> None:
    repo = client.repository(new_repo())
    pushed = repo.push_bytes(b"to be deleted")
    repo.delete_blob(pushed.digest)
    assert repo.stat_blob(pushed.digest) is None
