"""OCI image layouts held as tar or tgz: reading them safely, walking graphs, writing them.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from pyocm.oci.layout import extract_layout, write_layout
    >>> from pyocm.oci.manifest import Descriptor, image_manifest
    >>> from pyocm.oci.mediatypes import IMAGE_MANIFEST
    >>> from pyocm.repository.ctf.store import BlobStore
    >>> store = BlobStore(Path(tempfile.mkdtemp()))
    >>> config = Descriptor("application/vnd.oci.empty.v1+json", store.put_bytes(b"{}"), 2)
    >>> raw = image_manifest(config, [])
    >>> root = Descriptor(IMAGE_MANIFEST, store.put_bytes(raw), len(raw))
    >>> archive = Path(tempfile.mkdtemp()) / "image.tgz"
    >>> with archive.open("wb") as out:
    ...     write_layout(out, store, root, tag="1.0.0")
    >>> layout = extract_layout(archive, Path(tempfile.mkdtemp()), "image.tgz")
    >>> layout.main_descriptor().digest == root.digest
    True

A layout is ``oci-layout``, ``index.json`` and ``blobs/<algorithm>/<hex>``.  Reading accepts the
entries in any order (Go writes ``index.json`` last, other tools first), ignores extra files
such as ``ingest/``, takes a missing ``mediaType`` from the JSON itself, and verifies every blob
against its digest while it is copied.  Writing follows Go v2: blobs first, then ``index.json``
and ``oci-layout``, the root tagged with ``org.opencontainers.image.ref.name``.
"""

from __future__ import annotations

import gzip
import io
import os
import shutil
import tarfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Protocol

from pyocm._internal.gojson import marshal
from pyocm.blob import verified
from pyocm.errors import NotFound, OCMError
from pyocm.oci import digests
from pyocm.oci.manifest import (
    MAX_MANIFEST_SIZE,
    Descriptor,
    Index,
    parse_index,
    parse_json_object,
    sniff_media_type,
    successors,
)
from pyocm.oci.mediatypes import ANNOTATION_REF_NAME, is_index_type, is_manifest_type
from pyocm.oci.tarsafe import DEFAULT_LIMITS, Limits, check_entry, is_gzip, regular_files

LAYOUT_FILE = "oci-layout"
INDEX_FILE = "index.json"
LAYOUT_CONTENT = b'{"imageLayoutVersion":"1.0.0"}'

_COPY_CHUNK = 1 << 20


class BlobSource(Protocol):
    """Where the blobs of an OCI graph can be read, each verified against its digest."""

    def blob_size(self, digest: str) -> int:
        """The stored size of the blob; raises :class:`pyocm.errors.NotFound` when absent."""
        ...

    def open_blob(self, digest: str, size: int = -1) -> AbstractContextManager[IO[bytes]]:
        """A stream of the blob that verifies digest (and ``size`` if >= 0) at its end."""
        ...


def read_blob(source: BlobSource, digest: str, limit: int, size: int = -1) -> bytes:
    """All bytes of a small blob, verified; refuses blobs larger than ``limit``."""
    actual = source.blob_size(digest)
    if actual > limit:
        raise OCMError(f"blob {digest} has {actual} bytes, more than the {limit} allowed here")
    with source.open_blob(digest, size) as stream:
        return stream.read()


@dataclass
class ImageLayout:
    """An OCI image layout unpacked into a directory."""

    root: Path
    index: Index

    def blob_path(self, digest: str) -> Path:
        """Where the blob ``digest`` lives inside the layout directory."""
        algorithm, _, hexpart = digests.check_digest(digest).partition(":")
        return self.root / "blobs" / algorithm / hexpart

    def blob_size(self, digest: str) -> int:
        """The size of a blob of the layout."""
        try:
            return self.blob_path(digest).stat().st_size
        except FileNotFoundError:
            raise NotFound(f"blob {digest} is missing from the OCI image layout") from None

    @contextmanager
    def open_blob(self, digest: str, size: int = -1) -> Iterator[IO[bytes]]:
        """A verified stream of a blob of the layout."""
        path = self.blob_path(digest)
        try:
            f = path.open("rb")
        except FileNotFoundError:
            raise NotFound(f"blob {digest} is missing from the OCI image layout") from None
        with f:
            yield verified(f, digest, size, f"OCI layout blob {digest}")

    def main_descriptor(self) -> Descriptor:
        """The layout's top-level artifact (see :func:`main_descriptor`)."""
        return main_descriptor(self.index, self)


