"""Reading a blob from a registry as a stream that survives dropped connections.

    >>> from pyocm.oci.blob_download import content_range_start
    >>> content_range_start("bytes 100-199/200")
    100
    >>> content_range_start("bytes */200") is None
    True

:class:`BlobReader` is a raw stream over ``GET /v2/<name>/blobs/<digest>``.  When the transfer
breaks it asks again from where it stopped (``Range: bytes=<offset>-``); a registry that
ignores ``Range`` answers with the whole blob and the bytes already delivered are skipped.
Retries follow the client's :class:`pyocm.oci.retry.RetryPolicy`, counted afresh after every
stretch of progress.  :meth:`pyocm.oci.remote.RemoteRepository.open_blob` wraps the reader in
:func:`pyocm.blob.verified`, so the digest is checked as the bytes go by.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pyocm.errors import RegistryError
from pyocm.oci.client import describe_transport_error, display_url, is_transport_error

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer
    from httpx import Response

    from pyocm.oci.remote import RemoteRepository

log = logging.getLogger("pyocm.oci")

_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$")


def content_range_start(value: str) -> int | None:
    """The first byte position of a ``Content-Range`` header, or ``None`` if it has none."""
    match = _CONTENT_RANGE.match(value)
    return int(match.group(1)) if match else None


class BlobReader(io.RawIOBase):
    """The bytes of one blob, fetched lazily and resumed with ``Range`` after a break.

    ``size`` (``-1`` if unknown) lets the reader notice a body that ends too early even when
    the connection closed cleanly.  ``resumes`` counts the times the transfer was picked up
    again.
    """

    def __init__(self, repository: RemoteRepository, digest: str, size: int = -1):
        self._client = repository.client
        self._url = repository.client.url(f"/v2/{repository.name}/blobs/{digest}")
        self._scopes = (repository.scope("pull"),)
        self.size = size
        self.offset = 0
        self.resumes = 0
        self._response: Response | None = None
        self._chunks: Iterator[bytes] | None = None
        self._pending = memoryview(b"")
        self._skip = 0
        self._done = False
        self._attempts = self._client.retry.start()
        self._progress_since_failure = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        if len(view) == 0:
            return 0
        while not self._pending:
            if self._done:
                return 0
            self._next_chunk()
        n = min(len(view), len(self._pending))
        view[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        self.offset += n
        self._progress_since_failure = True
        return n

    def close(self) -> None:
        self._drop_response()
        super().close()

    def _next_chunk(self) -> None:
        if self._chunks is None:
            self._open()
        assert self._chunks is not None
        try:
            chunk = next(self._chunks)
        except StopIteration:
            self._drop_response()
            if self.size >= 0 and self.offset < self.size:
                self._broken(f"body ended after {self.offset} of {self.size} bytes")
            else:
                self._done = True
            return
        except Exception as e:
            if not is_transport_error(e):
                raise
            self._drop_response()
            self._broken(describe_transport_error(e))
            return
        if self._skip:
            dropped = min(self._skip, len(chunk))
            self._skip -= dropped
            chunk = chunk[dropped:]
        self._pending = memoryview(chunk)

    def _open(self) -> None:
        headers = {"Range": f"bytes={self.offset}-"} if self.offset else {}
        response = self._client.request(
            "GET", self._url, scopes=self._scopes, headers=headers, ok=(200, 206), stream=True
        )
        if self.offset:
            start = content_range_start(response.headers.get("content-range", ""))
            if response.status_code == 206 and start != self.offset:
                response.close()
                raise RegistryError(
                    "GET",
                    display_url(self._url),
                    206,
                    f"asked for bytes from {self.offset}, got a range starting at {start}",
                )
            if response.status_code == 200:
                self._skip = self.offset
        elif self.size < 0 and "content-length" in response.headers:
            self.size = int(response.headers["content-length"])
        self._response = response
        self._chunks = response.iter_bytes()

    def _broken(self, why: str) -> None:
        if self._progress_since_failure:
            self._attempts = self._client.retry.start()
            self._progress_since_failure = False
        if not self._attempts.backoff():
            raise RegistryError("GET", display_url(self._url), None, f"{why}, giving up")
        self.resumes += 1
        log.debug("GET %s: %s, resuming at byte %d", display_url(self._url), why, self.offset)

    def _drop_response(self) -> None:
        if self._response is not None:
            self._response.close()
        self._response = None
        self._chunks = None
