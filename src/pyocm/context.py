"""The library's entry point: a :class:`Context` carries configuration and opens repositories.

    >>> import tempfile
    >>> import pyocm
    >>> from pyocm.descriptor import Component, Descriptor, Provider
    >>> ctf = tempfile.mkdtemp() + "/transport-archive"
    >>> with pyocm.Context() as ctx:
    ...     with ctx.open(ctf, mode="create") as repo:
    ...         repo.add_component_version(
    ...             Descriptor(Component("acme.org/app", "1.0.0", Provider("acme"))))
    ...     cv = ctx.component_version(f"{ctf}//acme.org/app:1.0.0")
    ...     latest = ctx.open(ctf).component_version("acme.org/app", "latest")
    >>> cv.name, cv.version, latest.version
    ('acme.org/app', '1.0.0', '1.0.0')
    >>> ctx.open(ctf)
    Traceback (most recent call last):
    ...
    pyocm.errors.OCMError: the context is closed

A context is built from ``.ocmconfig`` files found as the ``ocm`` command finds them
(:meth:`Context.from_config`), from in-memory documents such as the contents of Kubernetes
Secrets (:meth:`Context.from_documents`), or empty (``Context()``).  It holds the merged
configuration: credentials (consumer identities, docker config, credential helpers), the
resolvers (``resolvers.config`` and the deprecated ``ocm.config`` entries), the signing
configuration and the keys it names (:meth:`Context.signing_key`,
:meth:`Context.verification_key`, :mod:`pyocm.configured_keys`).  Whatever it opens reaches
registries with those credentials, so two contexts with different credentials can be used side
by side, from any threads: a context has no global state, and its configuration does not change
after it is built.

Closing a context (or leaving its ``with`` block) closes the repositories and access contexts it
opened that are still open; a closed context refuses further use.

The repositories it opens hand out component versions with resources that read like prose
(:meth:`~pyocm.component_version.ContextRepository.component_version`,
:mod:`pyocm.component_version`).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pyocm.errors import OCMError

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

    from pyocm.access.context import AccessContext
    from pyocm.component_version import ComponentVersion, ContextRepository
    from pyocm.config.credentials.store import CredentialStore
    from pyocm.config.discovery import Environment
    from pyocm.config.merge import SigningConfig
    from pyocm.config.model import Config
    from pyocm.oci.auth import CredentialsProvider
    from pyocm.repository import OCISpec, RepositorySpec
    from pyocm.repository.base import Repository
    from pyocm.repository.legacy import Compatibility
    from pyocm.repository.ocm import OCMRepository
    from pyocm.repository.resolvers import ResolvingRepository

__all__ = ["Context", "Mode"]

Mode = Literal["r", "rw", "create"]
"""How a repository is opened: read only, read-write (must exist), read-write created when
missing."""

_Closable = TypeVar("_Closable", "OCMRepository", "AccessContext")

Document = bytes | str | Mapping[str, Any]
"""An ``.ocmconfig`` document: YAML or JSON text, or the parsed mapping."""


class Context:
    """Configuration for a library user: credentials, resolvers, signing configuration.

    ``config`` is the merged configuration (default: empty), or a function that loads it, called
    once when the configuration is first needed (opening a CTF needs none; the ``ocm`` command
    passes one so that a command that reaches no registry reads no configuration).
    ``ca_file`` is a PEM bundle trusted for the registries it opens (default: the system trust
    store).  Thread-safe; a context manager that closes what it opened.
    """

    def __init__(
        self,
        config: Config | Callable[[], Config] | None = None,
        *,
        ca_file: str | Path | None = None,
    ):
        self._config: Config | None = None
        self._load_config: Callable[[], Config] | None = None
        if config is None:
            from pyocm.config.model import Config

            self._config = Config()
        elif callable(config):
            self._load_config = config
        else:
            self._config = config
        self._ca_file = ca_file
        self._lock = threading.Lock()
        self._closed = False
        self._opened: weakref.WeakSet[OCMRepository | AccessContext] = weakref.WeakSet()
        self._shared_access: AccessContext | None = None

    # building

    @classmethod
    def from_config(
        cls,
        paths: Sequence[str | Path] | None = None,
        *,
        environment: Environment | None = None,
        ca_file: str | Path | None = None,
    ) -> Context:
        """A context with the configuration of ``paths``, or of the files ``ocm`` discovers.

        With ``paths`` (the CLI's ``--config``) every file must load, else
        :class:`~pyocm.errors.OCMError`; without, the files
        :func:`pyocm.config.discover_config_paths` finds in ``environment`` (default: this
        process) are merged, later ones winning, and those that fail are logged and skipped.
        Unlike the ``ocm`` command, nothing is written (no first-start auto-configuration).
        """
        from pyocm.config.discovery import load_config

        return cls(load_config(paths, environment=environment), ca_file=ca_file)

    @classmethod
    def from_documents(cls, *documents: Document, ca_file: str | Path | None = None) -> Context:
        """A context with the configuration of ``documents``, merged in order (later ones win).

        Each is a ``generic.config.ocm.software/v1`` document, as YAML or JSON text (``bytes``
        or ``str``, e.g. the contents of a Secret) or already parsed; messages name it
        ``document[i]``.  Raises :class:`~pyocm.errors.OCMError` when one is malformed.
        """
        from pyocm.config.merge import flatten_document
        from pyocm.config.model import Config, ConfigEntry

        entries: list[ConfigEntry] = []
        for index, document in enumerate(documents):
            source = f"document[{index}]"
            if isinstance(document, bytes | str):
                from pyocm._internal.documents import parse_document

                if not document:
                    raise OCMError(f"{source}: cannot decode empty input data")
                document = parse_document(document, source)
            entries += flatten_document(document, source)
        return cls(Config(tuple(entries)), ca_file=ca_file)

    # what it holds

    @property
    def config(self) -> Config:
        """The merged configuration (immutable; loaded now if it was given as a function)."""
        config = self._config
        if config is None:
            with self._lock:
                if self._config is None:
                    assert self._load_config is not None
                    self._config = self._load_config()
                config = self._config
        return config

    @property
    def credentials(self) -> CredentialStore:
        """The credential store of the configuration (built on first use; raises
        :class:`~pyocm.errors.CredentialsError` when a credentials entry is malformed)."""
        return self.config.credentials

    def signing_config(self, signature: str = "") -> SigningConfig | None:
        """The configured signing settings for ``signature`` (None when nothing is configured)."""
        from pyocm.config.merge import signing_config

        return signing_config(self.config, signature)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def registry_credentials(self, spec: OCISpec) -> CredentialsProvider:
        """The credentials provider for the registry ``spec``: consumer identity
        ``OCIRegistry`` with the registry's hostname, port, scheme and the sub path, as the Go
        CLI asks for it (docker config and credential helpers included)."""
        from pyocm.config.credentials.lookups import oci_credentials_provider

        self._require_open()
        return oci_credentials_provider(self.config, path=spec.sub_path, scheme=spec.scheme)

    # opening

    def open(
        self,
        spec: str | RepositorySpec,
        *,
        mode: Mode = "r",
        compatibility: Compatibility = "v2",
    ) -> ContextRepository:
        """Open the repository ``spec`` names: a reference (``http://127.0.0.1:5000/ocm``,
        ``./transport-archive``, ``ctf::archive.tgz``, ``oci::ghcr.io/acme``) or a parsed
        :class:`~pyocm.repository.RepositorySpec`.  It is an
        :class:`~pyocm.repository.ocm.OCMRepository` whose
        :meth:`~pyocm.component_version.ContextRepository.component_version` gives component
        versions whose content is reached with this context's credentials.

        Registries are reached with the configured credentials; CTFs need none.
        ``compatibility`` says whom a written repository is for (``v2`` or ``legacy``
        readers).  The caller closes the repository (it is a context manager); closing the
        context closes it too.  Raises :class:`~pyocm.errors.OCMError` for an invalid
        reference or a missing repository.
        """
        from pyocm.component_version import ContextRepository
        from pyocm.repository import OCISpec, open_repository, parse_repository

        self._require_open()
        if isinstance(spec, str):
            spec = parse_repository(spec)
        if isinstance(spec, OCISpec):
            repository = open_repository(
                spec,
                mode=mode,
                credentials=self.registry_credentials(spec),
                ca_file=self._ca_file,
                compatibility=compatibility,
            )
        else:
            repository = open_repository(spec, mode=mode, compatibility=compatibility)
        return ContextRepository.extending(self._track(repository), self)

    def component_version(self, reference: str) -> ComponentVersion:
        """The component version ``reference`` names (``[type::]repository//component:version``),
        read from its repository; its ``descriptor`` is the descriptor.

        The repository stays open for reading the resources; it is closed with the component
        version (a context manager) or with this context.  Raises
        :class:`~pyocm.errors.NotFound` when the version is not there and
        :class:`~pyocm.errors.OCMError` when the reference names no version.
        """
        from pyocm.component_version import ComponentVersion
        from pyocm.repository import parse_component_reference

        self._require_open()
        ref = parse_component_reference(reference)
        if not ref.version:
            raise OCMError(f"{reference}: the reference names no version")
        repository = self.open(ref.repository)
        try:
            descriptor = repository.get_component_version(ref.component, ref.version)
        except BaseException:
            repository.close()
            raise
        return ComponentVersion(repository, descriptor, self, owns_repository=True)

    def access_context(self) -> AccessContext:
        """An access context with this context's credentials, for the content access
        specifications name (registries, helm repositories, URLs).

        The caller closes it (it is a context manager); closing the context closes it too.
        """
        from pyocm.access.context import AccessContext
        from pyocm.config.credentials.lookups import oci_credentials_provider

        self._require_open()
        config = self.config
        access = AccessContext(
            credentials=lambda scheme, path: oci_credentials_provider(
                config, path=path, scheme=scheme
            ),
            consumer_credentials=config.credentials.resolve,
            ca_file=self._ca_file,
        )
        return self._track(access)

    def shared_access_context(self) -> AccessContext:
        """The access context the component versions of this context reach content with: made
        on first use (as :meth:`access_context`), shared by them, closed with the context."""
        self._require_open()
        with self._lock:
            shared = self._shared_access
        if shared is None:
            made = self.access_context()
            with self._lock:
                if self._shared_access is None:
                    self._shared_access = made
                shared = self._shared_access
            if shared is not made:
                made.close()
        return shared

    def resolving(
        self,
        base: RepositorySpec | None,
        base_repository: Repository | None = None,
        component_patterns: Sequence[str] = (),
    ) -> ResolvingRepository:
        """The resolver chain around the repository ``base`` (already open as
        ``base_repository``) and the components ``component_patterns`` names: the base
        repository, then the configured ``resolvers.config`` (or deprecated ``ocm.config``)
        entries (:mod:`pyocm.repository.resolvers`).

        The resolver repositories are opened read-only, through :meth:`open`, when first
        needed; the caller closes the chain (a context manager), which leaves
        ``base_repository`` open.
        """
        from pyocm.config.merge import legacy_resolvers_config, resolvers_config
        from pyocm.repository.resolvers import resolver_chain

        self._require_open()
        config = self.config
        configured = resolvers_config(config)
        fallbacks = legacy_resolvers_config(config)
        return resolver_chain(
            base,
            opener=lambda spec: self.open(spec),
            base_repository=base_repository,
            component_patterns=component_patterns,
            configured=configured.resolvers if configured else (),
            fallbacks=fallbacks.resolvers if fallbacks else (),
        )

    # keys

    def signing_key(
        self,
        signature: str = "default",
        algorithm: str = "RSASSA-PSS",
        *,
        private_key_file: str | Path | None = None,
        certificate_chain_file: str | Path | None = None,
    ) -> tuple[RSAPrivateKey, list[x509.Certificate]]:
        """The RSA private key and certificate chain (may be empty) to sign ``signature``
        with: the given files, else the configured ones
        (:func:`pyocm.configured_keys.rsa_signing_key`)."""
        from pyocm.configured_keys import rsa_signing_key

        self._require_open()
        return rsa_signing_key(
            self.config,
            signature,
            algorithm,
            private_key_file=private_key_file,
            certificate_chain_file=certificate_chain_file,
        )

    def verification_key(
        self,
        signature: str = "default",
        algorithm: str = "RSASSA-PSS",
        *,
        public_key_file: str | Path | None = None,
        ca_certificate_files: Sequence[str | Path] = (),
    ) -> tuple[RSAPublicKey | None, list[x509.Certificate]]:
        """The RSA public key (None when only trust anchors are known) and the trust anchors to
        verify ``signature`` with (:func:`pyocm.configured_keys.rsa_verification_key`)."""
        from pyocm.configured_keys import rsa_verification_key

        self._require_open()
        return rsa_verification_key(
            self.config,
            signature,
            algorithm,
            public_key_file=public_key_file,
            ca_certificate_files=ca_certificate_files,
        )

    def gpg_signing_key(
        self, signature: str = "default", *, private_key_file: str | Path | None = None
    ) -> tuple[bytes, str]:
        """The armored OpenPGP secret keyring and its passphrase to sign ``signature`` with
        (:func:`pyocm.configured_keys.gpg_signing_key`)."""
        from pyocm.configured_keys import gpg_signing_key

        self._require_open()
        return gpg_signing_key(self.config, signature, private_key_file=private_key_file)

    def gpg_verification_key(
        self, signature: str = "default", *, public_key_file: str | Path | None = None
    ) -> bytes:
        """The armored OpenPGP keyring to verify ``signature`` with
        (:func:`pyocm.configured_keys.gpg_verification_key`)."""
        from pyocm.configured_keys import gpg_verification_key

        self._require_open()
        return gpg_verification_key(self.config, signature, public_key_file=public_key_file)

    # lifecycle

    def close(self) -> None:
        """Close the repositories and access contexts opened here that are still open; the
        context refuses further use.  Closing twice does nothing."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            opened = list(self._opened)
            self._opened.clear()
        for thing in opened:
            thing.close()

    def __enter__(self) -> Context:
        self._require_open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _require_open(self) -> None:
        if self._closed:
            raise OCMError("the context is closed")

    def _track(self, thing: _Closable) -> _Closable:
        with self._lock:
            closed = self._closed
            if not closed:
                self._opened.add(thing)
        if closed:
            thing.close()
            raise OCMError("the context is closed")
        return thing