class TarLayout:
    """An OCI image layout read where it lies, in an uncompressed tar file (no unpacking).

    Entries are checked as :mod:`pyocm.oci.tarsafe` checks them; each blob is read from its
    offset in the file through a handle of its own, so several can be read at once.
    """

    def __init__(self, archive: Path, what: str):
        self.archive = archive
        self._entries: dict[str, tuple[int, int]] = {}
        index_raw: bytes | None = None
        try:
            with tarfile.open(archive, mode="r:") as tar:
                for member in tar:
                    name = check_entry(member, what)
                    if member.isdir():
                        continue
                    if name == INDEX_FILE:
                        stream = tar.extractfile(member)
                        assert stream is not None
                        index_raw = _read_limited(stream, MAX_MANIFEST_SIZE, f"{what}: {name}")
                        continue
                    digest = _blob_digest(name)
                    if digest is not None:
                        self._entries[digest] = (member.offset_data, member.size)
        except tarfile.TarError as e:
            raise OCMError(f"{what} is not a valid tar archive: {e}") from None
        if index_raw is None:
            raise OCMError(f"{what} is not an OCI image layout: {INDEX_FILE} is missing")
        self.index = parse_index(index_raw, f"{what}: {INDEX_FILE}")

    def blob_size(self, digest: str) -> int:
        """The size of a blob of the layout."""
        return self._entry(digest)[1]

    @contextmanager
    def open_blob(self, digest: str, size: int = -1) -> Iterator[IO[bytes]]:
        """A verified stream of a blob of the layout."""
        offset, length = self._entry(digest)
        with self.archive.open("rb") as f:
            f.seek(offset)
            stream = io.BufferedReader(_Slice(f, length), _COPY_CHUNK)
            yield verified(stream, digest, size, f"OCI layout blob {digest}")

    def main_descriptor(self) -> Descriptor:
        """The layout's top-level artifact (see :func:`main_descriptor`)."""
        return main_descriptor(self.index, self)

    def _entry(self, digest: str) -> tuple[int, int]:
        found = self._entries.get(digests.check_digest(digest))
        if found is None:
            raise NotFound(f"blob {digest} is missing from the OCI image layout")
        return found


class _Slice(io.RawIOBase):
    """``length`` bytes of ``f`` from where it stands."""

    def __init__(self, f: IO[bytes], length: int):
        self._f = f
        self._left = length

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._left <= 0:
            return 0
        data = self._f.read(min(len(buffer), self._left))
        buffer[: len(data)] = data
        self._left -= len(data)
        return len(data)


def main_descriptor(index: Index, source: BlobSource) -> Descriptor:
    """The top-level artifact of a layout (Go v2's rule for ingesting a layout).

    The single entry of ``index.json``, or else the only entry carrying
    ``org.opencontainers.image.ref.name``.  The media type is filled in from the manifest
    itself when the index entry lacks it.
    """
    entries = index.manifests
    if len(entries) == 1:
        chosen = entries[0]
    else:
        named = [e for e in entries if e.annotations.get(ANNOTATION_REF_NAME)]
        if len(named) != 1:
            raise OCMError(
                f"OCI image layout has {len(entries)} manifests in index.json and "
                f"{len(named)} of them carry {ANNOTATION_REF_NAME}: cannot tell which one "
                "is the artifact (expected exactly one entry, or exactly one named entry)"
            )
        chosen = named[0]
    if not chosen.media_type:
        raw = read_blob(source, chosen.digest, MAX_MANIFEST_SIZE, chosen.size)
        chosen = replace(chosen, media_type=sniff_media_type(parse_json_object(raw, "manifest")))
    return chosen


def open_layout_archive(
    archive: Path, scratch: Path, what: str, limits: Limits = DEFAULT_LIMITS
) -> ImageLayout | TarLayout:
    """The OCI image layout in the tar or tgz file ``archive``: an uncompressed one read where
    it lies, a compressed one unpacked below the directory ``scratch`` (which must outlive the
    result)."""
    if not is_gzip(archive):
        return TarLayout(archive, what)
    unpacked = scratch / "layout"
    unpacked.mkdir()
    return extract_layout(archive, unpacked, what, limits)


def extract_layout(
    archive: Path, dest: Path, what: str, limits: Limits = DEFAULT_LIMITS
) -> ImageLayout:
    """Unpack the layout tar or tgz at ``archive`` into the empty directory ``dest``.

    Only ``index.json``, ``oci-layout`` and well-named ``blobs/<algorithm>/<hex>`` entries are
    written; each blob is verified against its name while it is copied.
    """
    index_raw: bytes | None = None
    for name, stream in regular_files(archive, what, limits):
        if name == INDEX_FILE:
            index_raw = _read_limited(stream, MAX_MANIFEST_SIZE, f"{what}: {INDEX_FILE}")
        elif name == LAYOUT_FILE:
            (dest / LAYOUT_FILE).write_bytes(_read_limited(stream, 4096, f"{what}: {LAYOUT_FILE}"))
        else:
            digest = _blob_digest(name)
            if digest is not None:
                _copy_verified(stream, dest, digest, f"{what}: {name}")
    if index_raw is None:
        raise OCMError(f"{what} is not an OCI image layout: {INDEX_FILE} is missing")
    (dest / INDEX_FILE).write_bytes(index_raw)
    return ImageLayout(dest, parse_index(index_raw, f"{what}: {INDEX_FILE}"))


