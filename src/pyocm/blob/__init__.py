"""Blobs: streamed, sized, digested, typed byte sources.

    >>> from pyocm.blob import BytesBlob
    >>> blob = BytesBlob(b"test", "text/plain")
    >>> blob.digest
    'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
    >>> with blob.open() as f:
    ...     f.read()
    b'test'

A blob is read as a stream (``open()``), never required to fit in memory.  A blob that knows
its digest verifies it while it is read: :func:`verified` wraps any stream so that reading it
to the end raises :class:`pyocm.errors.DigestMismatch` naming the blob when the bytes differ.
"""

from pyocm.blob.model import Blob, BytesBlob, FileBlob, verified

__all__ = ["Blob", "BytesBlob", "FileBlob", "verified"]
