"""Resource digests computed while streaming: ``genericBlobDigest/v1`` and ``ociArtifactDigest/v1``.

    >>> import io
    >>> from pyocm.digest.blob import generic_blob_digest
    >>> generic_blob_digest(io.BytesIO(b"testdata")).value[:8]
    '810ff2fb'

``genericBlobDigest/v1`` is the hash of the blob bytes.  ``ociArtifactDigest/v1`` is the
digest of the OCI manifest (or index) that names an artifact; for an OCI image layout held as
a (gzipped) tar it is the top-level manifest named by the layout's ``index.json``.  The Go v2
tools record OCI artifacts under ``genericBlobDigest/v1`` too, with the same manifest digest.
"""

from __future__ import annotations

import json
import tarfile
from collections.abc import Iterable
from typing import IO, Any

from pyocm.descriptor.model import Digest
from pyocm.digest.algorithms import DEFAULT_HASH, canonical_hash_name, new_hash
from pyocm.errors import OCMError

GENERIC_BLOB_DIGEST_V1 = "genericBlobDigest/v1"
OCI_ARTIFACT_DIGEST_V1 = "ociArtifactDigest/v1"
OCI_ARTIFACT_DIGEST_ALIASES = (OCI_ARTIFACT_DIGEST_V1, "ociArtefactDigest/v1")
CHUNK_SIZE = 1 << 20

_MAIN_ARTIFACT_ANNOTATION = "software.ocm/main"
_REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name"


def hash_stream(stream: IO[bytes], hash_algorithm: str = DEFAULT_HASH) -> tuple[str, int]:
    """Hash a binary stream in fixed-size chunks; returns (hex digest, size in bytes)."""
    h = new_hash(hash_algorithm)
    size = 0
    while chunk := stream.read(CHUNK_SIZE):
        h.update(chunk)
        size += len(chunk)
    return h.hexdigest(), size


def hash_chunks(chunks: Iterable[bytes], hash_algorithm: str = DEFAULT_HASH) -> tuple[str, int]:
    """Hash an iterable of byte chunks; returns (hex digest, size in bytes)."""
    h = new_hash(hash_algorithm)
    size = 0
    for chunk in chunks:
        h.update(chunk)
        size += len(chunk)
    return h.hexdigest(), size


def generic_blob_digest(stream: IO[bytes], hash_algorithm: str = DEFAULT_HASH) -> Digest:
    """The ``genericBlobDigest/v1`` digest of the bytes read from ``stream``."""
    value, _ = hash_stream(stream, hash_algorithm)
    return Digest(canonical_hash_name(hash_algorithm), GENERIC_BLOB_DIGEST_V1, value)


def oci_artifact_digest(
    manifest_digest: str, normalisation_algorithm: str = OCI_ARTIFACT_DIGEST_V1
) -> Digest:
    """The resource digest of an OCI artifact from its manifest digest (``sha256:<hex>``)."""
    algorithm, sep, value = manifest_digest.partition(":")
    if not sep or algorithm not in ("sha256", "sha512"):
        raise OCMError(f"invalid OCI manifest digest {manifest_digest!r}")
    return Digest(canonical_hash_name(algorithm), normalisation_algorithm, value)


def oci_layout_manifest_digest(stream: IO[bytes]) -> str:
    """The digest (``sha256:<hex>``) of the main manifest of an OCI image layout tar.

    ``stream`` is the tar, optionally gzipped, read once front to back.  The main artifact is
    the single entry of ``index.json``, or the one annotated ``software.ocm/main`` or
    ``org.opencontainers.image.ref.name`` when there are several.
    """
    index: dict[str, Any] | None = None
    try:
        with tarfile.open(fileobj=stream, mode="r|*") as tar:
            for member in tar:
                if member.isfile() and member.name.lstrip("./") in ("index.json",):
                    fileobj = tar.extractfile(member)
                    if fileobj is not None:
                        index = json.loads(fileobj.read())
                        break
    except (tarfile.TarError, OSError, ValueError) as e:
        raise OCMError(f"not an OCI image layout archive: {e}") from None
    if index is None:
        raise OCMError("not an OCI image layout archive: index.json missing")
    return _main_manifest(index)


def _main_manifest(index: dict[str, Any]) -> str:
    manifests = index.get("manifests") or []
    if len(manifests) == 1:
        return str(manifests[0]["digest"])
    for annotation in (_MAIN_ARTIFACT_ANNOTATION, _REF_NAME_ANNOTATION):
        tagged = [m for m in manifests if (m.get("annotations") or {}).get(annotation)]
        if len(tagged) == 1:
            return str(tagged[0]["digest"])
    raise OCMError(
        f"OCI image layout has {len(manifests)} manifests and none is marked as the main artifact"
    )
