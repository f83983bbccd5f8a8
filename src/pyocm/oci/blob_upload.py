"""Uploading a blob to a registry: monolithic or chunked, streamed, resumed or restarted.

    >>> from pyocm.oci.blob_upload import with_query
    >>> with_query("/v2/a/blobs/uploads/u1?_state=x", digest="sha256:00")
    '/v2/a/blobs/uploads/u1?_state=x&digest=sha256%3A00'

Small blobs go in one ``PUT`` after the ``POST`` that opens the upload session; larger ones in
``PATCH`` requests of ``chunk_size`` bytes (each with ``Content-Range``), closed by an empty
``PUT ?digest=``.  Bytes are read from the blob in pieces of 1 MiB, so memory stays flat
whatever the size.  When a request fails for a passing reason, a chunked upload asks the
registry how far it got (``GET`` on the session: ``Range: 0-<last>``) and goes on from there;
if the session is gone or the answer is unclear, the upload starts again.  Both count against
the client's retry policy.  A blob whose bytes do not match its digest is never completed:
the last piece read raises :class:`pyocm.errors.DigestMismatch`.
"""

from __future__ import annotations

import logging
import re
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from pyocm.blob import Blob
from pyocm.errors import OCMError, RegistryError
from pyocm.oci.client import display_url
from pyocm.oci.retry import RETRYABLE_STATUS, parse_retry_after

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from httpx import Response

    from pyocm.oci.remote import RemoteRepository

log = logging.getLogger("pyocm.oci")

PIECE = 1 << 20
"""Bytes read from the source and handed to the connection at a time."""

_RANGE = re.compile(r"^\s*(?:bytes=)?0-(\d+)\s*$")
_OCTETS = "application/octet-stream"


def with_query(url: str, **params: str) -> str:
    """``url`` with ``params`` added to its query string (existing parameters are kept)."""
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query, keep_blank_values=True), *params.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


class _Source:
    """Reads a blob from any offset, opening it again when it has to go back."""

    def __init__(self, blob: Blob, size: int):
        self._blob = blob
        self._size = size
        self._opened: AbstractContextManager[IO[bytes]] | None = None
        self._stream: IO[bytes] | None = None
        self._pos = 0

    def pieces(self, offset: int, length: int) -> Iterator[bytes]:
        """Bytes ``offset`` to ``offset + length`` in pieces; at the blob's end, verify it."""
        stream = self._at(offset)
        left = length
        while left:
            piece = stream.read(min(PIECE, left))
            if not piece:
                raise OCMError(
                    f"blob {self._blob.digest} ended after {self._pos} bytes, expected {self._size}"
                )
            self._pos += len(piece)
            left -= len(piece)
            yield piece
        if self._pos == self._size and stream.read(1):
            raise OCMError(f"blob {self._blob.digest} is longer than its size {self._size}")

    def _at(self, offset: int) -> IO[bytes]:
        if self._stream is None or offset < self._pos:
            self.close()
            self._opened = self._blob.open()
            self._stream = self._opened.__enter__()
            self._pos = 0
        while self._pos < offset:
            skipped = self._stream.read(min(PIECE, offset - self._pos))
            if not skipped:
                raise OCMError(f"blob {self._blob.digest} ended after {self._pos} bytes")
            self._pos += len(skipped)
        return self._stream

    def close(self) -> None:
        if self._opened is not None:
            self._opened.__exit__(None, None, None)
        self._opened = None
        self._stream = None


@dataclass
class _Interrupted(Exception):
    """A request of an upload failed for a reason another try may cure."""

    error: RegistryError
    retry_after: float | None = None
    restart: bool = False


