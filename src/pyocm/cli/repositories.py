"""Opening the repository a command names, through the command's :class:`pyocm.Context`.

    >>> import click
    >>> from pyocm.cli.repositories import open_for                          # doctest: +SKIP
    >>> with open_for(click.get_current_context(), "http://127.0.0.1:5000//acme.org/x",
    ...               "r") as repo:                                           # doctest: +SKIP
    ...     repo.list_component_versions("acme.org/x")

Each command run has one library :class:`~pyocm.context.Context` over its configuration
(``--config`` or the discovered ``.ocmconfig`` files, see :mod:`pyocm.cli.session`), made on
first use; the configuration itself is read only when something needs it (a registry's
credentials, an access context, the resolvers).  How registries, the content access
specifications name and resolver chains are reached is the Context's business
(:meth:`~pyocm.context.Context.open`, :meth:`~pyocm.context.Context.access_context`,
:meth:`~pyocm.context.Context.resolving`); the functions here only find the command's Context.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import click

    from pyocm.access.context import AccessContext
    from pyocm.context import Context, Mode
    from pyocm.repository import RepositorySpec
    from pyocm.repository.base import Repository
    from pyocm.repository.legacy import Compatibility
    from pyocm.repository.ocm import OCMRepository
    from pyocm.repository.resolvers import ResolvingRepository

_CONTEXT_KEY = "pyocm.context"


def command_context(ctx: click.Context) -> Context:
    """The library Context of the command running in ``ctx`` (one per command run)."""
    root = ctx.find_root()
    found: Context | None = root.meta.get(_CONTEXT_KEY)
    if found is None:
        from pyocm.cli.session import command_config
        from pyocm.context import Context

        found = root.meta[_CONTEXT_KEY] = Context(lambda: command_config(ctx))
    return found


def open_for(
    ctx: click.Context,
    spec: str | RepositorySpec,
    mode: Mode = "r",
    compatibility: Compatibility = "v2",
) -> OCMRepository:
    """Open the repository ``spec`` for the command running in ``ctx``.

    ``compatibility`` says whom a written repository is for (``v2`` or ``legacy`` readers).
    """
    return command_context(ctx).open(spec, mode=mode, compatibility=compatibility)


def access_context(ctx: click.Context) -> AccessContext:
    """The access context for the command running in ``ctx``: credentials for the content that
    access specifications name (registries, helm repositories, URLs), from the command's
    configuration.

    The caller closes it (it is a context manager).
    """
    return command_context(ctx).access_context()


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
    return command_context(ctx).resolving(base, base_repository, component_patterns)
