"""Blob integrity in a CTF: every read is verified, only well-named blob files count."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pyocm.errors import DigestMismatch
from pyocm.repository import open_repository
from pyocm.repository.ctf.store import BlobStore

COMPONENT = "github.com/acme.org/helloworld"
TEST_BLOB = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
MANIFEST = "sha256:6d776ef2c9c156ca260a67b335435f4ef20a1c8e777afee89148b06d5688e753"


@pytest.fixture
def ctf_copy(vectors: Path, tmp_path: Path) -> Path:
    target = tmp_path / "ctf"
    shutil.copytree(vectors / "ctf/01/transport-archive", target)
    for path in (target, target / "blobs"):
        path.chmod(0o755)
    return target


def _overwrite(ctf: Path, digest: str, data: bytes) -> Path:
    path = ctf / "blobs" / digest.replace(":", ".")
    path.chmod(0o644)
    path.write_bytes(data)
    return path


def test_corrupted_local_blob_fails_with_a_mismatch_naming_it(ctf_copy: Path) -> None:
    _overwrite(ctf_copy, TEST_BLOB, b"tesT")
    with open_repository(str(ctf_copy)) as repo:
        resource = repo.get_component_version(COMPONENT, "1.0.0").component.resources[0]
        assert resource.access is not None
        blob = repo.get_local_blob(COMPONENT, "1.0.0", resource.access)
        with pytest.raises(DigestMismatch) as info, blob.open() as stream:
            stream.read()
    assert TEST_BLOB in str(info.value)
    assert "sha256.9f86d081" in str(info.value)


def test_truncated_local_blob_fails_on_its_size(ctf_copy: Path) -> None:
    _overwrite(ctf_copy, TEST_BLOB, b"tes")
    with open_repository(str(ctf_copy)) as repo:
        resource = repo.get_component_version(COMPONENT, "1.0.0").component.resources[0]
        assert resource.access is not None
        with (
            pytest.raises(DigestMismatch, match=TEST_BLOB),
            repo.get_local_blob(COMPONENT, "1.0.0", resource.access).open() as stream,
        ):
            stream.read()


def test_corrupted_manifest_fails_reading_the_version(ctf_copy: Path) -> None:
    path = ctf_copy / "blobs" / MANIFEST.replace(":", ".")
    original = path.read_bytes()
    _overwrite(ctf_copy, MANIFEST, original.replace(b"OCM Go Library", b"OCM Go Libr4ry"))
    with open_repository(str(ctf_copy)) as repo, pytest.raises(DigestMismatch, match=MANIFEST):
        repo.get_component_version(COMPONENT, "1.0.0")


def test_corrupted_blob_inside_a_tar_fails_on_read(vectors: Path, tmp_path: Path) -> None:
    data = (vectors / "ctf/01/transport-archive.tar").read_bytes()
    # the 4-byte blob "test" is stored once in the tar, in its own 512-byte block
    assert data.count(b"test\0") == 1
    corrupted = tmp_path / "corrupted.tar"
    corrupted.write_bytes(data.replace(b"test\0", b"tesT\0"))
    with open_repository(str(corrupted)) as repo:
        resource = repo.get_component_version(COMPONENT, "1.0.0").component.resources[0]
        assert resource.access is not None
        with (
            pytest.raises(DigestMismatch, match=TEST_BLOB),
            repo.get_local_blob(COMPONENT, "1.0.0", resource.access).open() as stream,
        ):
            stream.read()


def test_only_well_named_blob_files_are_listed(ctf_copy: Path) -> None:
    blobs = ctf_copy / "blobs"
    (blobs / f".{TEST_BLOB.replace(':', '.')}.12345").write_bytes(b"partial")
    (blobs / "sha256.NOTHEX").write_bytes(b"x")
    (blobs / "sha256.abc").write_bytes(b"too short")
    (blobs / "README").write_bytes(b"x")
    os.mkdir(blobs / "sha256")
    assert len(BlobStore(ctf_copy).list()) == 4
    assert TEST_BLOB in BlobStore(ctf_copy).list()


def test_put_bytes_is_atomic_and_read_only(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    digest = store.put_bytes(b"test")
    assert digest == TEST_BLOB
    path = store.path_of(digest)
    assert path.read_bytes() == b"test"
    assert path.stat().st_mode & 0o777 == 0o444
    assert [p.name for p in (tmp_path / "blobs").iterdir()] == [path.name]
