"""Content behind plain HTTP(S) URLs: the transport of the ``wget`` and ``helm`` access types.

    >>> from pyocm.access.http import url_identity
    >>> identity = url_identity("https://charts.acme.org:8443/stable/x.tgz", "HelmChartRepository")
    >>> sorted(identity.items())  # doctest: +NORMALIZE_WHITESPACE
    [('hostname', 'charts.acme.org'), ('path', 'stable/x.tgz'), ('port', '8443'),
     ('scheme', 'https'), ('type', 'HelmChartRepository')]

A request is made with the credentials the :class:`~pyocm.access.context.AccessContext`
resolves for the consumer identity of its URL (:func:`url_identity`, as Go's
``ParseURLToIdentity`` derives it) under the consumer type of the access (``Wget``,
``HelmChartRepository``):

* ``WgetCredentials/v1``: ``identityToken`` as a bearer token, else ``username``/``password``
  as basic auth; ``certificate``/``privateKey`` (PEM) as a TLS client certificate and
  ``certificateAuthority`` (PEM) as the trust anchor, as Go's wget does;
* ``HelmHTTPCredentials/v1``: basic auth, ``certFile``/``keyFile`` as a client certificate;
* ``Credentials/v1`` properties under the same names.

TLS is verified against the system trust store, or the context's ``ca_file``.  Only ``http``
and ``https`` URLs are fetched.  URLs in errors and logs lose user information and query (a
presigned URL carries its secret there).  Bodies are streamed; :func:`url_blob` checks a known
digest while the content is read.
"""

from __future__ import annotations

import base64
import io
import os
import tempfile
import threading
import urllib.parse
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from pyocm._internal.streams import ChunkReader
from pyocm.blob import verified
from pyocm.blob.model import CHUNK_SIZE
from pyocm.errors import CredentialsError, NotFound, OCMError
from pyocm.oci.mediatypes import OCTET_STREAM

if TYPE_CHECKING:
    import ssl

    import httpx

    from pyocm.access.context import AccessContext

WGET = "Wget"
"""The consumer identity type of ``wget`` accesses and inputs."""
HELM_CHART_REPOSITORY = "HelmChartRepository"
"""The consumer identity type of helm chart repositories reached over HTTP(S)."""
GITHUB = "GitHubRepository"
"""The consumer identity type of GitHub repositories (a token)."""

_TIMEOUT = 30.0
_READ_TIMEOUT = 300.0
_SMALL_LIMIT = 64 << 20


@dataclass(frozen=True)
class HTTPRequest:
    """One HTTP request for content (the fields of a ``wget`` access)."""

    url: str
    method: str = "GET"
    headers: Mapping[str, Sequence[str]] = field(default_factory=dict)
    body: bytes | None = None
    follow_redirects: bool = True


def safe_url(url: str) -> str:
    """``url`` without user information, query and fragment, for messages."""
    parts = urllib.parse.urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def url_identity(url: str, consumer_type: str) -> dict[str, str]:
    """The consumer identity of ``url``: type, scheme, port, hostname and path when present."""
    text = url if "://" in url else f"dummy://{url}"
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port
    except ValueError as e:
        raise OCMError(f"invalid URL {safe_url(url)!r}: {e}") from None
    identity = {"type": consumer_type}
    if parts.scheme and parts.scheme != "dummy":
        identity["scheme"] = parts.scheme
    if port is not None:
        identity["port"] = str(port)
    if parts.hostname:
        identity["hostname"] = parts.hostname
    if parts.path:
        identity["path"] = parts.path.removeprefix("/")
    return identity


@dataclass(frozen=True)
class _Auth:
    headers: Mapping[str, str] = field(default_factory=dict)
    client_cert: tuple[str, str] | tuple[bytes, bytes] | None = None
    ca_pem: str = ""


