"""Opening the repository a command names, with what the configuration says about registries.

    >>> import click
    >>> from pyocm.cli.repositories import open_for                          # doctest: +SKIP
    >>> with open_for(click.get_current_context(), "http://127.0.0.1:5000//acme.org/x",
    ...               "r") as repo:                                           # doctest: +SKIP
    ...     repo.list_component_versions("acme.org/x")

Every command that takes a repository opens it here, so how registries are reached is decided
in one place: credentials come from the command's ``.ocmconfig`` (consumer identity
``OCIRegistry`` with the registry's hostname, port, scheme and the sub path, as the Go CLI
asks for it; docker config and credential helpers included); CTFs need nothing.  The
registries access specifications name (``ociArtifact`` images, ``ociBlob`` blobs) are reached
through :func:`access_context`, with credentials from the same configuration (the repository
path of the image as ``path``).

:func:`resolving_for` builds the resolver chain of a command (cli.md §3.5,
:mod:`pyocm.repository.resolvers`): the reference's repository, the ``resolvers.config`` (or
deprecated ``ocm.config``) entries of the configuration, each resolver repository opened here
with its credentials.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import click

    from pyocm.access.context import AccessContext
    from pyocm.oci.auth import CredentialsProvider
    from pyocm.repository import OCISpec, RepositorySpec
    from pyocm.repository.base import Repository
    from pyocm.repository.legacy import Compatibility
    from pyocm.repository.ocm import OCMRepository
    from pyocm.repository.resolvers import ResolvingRepository

Mode = Literal["r", "rw", "create"]


def open_for(
    ctx: click.Context,
    spec: str | RepositorySpec,
    mode: Mode = "r",
    compatibility: Compatibility = "v2",
) -> OCMRepository:
    """Open the repository ``spec`` for the command running in ``ctx``.

    ``compatibility`` says whom a written repository is for (``v2`` or ``legacy`` readers).
    """
    from pyocm.repository import OCISpec, open_repository, parse_repository

    if isinstance(spec, str):
        spec = parse_repository(spec)
    if isinstance(spec, OCISpec):
        return open_repository(
            spec,
            mode=mode,
            credentials=registry_credentials(ctx, spec),
            compatibility=compatibility,
        )
    return open_repository(spec, mode=mode, compatibility=compatibility)


def registry_credentials(ctx: click.Context, spec: OCISpec) -> CredentialsProvider:
    """The credentials provider for the registry ``spec``, from the command's configuration."""
    from pyocm.cli.session import command_config
    from pyocm.config.credentials.lookups import oci_credentials_provider

    return oci_credentials_provider(command_config(ctx), path=spec.sub_path, scheme=spec.scheme)


def access_context(ctx: click.Context) -> AccessContext:
    """The access context for the command running in ``ctx``: credentials for the content that
    access specifications name (registries, helm repositories, URLs), from the command's
    configuration.

    The caller closes it (it is a context manager).
    """
    from pyocm.access.context import AccessContext
    from pyocm.cli.session import command_config
    from pyocm.config.credentials.lookups import oci_credentials_provider

    config = command_config(ctx)
    return AccessContext(
        credentials=lambda scheme, path: oci_credentials_provider(config, path=path, scheme=scheme),
        consumer_credentials=config.credentials.resolve,
    )


def resolving_for(
    ctx: click.Context,
    base: RepositorySpec | None,
    base_repository: Repository | None = None,
    component_patterns: Sequence[str] = (),
) -> ResolvingRepository:
    """The resolver chain for the command running in ``ctx``, around its repository ``base``
    (already open as ``base_repository``) and the components ``component_patterns`` it names.

    The resolver repositories are opened read-only when first needed; the caller closes the
    chain (a context manager), which leaves ``base_repository`` open.
    """
    from pyocm.cli.session import command_config
    from pyocm.config.merge import legacy_resolvers_config, resolvers_config
    from pyocm.repository.resolvers import resolver_chain

    config = command_config(ctx)
    configured = resolvers_config(config)
    fallbacks = legacy_resolvers_config(config)
    return resolver_chain(
        base,
        opener=lambda spec: open_for(ctx, spec),
        base_repository=base_repository,
        component_patterns=component_patterns,
        configured=configured.resolvers if configured else (),
        fallbacks=fallbacks.resolvers if fallbacks else (),
    )
