"""``wget``: content behind an HTTP(S) URL, fetched as it is.

    >>> from pyocm.access.wget import request_of
    >>> request, media_type = request_of({"url": "https://acme.org/app.json",
    ...     "header": {"Accept": ["application/json"]}, "mediaType": "application/json"})
    >>> request.method, request.headers["Accept"], media_type
    ('GET', ('application/json',), 'application/json')

The access (Go v2's ``Wget/v1``; ``wget``, ``wget/v1`` and ``Wget`` too) has ``url`` (http or
https), ``mediaType`` (default: the response's ``Content-Type``, else
``application/octet-stream``), ``header`` (name → list of values), ``verb`` (default ``GET``),
``body`` (base64, as Go writes bytes) and ``noRedirect``.  Credentials come from the consumer
identity ``{type: Wget, hostname, port, scheme, path}`` of the URL (:mod:`pyocm.access.http`).

At add time the content is downloaded once and hashed: the resource gets ``SHA-256`` /
``genericBlobDigest/v1`` (a digest written in the constructor must be exactly that and
match).  Later reads (download, transfer by value, verification) check the bytes against the
recorded digest while they stream, so content that changed behind the URL is refused.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from pyocm.access.base import BaseAccessHandler
from pyocm.access.handlers import WGET_TYPES
from pyocm.access.http import WGET, HTTPRequest, URLBlob, safe_url
from pyocm.access.recorded import recorded_sha256
from pyocm.blob.model import CHUNK_SIZE
from pyocm.descriptor.model import Digest, Resource
from pyocm.digest import GENERIC_BLOB_DIGEST_V1, SHA256
from pyocm.errors import DigestMismatch, OCMError

if TYPE_CHECKING:
    from pyocm.access.context import AccessContext
    from pyocm.blob import Blob
    from pyocm.descriptor.model import Descriptor, Source
    from pyocm.repository.base import Repository

TYPES = WGET_TYPES
"""Every spelling of the type (registered in :mod:`pyocm.access.handlers`)."""


def request_of(properties: Mapping[str, Any]) -> tuple[HTTPRequest, str]:
    """The request a ``wget`` specification describes, and its ``mediaType`` ("" when unset).

    Raises :class:`OCMError` naming the field that is wrong.
    """
    url = properties.get("url")
    if not isinstance(url, str) or not url:
        raise OCMError("the wget access needs a url")
    media_type = _string(properties, "mediaType")
    verb = _string(properties, "verb") or "GET"
    headers: dict[str, tuple[str, ...]] = {}
    raw_headers = properties.get("header") or {}
    if not isinstance(raw_headers, Mapping):
        raise OCMError("wget header must map header names to lists of values")
    for name, values in raw_headers.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise OCMError(f"wget header {name!r} must be a list of strings")
        headers[str(name)] = tuple(values)
    body = None
    raw_body = properties.get("body")
    if raw_body not in (None, ""):
        if not isinstance(raw_body, str):
            raise OCMError("wget body must be base64 text")
        try:
            body = base64.b64decode(raw_body, validate=True)
        except binascii.Error:
            raise OCMError("wget body is not valid base64") from None
    no_redirect = properties.get("noRedirect", False)
    if not isinstance(no_redirect, bool):
        raise OCMError("wget noRedirect must be true or false")
    return HTTPRequest(url, verb, headers, body, not no_redirect), media_type


def _string(properties: Mapping[str, Any], key: str) -> str:
    value = properties.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise OCMError(f"wget {key} must be a string")
    return value


def _request(element: Resource | Source) -> tuple[HTTPRequest, str]:
    assert element.access is not None  # handler_for only dispatches elements with access
    try:
        return request_of(element.access.properties)
    except OCMError as e:
        raise OCMError(f"{element.name!r}: {e}") from None


class _Wget(BaseAccessHandler):
    """The content at the URL, verified against the resource digest while it streams."""

    def open(
        self,
        repository: Repository,
        descriptor: Descriptor,
        element: Resource | Source,
        context: AccessContext,
    ) -> Blob:
        request, media_type = _request(element)
        return URLBlob(
            context,
            request,
            WGET,
            media_type=media_type,
            digest=recorded_sha256(element),
            what=f"resource {element.name!r} ({safe_url(request.url)})",
        )

    def reference_name(self, element: Resource | Source) -> str:
        """The element's name (the ``referenceName`` Go v2 gives downloaded content)."""
        return element.name


class _WgetDigests:
    """Downloads the content once and records (or checks) its SHA-256."""

    def process(self, resource: Resource, context: AccessContext) -> Resource:
        request, media_type = _request(resource)
        blob = URLBlob(
            context,
            request,
            WGET,
            media_type=media_type or "application/octet-stream",
            what=f"resource {resource.name!r} ({safe_url(request.url)})",
        )
        hashed = hashlib.sha256()
        with blob.open() as stream:
            while chunk := stream.read(CHUNK_SIZE):
                hashed.update(chunk)
        found = Digest(SHA256, GENERIC_BLOB_DIGEST_V1, hashed.hexdigest())
        recorded = resource.digest
        if recorded is None:
            return replace(resource, digest=found)
        if recorded.hash_algorithm != SHA256:
            raise OCMError(
                f"resource {resource.name!r}: unsupported hash algorithm: expected {SHA256}, "
                f"got {recorded.hash_algorithm}"
            )
        if recorded.normalisation_algorithm != GENERIC_BLOB_DIGEST_V1:
            raise OCMError(
                f"resource {resource.name!r}: unsupported normalisation algorithm: expected "
                f"{GENERIC_BLOB_DIGEST_V1}, got {recorded.normalisation_algorithm}"
            )
        if recorded.value != found.value:
            raise DigestMismatch(f"resource {resource.name!r}", recorded.value, found.value)
        return resource


HANDLER = _Wget()
DIGESTS = _WgetDigests()