def _auth(context: AccessContext, url: str, consumer_type: str) -> _Auth:
    """What the configured credentials of ``url`` add to a request."""
    from pyocm.config.credentials.typed import (
        to_github_credentials,
        to_helm_http_credentials,
        to_wget_credentials,
    )

    found = (
        context.consumer_credentials(url_identity(url, consumer_type)) if consumer_type else None
    )
    if found is None:
        return _Auth()
    if consumer_type == GITHUB:
        token = to_github_credentials(found).token
        return _Auth({"Authorization": f"Bearer {token}"} if token else {})
    if consumer_type == HELM_CHART_REPOSITORY:
        helm = to_helm_http_credentials(found)
        cert = (helm.cert_file, helm.key_file) if helm.cert_file else None
        return _Auth(_basic(helm.username, helm.password), cert)
    wget = to_wget_credentials(found)
    headers = (
        {"Authorization": f"Bearer {wget.identity_token}"}
        if wget.identity_token
        else _basic(wget.username, wget.password)
    )
    pem = (wget.certificate.encode(), wget.private_key.encode()) if wget.certificate else None
    return _Auth(headers, pem, wget.certificate_authority)


def _basic(username: str, password: str) -> dict[str, str]:
    if not username and not password:
        return {}
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _ssl_context(context: AccessContext, auth: _Auth) -> ssl.SSLContext:
    import ssl  # loaded with the first request, not with the access types

    tls = ssl.create_default_context(cafile=str(context.ca_file) if context.ca_file else None)
    if auth.ca_pem:
        try:
            tls.load_verify_locations(cadata=auth.ca_pem)
        except ssl.SSLError as e:
            raise CredentialsError(f"invalid certificateAuthority PEM: {e.reason}") from None
    if auth.client_cert is not None:
        _load_client_cert(tls, auth.client_cert)
    return tls


def _load_client_cert(tls: ssl.SSLContext, cert: tuple[str, str] | tuple[bytes, bytes]) -> None:
    import ssl

    certificate, key = cert
    try:
        if isinstance(certificate, str) and isinstance(key, str):
            tls.load_cert_chain(certificate, key or None)
            return
        # ssl loads client certificates from files only: PEM given inline goes through a
        # private temporary directory that is removed as soon as the context holds the key.
        with tempfile.TemporaryDirectory(prefix="pyocm-tls-") as scratch:
            paths = []
            for name, pem in (("cert.pem", certificate), ("key.pem", key)):
                path = os.path.join(scratch, name)
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(descriptor, "wb") as f:
                    f.write(pem if isinstance(pem, bytes) else pem.encode())
                paths.append(path)
            tls.load_cert_chain(paths[0], paths[1])
    except (ssl.SSLError, OSError) as e:
        raise CredentialsError(f"invalid client certificate or key: {e}") from None


@contextmanager
def open_response(
    context: AccessContext,
    request: HTTPRequest,
    consumer_type: str,
    *,
    what: str,
    auth_url: str = "",
    redirects: bool = False,
) -> Iterator[httpx.Response]:
    """Send ``request`` and yield the streaming response once its status is a success.

    Credentials are those of the ``consumer_type`` identity of ``auth_url`` (default: the
    request URL; an empty type sends none).  With ``redirects`` a redirect that is not
    followed counts as success.  404 raises :class:`~pyocm.errors.NotFound`, any other
    failure :class:`OCMError`, both naming ``what`` and the URL.
    """
    scheme = urllib.parse.urlsplit(request.url).scheme
    shown = safe_url(request.url)
    if scheme not in ("http", "https"):
        raise OCMError(
            f"{what}: unsupported url scheme {scheme!r} in {shown}: only http and https are allowed"
        )
    auth = _auth(context, auth_url or request.url, consumer_type)
    headers = [(name, value) for name, value in auth.headers.items()]
    for name, values in request.headers.items():
        headers.extend((name, value) for value in values)
    # httpx is imported here, not at the top: it pulls in rich, which commands that never
    # download should not pay for.
    import httpx

    with httpx.Client(
        verify=_ssl_context(context, auth) if scheme == "https" else True,
        timeout=httpx.Timeout(_TIMEOUT, read=_READ_TIMEOUT),
        follow_redirects=request.follow_redirects,
    ) as client:
        try:
            with client.stream(
                request.method or "GET", request.url, headers=headers, content=request.body
            ) as response:
                if response.status_code == 404:
                    raise NotFound(f"{what}: {shown} not found (HTTP 404)")
                if not (200 <= response.status_code < 300 or (redirects and response.is_redirect)):
                    raise OCMError(
                        f"{what}: HTTP request to {shown} returned status {response.status_code}"
                    )
                yield response
        except httpx.HTTPError as e:
            raise OCMError(f"{what}: HTTP request to {shown} failed: {e}") from None


