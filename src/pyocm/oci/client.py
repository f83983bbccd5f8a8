"""The OCI distribution-spec client: one registry host, its authentication and its retries.

    >>> from pyocm.oci.client import RegistryClient
    >>> client = RegistryClient("http://127.0.0.1:5000")
    >>> client.base_url, client.host
    ('http://127.0.0.1:5000', '127.0.0.1:5000')
    >>> repo = client.repository("acme/app")
    >>> repo.name
    'acme/app'
    >>> client.close()

Talking to a running registry (see :mod:`pyocm.oci.remote` for blobs, manifests and tags)::

    with RegistryClient("127.0.0.1:5443", credentials=lambda host: creds, ca_file="ca.pem") as c:
        c.ping()
        descriptor = c.repository("acme/app").resolve("1.0.0")

The scheme decides transport security: ``https://`` (or no scheme) means TLS with verification
against the system trust store or ``ca_file``; plain HTTP is used for an ``http://`` registry
or with ``insecure=True``, and for a *loopback* registry given without a scheme (``localhost``,
``127.0.0.0/8``, ``::1``) that turns out not to speak TLS, as docker and go-containerregistry
do: such a registry is tried with TLS first, and when it answers the handshake in plain HTTP
the client goes on in plain HTTP (traffic that never leaves the machine).  Any other registry
that does not speak TLS is an error that says so and suggests ``http://``.

Authentication follows the registry's ``WWW-Authenticate`` challenge: anonymous first, then
Basic, or a Bearer token fetched from the token service for the scopes a request needs (cached
per scope until it expires or is refused).  Requests that fail for a passing reason (429, 5xx,
dropped connections, timeouts) are retried with back-off under a
:class:`pyocm.oci.retry.RetryPolicy`; a final failure raises :class:`pyocm.errors.RegistryError`
naming the method and URL.  Credentials and tokens never appear in errors or logs.

This is the only module of :mod:`pyocm.oci` that imports ``httpx``.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import logging
import ssl
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from pyocm.errors import OCMError, RegistryError, RegistryNotFound
from pyocm.oci.auth import (
    CredentialsProvider,
    RegistryCredentials,
    TokenCache,
    merge_scopes,
    no_credentials,
    parse_challenge,
)
from pyocm.oci.retry import RETRYABLE_STATUS, RetryPolicy, parse_retry_after

if TYPE_CHECKING:
    from pyocm.oci.remote import RemoteRepository

log = logging.getLogger("pyocm.oci")

Body = bytes | Callable[[], Iterable[bytes]] | None
"""A request body: bytes, or a factory giving a fresh byte iterator for every try."""

DEFAULT_TOKEN_LIFETIME = 60.0
"""Seconds a token without ``expires_in`` is trusted (the Docker token specification's value)."""

_ERROR_BODY_LIMIT = 64 << 10


def display_url(url: httpx.URL | str) -> str:
    """``url`` as errors and logs show it: without query string and without user info."""
    parsed = httpx.URL(str(url))
    return str(parsed.copy_with(query=None, fragment=None, username=None, password=None))


def is_transport_error(error: BaseException) -> bool:
    """Whether ``error`` is a dropped connection or timeout that another try may cure.

    A TLS certificate or protocol failure is a transport error too, but no retry cures it; nor
    does it cure a refused connection (nothing listens at that address), which fails at once
    instead of after the whole back-off.
    """
    if not isinstance(error, httpx.TransportError):
        return False
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ssl.SSLError | ConnectionRefusedError):
            return False
        cause = cause.__cause__ or cause.__context__
    return True


_NOT_TLS = frozenset(
    {
        "WRONG_VERSION_NUMBER",
        "RECORD_LAYER_FAILURE",
        "HTTP_REQUEST",
        "UNKNOWN_PROTOCOL",
        "PACKET_LENGTH_TOO_LONG",
    }
)
"""OpenSSL's reasons for a handshake answered by something that is not TLS (plain HTTP)."""


def speaks_no_tls(error: BaseException) -> bool:
    """Whether ``error`` is a TLS handshake the server answered in another protocol."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return getattr(cause, "reason", None) in _NOT_TLS
        cause = cause.__cause__ or cause.__context__
    return False


def is_loopback(host: str) -> bool:
    """Whether ``host`` (``name[:port]``, ``[v6][:port]``) is this machine's loopback."""
    name = host
    if name.startswith("["):
        name = name[1:].partition("]")[0]
    elif name.count(":") == 1:
        name = name.partition(":")[0]
    name = name.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def describe_transport_error(error: BaseException) -> str:
    """A one-line description of a transport failure."""
    kind = type(error).__name__
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{kind}: {text}" if text else kind