def graph(source: BlobSource, root: Descriptor) -> list[Descriptor]:
    """Every descriptor reachable from ``root``, children before parents, each digest once.

    Manifests and indexes are read (and verified) to find their successors; their media type
    is filled in from their JSON when the pointing descriptor lacks it.
    """
    order: list[Descriptor] = []
    seen: set[str] = set()

    def visit(descriptor: Descriptor, node: bool) -> None:
        if descriptor.digest in seen:
            return
        seen.add(descriptor.digest)
        if node or is_manifest_type(descriptor.media_type):
            raw = read_blob(source, descriptor.digest, MAX_MANIFEST_SIZE, descriptor.size)
            if not descriptor.media_type:
                media_type = sniff_media_type(parse_json_object(raw, descriptor.digest))
                descriptor = replace(descriptor, media_type=media_type)
            children_are_nodes = is_index_type(descriptor.media_type)
            for child in successors(descriptor, raw):
                visit(child, children_are_nodes)
        order.append(descriptor)

    visit(root, True)
    return order


def write_layout(
    out: IO[bytes], source: BlobSource, root: Descriptor, tag: str | None = None
) -> None:
    """Write the graph of ``root`` as a gzipped OCI image layout tar to ``out``.

    Blobs come first, then ``index.json`` (root first, tagged ``tag`` when given, then the
    nested manifests by digest) and ``oci-layout``, as Go v2 writes layouts.
    """
    nodes = graph(source, root)
    with (
        gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=6) as zipped,
        tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        for descriptor in nodes:
            size = source.blob_size(descriptor.digest)
            algorithm, _, hexpart = descriptor.digest.partition(":")
            info = _file_info(f"blobs/{algorithm}/{hexpart}", size)
            with source.open_blob(descriptor.digest, size) as stream:
                tar.addfile(info, stream)
                if stream.read(1):
                    raise OCMError(f"blob {descriptor.digest} grew while it was being copied")
        index_raw = layout_index(nodes, root, tag)
        tar.addfile(_file_info(INDEX_FILE, len(index_raw)), io.BytesIO(index_raw))
        tar.addfile(_file_info(LAYOUT_FILE, len(LAYOUT_CONTENT)), io.BytesIO(LAYOUT_CONTENT))


def write_layout_directory(
    directory: Path, source: BlobSource, root: Descriptor, tag: str | None = None
) -> None:
    """Write the graph of ``root`` as an OCI image layout into the new directory ``directory``.

    The files are those :func:`write_layout` packs (the same ``index.json``), each blob
    verified while it is copied; nothing is compressed.
    """
    nodes = graph(source, root)
    directory.mkdir()
    for descriptor in nodes:
        algorithm, _, hexpart = descriptor.digest.partition(":")
        target = directory / "blobs" / algorithm / hexpart
        target.parent.mkdir(parents=True, exist_ok=True)
        with source.open_blob(descriptor.digest, descriptor.size) as stream, target.open("wb") as f:
            shutil.copyfileobj(stream, f, _COPY_CHUNK)
    (directory / INDEX_FILE).write_bytes(layout_index(nodes, root, tag))
    (directory / LAYOUT_FILE).write_bytes(LAYOUT_CONTENT)


def layout_index(nodes: list[Descriptor], root: Descriptor, tag: str | None) -> bytes:
    """``index.json`` of a layout of ``nodes``: the root first (tagged ``tag``), then the
    other manifests, each with its annotations but no other ref name (Go v2's form)."""
    entries = []
    for descriptor in nodes:
        if not is_manifest_type(descriptor.media_type):
            continue
        annotations = dict(descriptor.annotations)
        annotations.pop(ANNOTATION_REF_NAME, None)
        if descriptor.digest == root.digest and tag:
            annotations[ANNOTATION_REF_NAME] = tag
        entries.append(replace(descriptor, annotations=annotations))
    entries.sort(key=lambda d: d.digest != root.digest)
    return marshal({"schemaVersion": 2, "manifests": [e.to_go() for e in entries]})


def _file_info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o644
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def _blob_digest(name: str) -> str | None:
    parts = name.split("/")
    if len(parts) != 3 or parts[0] != "blobs":
        return None
    candidate = f"{parts[1]}:{parts[2]}"
    return candidate if digests.is_digest(candidate) else None


def _read_limited(stream: IO[bytes], limit: int, what: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise OCMError(f"{what} is larger than {limit} bytes")
    return data


def _copy_verified(stream: IO[bytes], dest: Path, digest: str, what: str) -> None:
    algorithm, _, hexpart = digest.partition(":")
    directory = dest / "blobs" / algorithm
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / hexpart
    partial = directory / f".{hexpart}.partial"
    try:
        with partial.open("wb") as out:
            shutil.copyfileobj(verified(stream, digest, -1, what), out, _COPY_CHUNK)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
