"""``ocm describe types`` / ``ocm get types``: introspect the type registries.

>>> from pyocm.cli.commands.types import types_command
>>> types_command().aliases
('type',)
"""

from __future__ import annotations

from typing import Any

import click

from pyocm.cli.aliases import OcmCommand
from pyocm.cli.flags import Enum, bool_flag
from pyocm.cli.pending import not_implemented
from pyocm.cli.positional import at_most_args

_HELP = """\
Describe the OCM types that pyocm knows, by subsystem.

Subsystems group the types of one kind: ocm-repository (where component versions are stored),
access (how resources are fetched), input (how the constructor sources content),
credential-repository, signing and credentials. Every typed object in a configuration or
constructor file names its type from one of them.

With no arguments the subsystems are listed; with a subsystem, its types; with a subsystem and a
type, the fields of that type; a third argument (a dot path such as spec.file) narrows the
description to a nested field.

Output formats (-o): text (default), markdown, html; jsonschema and examples only for a type."""

_EXAMPLES = """\
# Discover the repository types, then look at one
ocm describe types ocm-repository
ocm describe types ocm-repository oci/v1

# The fields of an input type, and one nested field
ocm describe types input dir/v1
ocm describe types ocm-repository oci/v1 baseUrl

# All field paths of a type
ocm describe types input file/v1 --show-paths"""


def types_command() -> OcmCommand:
    """A fresh ``types`` command (``get`` and ``describe`` each hold one)."""

    @click.command(
        "types",
        cls=OcmCommand,
        aliases=("type",),
        short_help="Describe OCM types and their configuration schema",
        help=_HELP,
        examples=_EXAMPLES,
        args_metavar="[subsystem [type [field-path]]]",
        check_args=at_most_args(3),
    )
    @click.option(
        "-o",
        "--output",
        type=Enum(("text", "markdown", "html", "jsonschema", "examples")),
        default="text",
        help="output format; jsonschema and examples only for a single type",
    )
    @click.option(
        "--table-style",
        type=Enum(("StyleDefault", "StyleColoredDark", "StyleColoredBright")),
        default="StyleDefault",
        help="table output style",
    )
    @bool_flag("show-paths", "list all field paths of the type (for navigation)")
    @click.pass_context
    def types(ctx: click.Context, /, **_: Any) -> None:
        """Describe types (not implemented yet)."""
        not_implemented(ctx)

    return types
