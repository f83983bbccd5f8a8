"""``ocm generate docs``: write the command reference.

>>> from pyocm.cli.commands.generate import generate
>>> sorted(generate.commands)
['docs']
"""

from __future__ import annotations

from typing import Any

import click

from pyocm.cli.aliases import OcmCommand, OcmGroup
from pyocm.cli.flags import Enum
from pyocm.cli.pending import not_implemented


@click.command(
    "docs",
    cls=OcmCommand,
    short_help="Generate Documentation for the CLI",
    help="Generate documentation for the OCM CLI in various formats, including Hugo-compatible "
    "markdown.",
)
@click.option(
    "-d",
    "--directory",
    default="",
    show_default=False,
    help="directory to generate docs to. If not set, current working directory is used.",
)
@click.option(
    "--mode",
    type=Enum(("markdown", "hugo", "restructured", "man", "yaml")),
    default="markdown",
    help="generation mode to use",
)
@click.pass_context
def generate_docs(ctx: click.Context, /, **_: Any) -> None:
    """Generate docs (not implemented yet)."""
    not_implemented(ctx)


generate = OcmGroup(
    "generate",
    [generate_docs],
    short_help="Generate documentation for the OCM CLI",
    help="Generate documentation for the OCM CLI",
    subcommand_metavar="{docs}",
)
