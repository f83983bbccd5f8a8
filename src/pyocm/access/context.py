"""What fetching remote content needs beyond the access specification: credentials, TLS, clients.

    >>> from pyocm.access.context import AccessContext
    >>> from pyocm.oci.auth import Credentials
    >>> from pyocm.oci.reference import parse_image_reference
    >>> creds = Credentials(username="me", password="secret")
    >>> context = AccessContext(credentials=lambda scheme, path: lambda host: creds)
    >>> remote = context.repository(parse_image_reference("http://127.0.0.1:5000/acme/app:1.0"))
    >>> remote.client.base_url, remote.name
    ('http://127.0.0.1:5000', 'acme/app')
    >>> remote.client.credentials().username
    'me'
    >>> context.close()

Access types that read from registries (``ociArtifact``, ``ociBlob``) ask the context for the
repository an image reference names.  Registry clients are made once per registry, scheme and
repository path (credentials may depend on the path) and kept until :meth:`close`, so tokens
and connections are reused across the resources of a run.  ``credentials(scheme, path)``
returns the :data:`pyocm.oci.auth.CredentialsProvider` for a repository; the CLI builds it from
``.ocmconfig`` (consumer identity ``OCIRegistry`` with hostname, port, scheme and path).
Content behind plain URLs (``wget``, helm chart repositories) asks ``consumer_credentials``
with the consumer identity of its URL (:func:`pyocm.access.http.url_identity`); the CLI
answers from the same configuration.

Transport security as everywhere in pyocm: TLS with verification (system trust store or
``ca_file``); plain HTTP for an ``http://`` reference, or for references without a scheme when
``insecure`` is set.  This is what Go v2 does: an ``imageReference`` is reached over plain
HTTP only when it says ``http://``, whatever its host (``127.0.0.1`` included).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from pyocm.oci.auth import CredentialsProvider, no_credentials

if TYPE_CHECKING:
    from pyocm.config.credentials.typed import Credentials
    from pyocm.oci.reference import ImageReference
    from pyocm.oci.remote import RemoteRepository
    from pyocm.oci.retry import RetryPolicy

RegistryCredentials = Callable[[str, str], CredentialsProvider]
"""``(scheme, repository path) -> credentials provider`` (scheme empty when not written)."""

ConsumerCredentials = Callable[[Mapping[str, str]], "Credentials | None"]
"""``consumer identity -> credentials`` (None: none configured), for content outside registries:
``{type: Wget | HelmChartRepository, hostname, port, scheme, path}``."""


def anonymous(scheme: str, path: str) -> CredentialsProvider:
    """The default :data:`RegistryCredentials`: no credentials anywhere."""
    return no_credentials


def no_consumer_credentials(identity: Mapping[str, str]) -> Credentials | None:
    """The default :data:`ConsumerCredentials`: none for any consumer."""
    return None


class AccessContext:
    """Credentials and settings for reaching the registries access specifications name.

    Thread-safe; a context manager that closes its clients on exit.
    """

    def __init__(
        self,
        *,
        credentials: RegistryCredentials = anonymous,
        consumer_credentials: ConsumerCredentials = no_consumer_credentials,
        ca_file: str | Path | None = None,
        insecure: bool = False,
        retry: RetryPolicy | None = None,
    ):
        self.credentials = credentials
        self.consumer_credentials = consumer_credentials
        self.ca_file = ca_file
        self.insecure = insecure
        self.retry = retry
        self._repositories: dict[tuple[str, str, str], RemoteRepository] = {}
        self._lock = threading.Lock()

    def repository(self, reference: ImageReference) -> RemoteRepository:
        """The registry repository ``reference`` names, through a shared client."""
        from pyocm.oci.client import RegistryClient

        key = (reference.scheme, reference.registry, reference.repository)
        with self._lock:
            found = self._repositories.get(key)
            if found is None:
                client = RegistryClient(
                    reference.registry_url,
                    credentials=self.credentials(reference.scheme, reference.repository),
                    insecure=self.insecure,
                    ca_file=self.ca_file,
                    retry=self.retry,
                )
                found = self._repositories[key] = client.repository(reference.repository)
            return found

    def close(self) -> None:
        """Close every client made so far (the context can still make new ones)."""
        with self._lock:
            repositories = list(self._repositories.values())
            self._repositories.clear()
        for repository in repositories:
            repository.client.close()

    def __enter__(self) -> AccessContext:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


_default: AccessContext | None = None
_default_lock = threading.Lock()


def default_context() -> AccessContext:
    """The process-wide anonymous context used when a caller gives none."""
    global _default
    with _default_lock:
        if _default is None:
            _default = AccessContext()
        return _default