class RegistryClient:
    """A client of one OCI registry host (distribution spec v1.1).

    ``registry`` is ``host[:port]``, optionally with a scheme (``http://``, ``https://``,
    ``oci://``).  ``credentials`` is asked once for this host.  The client is safe to use from
    several threads; close it (or use it as a context manager) to release its connections.
    """

    def __init__(
        self,
        registry: str,
        *,
        credentials: CredentialsProvider = no_credentials,
        insecure: bool = False,
        ca_file: str | Path | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = 60.0,
        user_agent: str = "pyocm",
    ):
        scheme, host = _split_registry(registry)
        self._plain_http_fallback = scheme is None and not insecure and is_loopback(host)
        self._scheme_lock = threading.Lock()
        if scheme is None:
            scheme = "http" if insecure else "https"
        self.scheme = scheme
        self.host = host
        self.base_url = f"{scheme}://{host}"
        self.retry = retry or RetryPolicy()
        self._credentials_provider = credentials
        verify: ssl.SSLContext | bool = True
        if ca_file is not None:
            verify = ssl.create_default_context(cafile=str(ca_file))
        self._http = httpx.Client(
            verify=verify,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 30.0)),
            follow_redirects=True,
            headers={"User-Agent": user_agent},
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
        )
        self._auth = _Authenticator(self)

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connections of this client."""
        self._http.close()

    def __enter__(self) -> RegistryClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"RegistryClient({self.base_url!r})"

    # -- API -------------------------------------------------------------------------------

    def repository(self, name: str) -> RemoteRepository:
        """The repository ``name`` (e.g. ``acme/app``) on this registry."""
        from pyocm.oci.remote import RemoteRepository

        return RemoteRepository(self, name)

    def ping(self) -> None:
        """Check that the registry speaks the distribution API and accepts the credentials.

        Raises :class:`pyocm.errors.RegistryError` when it cannot be reached, answers with an
        error, or refuses authentication.
        """
        self.request("GET", "/v2/")

    def url(self, path: str) -> str:
        """The absolute URL of ``path`` (``/v2/...``) on this registry."""
        return self.base_url + path

    def credentials(self) -> RegistryCredentials | None:
        """The credentials for this host, looked up once."""
        return self._auth.credentials()

    # -- requests --------------------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        scopes: Iterable[str] = (),
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str | int] | None = None,
        content: Body = None,
        ok: Iterable[int] = (200,),
        stream: bool = False,
        retry: bool = True,
    ) -> httpx.Response:
        """Send a request with authentication and retries; raise unless the status is ``ok``.

        ``url`` is absolute or a path on the registry.  With ``stream`` the body is not read
        and the caller must close the response.  ``retry=False`` makes a failed try final
        (for requests whose repetition is not safe); a 401 is still answered once with
        credentials.  Raises :class:`pyocm.errors.RegistryNotFound` for a 404 and
        :class:`pyocm.errors.RegistryError` for every other failure.
        """
        response = self.send(
            method,
            url,
            scopes=scopes,
            headers=headers,
            params=params,
            content=content,
            retry=retry,
        )
        if response.status_code not in set(ok):
            raise self.error(response)
        if not stream:
            try:
                response.read()
            except httpx.TransportError as e:
                response.close()
                shown = display_url(response.request.url)
                raise RegistryError(method, shown, None, describe_transport_error(e)) from None
            finally:
                response.close()
        return response

    def send(
        self,
        method: str,
        url: str,
        *,
        scopes: Iterable[str] = (),
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, str | int] | None = None,
        content: Body = None,
        retry: bool = True,
    ) -> httpx.Response:
        """Send a request with authentication and retries; return the streamed response.

        Retryable statuses and transport failures are retried (unless ``retry`` is false);
        the response returned may still carry an error status, for the caller to judge.
        Raises :class:`pyocm.errors.RegistryError` when no answer could be had.
        """
        target = url if "://" in url else self.base_url + url
        scope_key = merge_scopes(scopes)
        attempts = self.retry.start()
        answered_challenge = False
        while True:
            request = self._http.build_request(
                method,
                target,
                params=dict(params) if params else None,
                headers={**(headers or {}), **self._auth.headers(scope_key)},
                content=content() if callable(content) else content,
            )
            shown = _Shown(request.url)
            try:
                response = self._http.send(request, stream=True)
            except httpx.TransportError as e:
                why = describe_transport_error(e)
                if speaks_no_tls(e):
                    plain = self._plain_http(target)
                    if plain is not None:
                        target = plain
                        continue
                    why += (
                        f": the registry {self.host} does not speak TLS; if it serves plain "
                        f"HTTP, give it as http://{self.host}"
                    )
                if retry and is_transport_error(e) and attempts.backoff():
                    log.debug("%s %s failed (%s), retrying", method, shown, why)
                    continue
                raise RegistryError(method, str(shown), None, why) from None
            status = response.status_code
            log.debug("%s %s -> %d", method, shown, status)
            if status == 401 and not answered_challenge:
                challenge = response.headers.get("www-authenticate", "")
                if self._auth.answer(challenge, scope_key):
                    response.close()
                    answered_challenge = True
                    continue
            if retry and status in RETRYABLE_STATUS:
                wait_hint = parse_retry_after(response.headers.get("retry-after"))
                if attempts.backoff(wait_hint):
                    response.close()
                    log.debug("%s %s answered %d, retrying", method, shown, status)
                    continue
            return response

    def _plain_http(self, target: str) -> str | None:
        """``target`` over plain HTTP, for a loopback registry without TLS; else ``None``."""
        secure = f"https://{self.host}"
        if not self._plain_http_fallback or not target.startswith(secure):
            return None
        with self._scheme_lock:
            if self.scheme == "https":
                log.info("registry %s (loopback) does not speak TLS: using plain HTTP", self.host)
                self.scheme = "http"
                self.base_url = f"http://{self.host}"
        return self.base_url + target[len(secure) :]

    def error(self, response: httpx.Response) -> RegistryError:
        """The error for a failed response (reads at most 64 KiB of its body, then closes it)."""
        method = response.request.method
        shown = display_url(response.request.url)
        body = b""
        try:
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) >= _ERROR_BODY_LIMIT:
                    break
        except (httpx.TransportError, httpx.StreamError):
            pass
        finally:
            response.close()
        code, detail = _error_body(body)
        reason = response.reason_phrase or ""
        if response.status_code in (401, 403):
            reason += self._auth.hint()
        cls = RegistryNotFound if response.status_code == 404 else RegistryError
        return cls(method, shown, response.status_code, reason, code, detail)


class _Shown:
    """A URL as logs show it, formatted only when a log line is written."""

    def __init__(self, url: httpx.URL):
        self._url = url

    def __str__(self) -> str:
        return display_url(self._url)


def _split_registry(registry: str) -> tuple[str | None, str]:
    scheme: str | None = None
    rest = registry.strip()
    if "://" in rest:
        given, _, rest = rest.partition("://")
        given = given.lower()
        if given not in ("http", "https", "oci"):
            raise OCMError(f"unsupported registry scheme {given!r} in {registry!r}")
        scheme = "https" if given == "oci" else given
    host = rest.rstrip("/")
    if not host or "/" in host or "@" in host:
        raise OCMError(f"invalid registry {registry!r}: expected [scheme://]host[:port]")
    return scheme, host


def _error_body(body: bytes) -> tuple[str, str]:
    """``(code, message)`` of the first entry of a distribution-spec error body."""
    try:
        data = json.loads(body)
    except ValueError:
        text = body.decode("utf-8", "replace").strip().splitlines()
        return "", text[0][:200] if text else ""
    errors = data.get("errors") if isinstance(data, dict) else None
    if not isinstance(errors, list) or not errors or not isinstance(errors[0], dict):
        return "", ""
    first = errors[0]
    code = str(first.get("code") or "")
    message = str(first.get("message") or "")
    detail = first.get("detail")
    if isinstance(detail, str) and detail and detail != message:
        message = f"{message} ({detail})" if message else detail
    return code, message


class _Authenticator:
    """Answers a registry's challenges and attaches credentials or tokens to requests."""

    def __init__(self, client: RegistryClient):
        self._client = client
        self._lock = threading.Lock()
        self._looked_up = False
        self._credentials: RegistryCredentials | None = None
        self._scheme = ""
        self._realm = ""
        self._service = ""
        self._tokens = TokenCache()
        self._refused = False

    def credentials(self) -> RegistryCredentials | None:
        with self._lock:
            if not self._looked_up:
                self._credentials = self._client._credentials_provider(self._client.host)
                self._looked_up = True
            return self._credentials

    def headers(self, scopes: tuple[str, ...]) -> dict[str, str]:
        """The ``Authorization`` header for a request, once the registry's scheme is known."""
        if self._scheme == "basic":
            creds = self.credentials()
            if creds is not None and creds.username:
                return {"Authorization": _basic(creds.username, creds.password)}
        elif self._scheme == "bearer":
            token = self._tokens.get(self._client.host, scopes)
            if token is None:
                token = self._fetch_token(scopes)
            return {"Authorization": f"Bearer {token}"}
        return {}

    def answer(self, header: str, scopes: tuple[str, ...]) -> bool:
        """Learn from a 401 challenge; ``True`` when a retry with new credentials makes sense."""
        challenge = parse_challenge(header)
        if challenge.scheme == "basic":
            creds = self.credentials()
            if creds is None or not creds.username:
                return False
            self._scheme = "basic"
            return True
        if challenge.scheme == "bearer":
            realm = challenge.params.get("realm", "")
            if not realm:
                return False
            self._realm = realm
            self._service = challenge.params.get("service", "")
            self._tokens.drop(self._client.host, scopes)
            wanted = challenge.params.get("scope", "")
            if wanted:
                merged = merge_scopes([*scopes, wanted])
                if merged != scopes:
                    # the registry asks for more than we expected: fetch for both keys
                    self._tokens.put(
                        self._client.host, scopes, self._fetch_token(merged), DEFAULT_TOKEN_LIFETIME
                    )
            self._scheme = "bearer"
            return True
        return False

    def hint(self) -> str:
        """A note for an authorisation error: were credentials offered at all?"""
        creds = self.credentials()
        if creds is None:
            return f" (no credentials for {self._client.host})"
        return f" (the credentials for {self._client.host} were not accepted)"

    def _fetch_token(self, scopes: tuple[str, ...]) -> str:
        creds = self.credentials()
        if creds is not None and creds.access_token and not creds.refresh_token:
            return creds.access_token
        params: list[tuple[str, str]] = []
        if self._service:
            params.append(("service", self._service))
        params += [("scope", scope) for scope in scopes]
        headers: dict[str, str] = {}
        if creds is not None and creds.refresh_token:
            form = dict(params)
            form.update(grant_type="refresh_token", refresh_token=creds.refresh_token)
            form["client_id"] = "pyocm"
            if scopes:
                form["scope"] = " ".join(scopes)
            response = self._token_request("POST", data=form)
        else:
            if creds is not None and creds.username:
                headers["Authorization"] = _basic(creds.username, creds.password)
            response = self._token_request("GET", params=params, headers=headers)
        try:
            data = json.loads(response.content)
        except ValueError:
            data = None
        token = ""
        lifetime = DEFAULT_TOKEN_LIFETIME
        if isinstance(data, dict):
            token = str(data.get("access_token") or data.get("token") or "")
            expires = data.get("expires_in")
            if isinstance(expires, int | float) and expires > 0:
                lifetime = float(expires)
        if not token:
            raise RegistryError(
                response.request.method,
                display_url(self._realm),
                response.status_code,
                "token service answered without a token",
            )
        self._tokens.put(self._client.host, scopes, token, lifetime)
        return token

    def _token_request(
        self,
        method: str,
        *,
        params: list[tuple[str, str]] | None = None,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        attempts = self._client.retry.start()
        shown = display_url(self._realm)
        while True:
            try:
                response = self._client._http.request(
                    method,
                    self._realm,
                    params=tuple(params) if params else None,
                    data=data,
                    headers=headers,
                )
            except httpx.TransportError as e:
                if is_transport_error(e) and attempts.backoff():
                    continue
                raise RegistryError(method, shown, None, describe_transport_error(e)) from None
            if response.status_code in RETRYABLE_STATUS and attempts.backoff(
                parse_retry_after(response.headers.get("retry-after"))
            ):
                continue
            if response.status_code != 200:
                code, detail = _error_body(response.content)
                reason = response.reason_phrase or ""
                if response.status_code in (401, 403):
                    reason += self.hint()
                raise RegistryError(method, shown, response.status_code, reason, code, detail)
            return response


def _basic(username: str, password: str) -> str:
    raw = f"{username}:{password}".encode()
    return "Basic " + base64.b64encode(raw).decode("ascii")


def json_body(response: httpx.Response, what: str) -> Any:
    """The decoded JSON of a read response, or :class:`OCMError` naming ``what``."""
    try:
        return json.loads(response.content)
    except ValueError:
        raise OCMError(f"{what} from {display_url(response.request.url)} is not JSON") from None
