"""``ocm help [command]``: the help of any command.

>>> from click.testing import CliRunner
>>> from pyocm.cli.app import cli
>>> CliRunner().invoke(cli, ["help", "get", "cv"]).output.splitlines()[0]
'Usage: ocm get component-version {reference} [flags]'
"""

from __future__ import annotations

from typing import Any

import click

from pyocm.cli.aliases import OcmCommand
from pyocm.cli.positional import any_args


@click.command(
    "help",
    cls=OcmCommand,
    short_help="Help about any command",
    help="Help provides help for any command in the application.\n"
    "Simply type ocm help [path to command] for full details.",
    args_metavar="[command]",
    check_args=any_args,
)
@click.pass_context
def help_command(ctx: click.Context, /, args: tuple[str, ...], **_: Any) -> None:
    """Print the help of the command named by ``args`` (aliases allowed)."""
    root = ctx.find_root()
    target = click.Context(root.command, info_name=root.info_name, **root.command.context_settings)
    for name in args:
        group = target.command
        found = group.get_command(target, name) if isinstance(group, click.Group) else None
        if found is None:
            raise click.UsageError(f'unknown help topic "{" ".join(args)}"', ctx)
        target = click.Context(found, info_name=found.name, parent=target, **found.context_settings)
    click.echo(target.command.get_help(target))
