"""Checks of a command's positional arguments, with the Go CLI's (cobra's) error messages.

>>> import click
>>> ctx = click.Context(click.Command("version"), info_name="ocm version")
>>> exact_args(1)(ctx, ())
Traceback (most recent call last):
click.exceptions.UsageError: accepts 1 arg(s), received 0
"""

from __future__ import annotations

from collections.abc import Callable

import click

ArgsCheck = Callable[[click.Context, tuple[str, ...]], None]
"""Raises :class:`click.UsageError` when the positional arguments do not fit the command."""


def no_args(ctx: click.Context, args: tuple[str, ...]) -> None:
    """The command takes no positional arguments."""
    if args:
        raise click.UsageError(f'unknown command "{args[0]}" for "{ctx.command_path}"', ctx)


def any_args(ctx: click.Context, args: tuple[str, ...]) -> None:
    """The command takes any number of positional arguments."""


def exact_args(n: int) -> ArgsCheck:
    """The command takes exactly ``n`` positional arguments."""

    def check(ctx: click.Context, args: tuple[str, ...]) -> None:
        if len(args) != n:
            raise click.UsageError(f"accepts {n} arg(s), received {len(args)}", ctx)

    return check


def at_most_args(n: int) -> ArgsCheck:
    """The command takes up to ``n`` positional arguments."""

    def check(ctx: click.Context, args: tuple[str, ...]) -> None:
        if len(args) > n:
            raise click.UsageError(f"accepts at most {n} arg(s), received {len(args)}", ctx)

    return check
