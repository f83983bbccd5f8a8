"""The streamed layout tar: byte for byte what the layout writer packs, its size known up front,
every blob checked, nothing read before it is needed."""

from __future__ import annotations

import gzip
import io
import json
import os
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest

from pyocm.errors import DigestMismatch
from pyocm.oci.layout import graph, write_layout
from pyocm.oci.layout_tar import LayoutTar
from pyocm.oci.manifest import Descriptor, image_index, image_manifest
from pyocm.oci.mediatypes import IMAGE_INDEX, IMAGE_MANIFEST
from pyocm.repository.ctf.store import BlobStore

LAYER = "application/vnd.oci.image.layer.v1.tar"


def _image(store: BlobStore, sizes: list[int]) -> Descriptor:
    config = Descriptor("application/vnd.oci.image.config.v1+json", store.put_bytes(b"{}"), 2)
    layers = []
    for size in sizes:
        data = os.urandom(size)
        layers.append(
            Descriptor("application/vnd.oci.image.layer.v1.tar", store.put_bytes(data), size)
        )
    raw = image_manifest(config, layers)
    return Descriptor(IMAGE_MANIFEST, store.put_bytes(raw), len(raw))


@pytest.mark.parametrize("sizes", [[], [0], [1, 511, 512, 513], [10240, 10239, 3 << 20]])
def test_stream_equals_the_layout_writer_output_and_its_announced_size(
    tmp_path: Path, sizes: list[int]
) -> None:
    store = BlobStore(tmp_path)
    root = _image(store, sizes)
    packed = io.BytesIO()
    write_layout(packed, store, root, tag="1.0")
    expected = gzip.decompress(packed.getvalue())

    layout = LayoutTar(store, graph(store, root), root, "1.0")
    with layout.open() as stream:
        data = stream.read()
    assert data == expected
    assert layout.size == len(expected)


def test_an_index_and_its_manifests_are_all_in_index_json(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    first, second = _image(store, [5]), _image(store, [6])
    raw = image_index([first, second])
    root = Descriptor(IMAGE_INDEX, store.put_bytes(raw), len(raw))
    layout = LayoutTar(store, graph(store, root), root, "multi")
    with layout.open() as stream:
        data = stream.read()
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        names = tar.getnames()
        index = json.loads(tar.extractfile("index.json").read())  # type: ignore[union-attr]
    # one config shared by both images, two layers, two manifests, the index; then the files
    blobs = {f"blobs/sha256/{d.digest[7:]}" for d in (first, second, root)}
    assert len(names) == 6 + 2 and blobs <= set(names)
    assert names[-2:] == ["index.json", "oci-layout"]
    assert [m["digest"] for m in index["manifests"]] == [root.digest, first.digest, second.digest]
    assert index["manifests"][0]["annotations"] == {"org.opencontainers.image.ref.name": "multi"}


class _Lying:
    """A blob source serving other bytes than a digest names (a corrupt store)."""

    def __init__(self, store: BlobStore, digest: str, data: bytes):
        self._store, self._digest, self._data = store, digest, data

    def blob_size(self, digest: str) -> int:
        return self._store.blob_size(digest)

    @contextmanager
    def open_blob(self, digest: str, size: int = -1) -> Iterator[IO[bytes]]:
        if digest == self._digest:
            from pyocm.blob import verified

            yield verified(io.BytesIO(self._data), digest, size, f"blob {digest}")
            return
        with self._store.open_blob(digest, size) as stream:
            yield stream


def test_a_blob_that_does_not_match_its_digest_fails_the_stream(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    root = _image(store, [4096])
    layer = graph(store, root)[1]
    source = _Lying(store, layer.digest, b"x" * 4096)
    with (
        LayoutTar(source, graph(store, root), root).open() as stream,
        pytest.raises(DigestMismatch, match=layer.digest),
    ):
        stream.read()


def test_a_blob_shorter_than_its_descriptor_fails_the_stream(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    root = _image(store, [100])
    nodes = graph(store, root)
    nodes[1] = Descriptor(nodes[1].media_type, nodes[1].digest, 200)  # the descriptor lies
    with (
        LayoutTar(store, nodes, root).open() as stream,
        pytest.raises(DigestMismatch, match="200 bytes"),
    ):
        stream.read()


class _Counting:
    def __init__(self, store: BlobStore):
        self.store = store
        self.opened: list[str] = []

    def blob_size(self, digest: str) -> int:
        return self.store.blob_size(digest)

    @contextmanager
    def open_blob(self, digest: str, size: int = -1) -> Iterator[IO[bytes]]:
        self.opened.append(digest)
        with self.store.open_blob(digest, size) as stream:
            yield stream


def test_blobs_are_opened_only_when_the_stream_reaches_them(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    root = _image(store, [3 << 20, 10])
    nodes = graph(store, root)
    source = _Counting(store)
    layout = LayoutTar(source, nodes, root)
    assert source.opened == []  # the size is known without reading anything
    with layout.open() as stream:
        stream.read(513)  # the first header and the first byte of the first blob
        assert source.opened == [nodes[0].digest]
    # leaving early closes the open blob; nothing else was read
    assert source.opened == [nodes[0].digest]
