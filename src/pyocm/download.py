"""Writing a resource's content to disk, unpacking archives on the way as Go v2 does.

    >>> from pyocm.download import download_resource                           # doctest: +SKIP
    >>> download_resource("./transport-archive//acme.org/app:1.0.0",            # doctest: +SKIP
    ...                   {"name": "chart"}, "chart-dir")
    PosixPath('chart-dir')

With the ``auto`` extraction policy, gzip content (a ``+gzip`` or gzip media type) is
decompressed, and tar content (``application/tar``, ``application/x-tar`` or ``…+tar``, which
includes OCI image layouts) is unpacked into the directory ``output``; anything else is written
to the file ``output``.  ``disable`` writes the bytes exactly as stored.  The blob's digest is
verified before anything appears at ``output``: content goes to a temporary name beside it
and is renamed into place only when complete and verified.

A *transformer* (:data:`pyocm.transformers.TRANSFORMERS`) may turn the content into something
else first, as the Go CLI's ``--transformer``: ``helm`` gives a tar of the chart archive and
its provenance file (:mod:`pyocm.transformers.helm`), so ``auto`` writes a directory holding
exactly those.
"""

from __future__ import annotations

import gzip
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal

from pyocm.access import open_blob
from pyocm.blob import Blob
from pyocm.descriptor.identity import identity_text, matches
from pyocm.errors import NotFound, OCMError
from pyocm.oci.tarsafe import regular_files
from pyocm.repository import RepositorySpec, open_repository, parse_component_reference
from pyocm.repository.stored_blobs import LayoutBlob
from pyocm.transformers import TRANSFORMERS, Transformer

if TYPE_CHECKING:
    from pyocm.access.context import AccessContext
    from pyocm.repository.ocm import OCMRepository

Progress = Callable[[int, int], None]
"""Called with the bytes written so far and the total (``-1`` when unknown)."""

ExtractionPolicy = Literal["auto", "disable"]
CHUNK_SIZE = 1 << 20

_TAR_TYPES = ("application/tar", "application/x-tar")
_GZIP_TYPES = ("application/gzip", "application/x-gzip")


def download_resource(
    reference: str,
    identity: Mapping[str, str],
    output: str | Path | None = None,
    *,
    extraction: ExtractionPolicy = "auto",
    opener: Callable[[RepositorySpec], OCMRepository] = open_repository,
    context: AccessContext | None = None,
    transformer: str = "",
    progress: Progress | None = None,
) -> Path:
    """Download the resource of the component version ``reference`` matching ``identity``.

    ``reference`` is a component reference with version (``repo//component:version``); the
    first resource whose identity contains every pair of ``identity`` is taken.  ``output``
    defaults to the resource name in the current directory.  ``opener`` opens the repository
    (default :func:`pyocm.repository.open_repository`, anonymous for registries); ``context``
    gives credentials for content elsewhere (an ``ociArtifact`` in another registry).
    ``transformer`` names one of :data:`TRANSFORMERS` to apply first (an unknown name is an
    error listing the known ones).  ``progress`` is called as the content is written (see
    :func:`write_blob`).  Returns the path written.
    """
    _transformer(transformer)  # an unknown name fails before anything is opened
    ref = parse_component_reference(reference)
    if not ref.version:
        raise OCMError(f"{reference}: a version is required to download a resource")
    with opener(ref.repository) as repo:
        descriptor = repo.get_component_version(ref.component, ref.version)
        candidates = [r for r in descriptor.component.resources if matches(r, identity)]
        if not candidates:
            raise NotFound(
                f"no resource found matching identity {identity_text(identity)}: "
                "expected exactly one resource candidate to download, got 0"
            )
        resource = candidates[0]
        target = Path(output) if output is not None else Path(resource.name)
        blob = open_blob(repo, descriptor, resource, context)
        return download_blob(
            blob,
            target,
            transformer=transformer,
            extraction=extraction,
            progress=progress,
            what=f"resource {resource.name!r}",
        )


