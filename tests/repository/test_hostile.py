"""Hostile CTF archives are refused and write nothing outside the extraction directory."""

from __future__ import annotations

import gzip
import io
import tarfile
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from pyocm.blob import BytesBlob
from pyocm.descriptor import Resource
from pyocm.errors import OCMError
from pyocm.oci.tarsafe import Limits, UnsafeArchive
from pyocm.repository import open_repository
from pyocm.repository.ctf import open_ctf

INDEX = b'{"schemaVersion":1,"artifacts":null}'


def _file(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes | None]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def _special(name: str, kind: bytes, linkname: str = "") -> tuple[tarfile.TarInfo, bytes | None]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info, None


def _archive(path: Path, entries: list[tuple[tarfile.TarInfo, bytes | None]], gz: bool) -> Path:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as tar:
        index, _ = _file("artifact-index.json", INDEX)
        tar.addfile(index, io.BytesIO(INDEX))
        for info, data in entries:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    raw = buffer.getvalue()
    path.write_bytes(gzip.compress(raw) if gz else raw)
    return path


ABSOLUTE_TARGET = Path("/tmp") / f"pyocm-evil-{uuid.uuid4().hex}"

HOSTILE: dict[str, tuple[list[tuple[tarfile.TarInfo, bytes | None]], str]] = {
    "dot-dot": ([_file("../evil", b"pwned")], "entry '../evil' points outside the archive"),
    "nested dot-dot": (
        [_file("blobs/../../evil", b"pwned")],
        "entry 'blobs/../../evil' points outside the archive",
    ),
    "absolute": ([_file(str(ABSOLUTE_TARGET), b"pwned")], "has an absolute path"),
    "symlink": (
        [_special("blobs/sha256." + "a" * 64, tarfile.SYMTYPE, "/etc/passwd")],
        "is a symbolic link",
    ),
    "hardlink": (
        [_special("blobs/sha256." + "b" * 64, tarfile.LNKTYPE, "/etc/passwd")],
        "is a hard link",
    ),
    "character device": ([_special("blobs/null", tarfile.CHRTYPE)], "is a character device"),
    "block device": ([_special("blobs/disk", tarfile.BLKTYPE)], "is a block device"),
    "fifo": ([_special("blobs/fifo", tarfile.FIFOTYPE)], "is a FIFO"),
}


@pytest.mark.parametrize("gz", [False, True], ids=["tar", "tgz"])
@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_entries_are_refused(tmp_path: Path, case: str, gz: bool) -> None:
    entries, message = HOSTILE[case]
    inside = tmp_path / "inside"
    inside.mkdir()
    archive = _archive(inside / "ctf.tar", entries, gz)
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(UnsafeArchive, match=message) as info:
        open_repository(str(archive), temp_dir=work)
    assert str(archive) in str(info.value)
    assert "\n" not in str(info.value)
    assert list(work.iterdir()) == [], "extraction directory not cleaned up"
    assert not (tmp_path / "evil").exists()
    assert not (inside / "evil").exists()
    assert not ABSOLUTE_TARGET.exists()
    assert sorted(p.name for p in inside.iterdir()) == ["ctf.tar"]


def test_declared_size_bomb_is_refused_before_reading(tmp_path: Path) -> None:
    # a tgz of a few hundred bytes whose only entry claims 2 GiB
    header = tarfile.TarInfo("blobs/sha256." + "c" * 64)
    header.size = 2 << 30
    raw = header.tobuf(format=tarfile.GNU_FORMAT) + b"\0" * 4096
    archive = tmp_path / "bomb.tgz"
    archive.write_bytes(gzip.compress(raw))
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(UnsafeArchive, match="expands to more than 1073741824 bytes"):
        open_repository(str(archive), temp_dir=work)
    assert list(work.iterdir()) == []


def test_gzip_bomb_is_refused_under_configured_limits(tmp_path: Path) -> None:
    zeros = b"\0" * (8 << 20)
    archive = _archive(tmp_path / "bomb.tgz", [_file("blobs/sha256." + "d" * 64, zeros)], True)
    assert archive.stat().st_size < 64 << 10
    limits = Limits(max_ratio=100, min_bytes=1 << 20)
    work = tmp_path / "work"
    work.mkdir()
    with pytest.raises(UnsafeArchive, match="expands to more than"):
        open_repository(str(archive), temp_dir=work, limits=limits)
    assert list(work.iterdir()) == []
    # the same archive is fine under the defaults (8 MiB < 1 GiB)
    with open_repository(str(archive), temp_dir=work) as repo:
        assert repo.blobs.list() == ["sha256:" + "d" * 64]


def test_ctf_nested_under_a_directory_gets_a_hint(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        info, _ = _file("somedir/artifact-index.json", INDEX)
        tar.addfile(info, io.BytesIO(INDEX))
    archive = tmp_path / "nested.tar"
    archive.write_bytes(buffer.getvalue())
    with pytest.raises(OCMError, match="must hold the CTF at its root"):
        open_repository(str(archive), temp_dir=tmp_path)


def test_unknown_entries_are_ignored(tmp_path: Path) -> None:
    archive = _archive(
        tmp_path / "ctf.tar",
        [_file("README", b"hi"), _file("blobs/.partial", b"x"), _file("blobs/a/b", b"y")],
        gz=False,
    )
    with open_repository(str(archive)) as repo:
        assert sorted(p.name for p in repo.root.iterdir()) == ["artifact-index.json"]


def _layout(entries: list[tuple[tarfile.TarInfo, bytes | None]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for info, data in entries:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return buffer.getvalue()


LAYOUT_CASES: dict[str, Callable[[], bytes]] = {
    "symlink": lambda: _layout([_special("index.json", tarfile.SYMTYPE, "/etc/passwd")]),
    "dot-dot": lambda: _layout([_file("../index.json", b"{}")]),
}


@pytest.mark.parametrize("case", list(LAYOUT_CASES))
def test_hostile_oci_layout_local_blob_is_refused(tmp_path: Path, case: str) -> None:
    blob = BytesBlob(LAYOUT_CASES[case](), "application/vnd.ocm.software.oci.layout.v1+tar")
    work = tmp_path / "work"
    work.mkdir()
    with (
        open_ctf(tmp_path / "ctf", mode="create", temp_dir=work) as repo,
        pytest.raises(UnsafeArchive, match="refusing OCI image layout"),
    ):
        repo.add_local_resource(
            "acme.org/app", "1.0.0", Resource(name="img", version="1", type="ociImage"), blob
        )
    assert list(work.iterdir()) == []
