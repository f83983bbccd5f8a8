"""The honest answer of a command whose implementation does not exist yet.

    >>> import click
    >>> ctx = click.Context(click.Command("docs"), info_name="ocm generate docs")
    >>> not_implemented(ctx)
    Traceback (most recent call last):
    pyocm.errors.OCMError: ocm generate docs is not implemented in pyocm yet

Such commands are registered with their full flags and help, so scripts and ``--help`` see the
Go CLI's interface, but running them fails with exit code 1 instead of pretending to work.
"""

from __future__ import annotations

from typing import NoReturn

import click


def not_implemented(ctx: click.Context, feature: str = "") -> NoReturn:
    """Fail the command running in ``ctx`` because pyocm does not implement it (or ``feature``)."""
    from pyocm.errors import OCMError

    what = f"{ctx.command_path} {feature}".strip()
    raise OCMError(f"{what} is not implemented in pyocm yet")