def download_blob(
    blob: Blob,
    output: Path,
    *,
    transformer: str = "",
    extraction: ExtractionPolicy = "auto",
    progress: Progress | None = None,
    what: str = "the content",
) -> Path:
    """Write ``blob`` to ``output`` as :func:`download_resource` writes a resource: transformed
    first by the transformer named ``transformer`` (none when empty), then under the extraction
    policy (:func:`write_blob`).  ``what`` names the content in messages.  Returns ``output``.
    """
    transform = _transformer(transformer)
    if transform is None:
        return write_blob(blob, output, extraction, progress)
    with tempfile.TemporaryDirectory(prefix="pyocm-transform-") as scratch:
        transformed = transform(blob, Path(scratch), what)
        return write_blob(transformed, output, extraction, progress)


def _transformer(name: str) -> Transformer | None:
    """The transformer called ``name`` (None for no name); an unknown name is an error listing
    the known ones."""
    if not name:
        return None
    transform = TRANSFORMERS.get(name)
    if transform is None:
        raise OCMError(
            f"transformer {name!r} not found, available transformers: "
            f"{', '.join(sorted(TRANSFORMERS))}"
        )
    return transform


def write_blob(
    blob: Blob,
    output: Path,
    extraction: ExtractionPolicy = "auto",
    progress: Progress | None = None,
) -> Path:
    """Write ``blob`` to ``output`` under the extraction policy; returns ``output``.

    ``progress(done, total)`` is called after each chunk read from the blob, with the bytes
    read so far and the blob's size (``-1`` when unknown).
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    media_type = blob.media_type.strip()
    # Content is staged beside the output so the final rename is atomic; a device or pipe
    # (/dev/stdout, a FIFO) cannot be renamed over, so it is staged in the temp dir and copied.
    staging = None if _is_special(output) else output.parent
    with tempfile.TemporaryDirectory(prefix=".ocm-download-", dir=staging) as work:
        if extraction == "auto" and isinstance(blob, LayoutBlob):
            tree = Path(work) / "tree"
            blob.unpack(tree)  # the layout archive's content, without packing it first
            return _place_directory(tree, output)
        raw = Path(work) / "blob"
        with blob.open() as stream, raw.open("wb") as f:
            _copy(stream, f, progress, blob.size)
        if extraction == "disable":
            return _place_file(raw, output)
        # "+gzip" may follow parameters ("text/plain; charset=utf-8+gzip" from compressed inputs).
        inner = media_type.removesuffix("+gzip")
        essence = inner.split(";")[0].strip()
        gzipped = inner != media_type or essence in _GZIP_TYPES
        if essence in _TAR_TYPES or essence.endswith("+tar"):
            return _place_directory(_unpack(raw, Path(work) / "tree", str(output)), output)
        if gzipped:
            plain = Path(work) / "plain"
            try:
                with gzip.open(raw, "rb") as src, plain.open("wb") as dst:
                    _copy(src, dst)
            except (OSError, EOFError) as e:
                raise OCMError(f"cannot decompress the content for {output}: {e}") from None
            return _place_file(plain, output)
        return _place_file(raw, output)


def _copy(
    src: IO[bytes] | gzip.GzipFile,
    dst: IO[bytes],
    progress: Progress | None = None,
    total: int = -1,
) -> None:
    done = 0
    while chunk := src.read(CHUNK_SIZE):
        dst.write(chunk)
        if progress is not None:
            done += len(chunk)
            progress(done, total)


def _unpack(archive: Path, tree: Path, what: str) -> Path:
    tree.mkdir()
    for name, stream in regular_files(archive, f"the archive for {what}"):
        dest = tree / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        with dest.open("wb") as f:
            _copy(stream, f)
    return tree


def _is_special(path: Path) -> bool:
    """Whether ``path`` exists as something other than a regular file or a directory."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _place_file(source: Path, output: Path) -> Path:
    if output.is_dir():
        raise OCMError(f"cannot write {output}: it is a directory")
    if _is_special(output):
        with source.open("rb") as src, output.open("wb") as dst:
            _copy(src, dst)
        return output
    os.replace(source, output)
    return output


def _place_directory(tree: Path, output: Path) -> Path:
    if output.exists():
        if not output.is_dir() or any(output.iterdir()):
            raise OCMError(f"cannot unpack into {output}: it exists and is not an empty directory")
        output.rmdir()
    shutil.move(str(tree), str(output))
    return output
