"""``ocm plugin registry list|get``: browse plugin registries.

>>> from pyocm.cli.commands.plugin import plugin
>>> sorted(plugin.commands["registry"].commands)
['get', 'list']
"""

from __future__ import annotations

from typing import Any

import click

from pyocm.cli.aliases import OcmCommand, OcmGroup
from pyocm.cli.flags import Enum, bool_flag
from pyocm.cli.pending import not_implemented
from pyocm.cli.positional import exact_args

_REGISTRY_HELP = "registry component reference(s) to list plugins from (comma separated)"


@click.command(
    "list",
    cls=OcmCommand,
    short_help="List available plugin binaries from a plugin registry.",
    help="List the plugins of plugin registries. A registry is a component version whose\n"
    "component references are the plugins; without a version its latest version is used.",
    examples="""\
# List available plugin binaries from a registry
ocm plugin registry list \\
    --registry ghcr.io/open-component-model/plugins//ocm.software/plugin-registry""",
    check_args=exact_args(0),
)
@click.option(
    "-o",
    "--output",
    type=Enum(("table", "yaml", "json", "ndjson", "wide")),
    default="table",
    help="output format of the plugin list",
)
@click.option("--registry", required=True, help=_REGISTRY_HELP)
@click.pass_context
def registry_list(ctx: click.Context, /, **_: Any) -> None:
    """List plugins (not implemented yet)."""
    not_implemented(ctx)


@click.command(
    "get",
    cls=OcmCommand,
    short_help="Get information about specified plugin from a plugin registry.",
    help="Show one plugin of plugin registries, optionally with its component descriptor.",
    examples="""\
# Get information about a plugin from a plugin registry
ocm plugin registry get <plugin-name> --registry <oci-repository>//<registry-component>""",
    args_metavar="<plugin-name[:version]>",
    check_args=exact_args(1),
)
@click.option(
    "-o",
    "--output",
    type=Enum(("table", "yaml", "json", "ndjson")),
    default="table",
    help="output format of the plugin list",
)
@click.option(
    "--version",
    default="",
    show_default=False,
    help="specific version of the plugin to display (default: latest version)",
)
@bool_flag("component-descriptor", "return component descriptors of the plugins")
@click.option("--registry", required=True, help=_REGISTRY_HELP)
@click.pass_context
def registry_get(ctx: click.Context, /, **_: Any) -> None:
    """Show a plugin (not implemented yet)."""
    not_implemented(ctx)


registry = OcmGroup(
    "registry",
    [registry_get, registry_list],
    short_help="Manage plugin registries",
    help="Manage plugin registries",
    subcommand_metavar="{get|list}",
)

plugin = OcmGroup(
    "plugin",
    [registry],
    short_help="Manage OCM plugins",
    help="Manage OCM plugins",
)