class BlobUpload:
    """One blob's way into a repository (see the module documentation)."""

    def __init__(
        self,
        repository: RemoteRepository,
        blob: Blob,
        digest: str,
        size: int,
        *,
        chunk_size: int,
        monolithic_limit: int,
    ):
        if chunk_size <= 0:
            raise OCMError(f"upload chunk size must be positive, not {chunk_size}")
        self._repo = repository
        self._client = repository.client
        self._scopes = (repository.scope("pull", "push"),)
        self._digest = digest
        self._size = size
        self._chunk = chunk_size
        self._chunked = size > monolithic_limit
        self._source = _Source(blob, size)
        self.restarts = 0
        self.resumes = 0
        self.requests = 0

    def run(self, location: str | None = None) -> None:
        """Upload the blob, into the session at ``location`` if one is already open."""
        attempts = self._client.retry.start()
        offset = 0
        try:
            while True:
                try:
                    if location is None:
                        location = self.start()
                        offset = 0
                    if self._chunked:
                        while offset < self._size:
                            length = min(self._chunk, self._size - offset)
                            location = self._patch(location, offset, length)
                            offset += length
                        self._put(location, None)
                    else:
                        self._put(location, (0, self._size))
                    return
                except _Interrupted as broken:
                    if not attempts.backoff(broken.retry_after):
                        raise broken.error from None
                    location, offset = self._recover(location, broken)
        finally:
            self._source.close()

    def start(self) -> str:
        """Open an upload session (``POST``); returns its location."""
        self.requests += 1
        response = self._client.request(
            "POST",
            f"/v2/{self._repo.name}/blobs/uploads/",
            scopes=self._scopes,
            headers={"Content-Length": "0"},
            ok=(202,),
        )
        return self._location(response)

    def _recover(self, location: str | None, broken: _Interrupted) -> tuple[str | None, int]:
        if not self._chunked or location is None or broken.restart:
            self.restarts += 1
            return None, 0
        resumed = self._status(location)
        if resumed is None:
            self.restarts += 1
            return None, 0
        self.resumes += 1
        return resumed

    def _patch(self, location: str, offset: int, length: int) -> str:
        end = offset + length - 1
        response = self._send(
            "PATCH",
            location,
            {
                "Content-Type": _OCTETS,
                "Content-Range": f"{offset}-{end}",
                "Content-Length": str(length),
            },
            lambda: self._source.pieces(offset, length),
        )
        if response.status_code != 202:
            raise self._judge(response)
        response.close()
        return self._location(response, location)

    def _put(self, location: str, body: tuple[int, int] | None) -> None:
        length = 0 if body is None else body[1]
        target = with_query(location, digest=self._digest)
        headers = {"Content-Type": _OCTETS, "Content-Length": str(length)}
        if body is None:
            response = self._send("PUT", target, headers, None)
        else:
            start, size = body
            response = self._send("PUT", target, headers, lambda: self._source.pieces(start, size))
        if response.status_code != 201:
            raise self._judge(response)
        response.close()
        stored = response.headers.get("docker-content-digest")
        if stored and stored != self._digest:
            raise RegistryError(
                "PUT",
                display_url(target),
                201,
                f"registry stored the blob as {stored}, expected {self._digest}",
            )

    def _send(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: Callable[[], Iterator[bytes]] | None,
    ) -> Response:
        self.requests += 1
        try:
            return self._client.send(
                method, url, scopes=self._scopes, headers=headers, content=body, retry=False
            )
        except RegistryError as e:
            if e.status is None:
                raise _Interrupted(e) from None
            raise

    def _judge(self, response: Response) -> Exception:
        """The exception for an unexpected answer: an interruption or a final error."""
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        status = response.status_code
        error = self._client.error(response)
        if status in RETRYABLE_STATUS:
            return _Interrupted(error, retry_after)
        if status in (404, 416) or error.code in ("BLOB_UPLOAD_UNKNOWN", "BLOB_UPLOAD_INVALID"):
            return _Interrupted(error, retry_after, restart=True)
        return error

    def _status(self, location: str) -> tuple[str, int] | None:
        """Where the registry stands in the session: ``(location, next offset)`` or ``None``."""
        try:
            response = self._client.request(
                "GET", location, scopes=self._scopes, ok=(204,), retry=False
            )
        except RegistryError as e:
            log.debug("upload status of %s: %s", display_url(location), e)
            return None
        match = _RANGE.match(response.headers.get("range", ""))
        if match is None:
            return None
        last = int(match.group(1))
        if last == 0:
            return None  # "0-0" is either nothing or one byte: start again
        return self._location(response, location), last + 1

    def _location(self, response: Response, default: str | None = None) -> str:
        value = response.headers.get("location")
        if not value:
            if default is not None:
                return default
            raise RegistryError(
                response.request.method,
                display_url(response.request.url),
                response.status_code,
                "registry sent no Location for the upload",
            )
        return urljoin(str(response.request.url), str(value))