def fetch_bytes(
    context: AccessContext,
    url: str,
    consumer_type: str,
    *,
    what: str,
    limit: int = _SMALL_LIMIT,
) -> bytes:
    """The whole body at ``url`` (for small documents such as a helm ``index.yaml``).

    A body longer than ``limit`` bytes is an error.
    """
    with open_response(context, HTTPRequest(url), consumer_type, what=what) as response:
        chunks: list[bytes] = []
        total = 0
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > limit:
                raise OCMError(f"{what}: {safe_url(url)} is larger than {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)


class URLBlob:
    """Content at a URL, fetched each time it is opened (streamed, verified when its digest
    is known).

    The media type is the one given, else the response's ``Content-Type``, else
    ``application/octet-stream``.  Finding it sends the request when the blob is made; that
    response then serves the first :meth:`open`, so a request is not sent twice for one read
    (a ``POST`` stays one ``POST``).  A response never read is closed when the blob is
    collected.
    """

    def __init__(
        self,
        context: AccessContext,
        request: HTTPRequest,
        consumer_type: str,
        *,
        media_type: str = "",
        digest: str | None = None,
        size: int = -1,
        what: str,
    ):
        self._context = context
        self._request = request
        self._consumer_type = consumer_type
        self._digest = digest
        self._size = size
        self._what = what
        self._lock = threading.Lock()
        self._pending: tuple[ExitStack, httpx.Response] | None = None
        self.media_type = media_type
        if not media_type:
            with ExitStack() as guard:
                response = guard.enter_context(
                    open_response(context, request, consumer_type, what=what)
                )
                stack = guard.pop_all()
            self.media_type = response.headers.get("content-type") or OCTET_STREAM
            if size < 0:
                self._size = _content_length(response)
            self._pending = (stack, response)
            weakref.finalize(self, stack.close)

    @property
    def size(self) -> int:
        """The size announced by the server or the access (-1 when not known)."""
        return self._size

    @property
    def digest(self) -> str | None:
        """The digest the content must have (``sha256:<hex>``), when known in advance."""
        return self._digest

    @contextmanager
    def open(self) -> Iterator[IO[bytes]]:
        """Stream the body; reading it to the end checks digest and size when known."""
        with self._lock:
            pending, self._pending = self._pending, None
        if pending is not None:
            stack, response = pending
            with stack:
                yield self._checked(response)
            return
        with open_response(
            self._context, self._request, self._consumer_type, what=self._what
        ) as response:
            yield self._checked(response)

    def _checked(self, response: httpx.Response) -> IO[bytes]:
        stream = response_stream(response)
        if self._digest is not None:
            stream = verified(stream, self._digest, self._size, self._what)
        return stream


def response_stream(response: httpx.Response) -> IO[bytes]:
    """The body of a streaming ``response`` as a readable binary stream."""
    return io.BufferedReader(ChunkReader(response.iter_bytes(CHUNK_SIZE)), CHUNK_SIZE)


def _content_length(response: httpx.Response) -> int:
    if response.headers.get("content-encoding"):
        return -1
    try:
        return int(response.headers.get("content-length", "-1"))
    except ValueError:
        return -1
