"""``ocm download resource`` and ``ocm download plugin``.

>>> from pyocm.cli.commands.download import download
>>> {name: cmd.aliases for name, cmd in sorted(download.commands.items())}
{'plugin': ('plugins',), 'resource': ('resources',)}
"""

from __future__ import annotations

from typing import Any

import click

from pyocm.cli.aliases import OcmCommand, OcmGroup
from pyocm.cli.flags import Enum, bool_flag, split_commas
from pyocm.cli.pending import not_implemented
from pyocm.cli.positional import exact_args

_RESOURCE_HELP = """\
Download one resource of a component version in an OCM repository.

The reference must name a version. --identity selects the resource (k=v pairs, comma
separated; the first resource whose identity contains all of them). The content is written to
--output (default: the resource name in the current directory); with --extraction-policy auto,
recognised archives are extracted into that directory. --transformer converts the content
first (built in: helm)."""

_RESOURCE_EXAMPLES = """\
# Download the resource named 'example'
ocm download resource ghcr.io/org//acme.org/component:1.0.0 --identity name=example

# Select by several identity attributes
ocm download resource ghcr.io/org//acme.org/component:1.0.0 \\
    --identity name=example,architecture=amd64

# Choose the output file
ocm download resource ghcr.io/org//acme.org/component:1.0.0 --identity name=example \\
    --output ./my-resource.tar.gz

# Apply a transformer
ocm download resource ghcr.io/org//acme.org/component:1.0.0 --identity name=chart \\
    --transformer helm"""


@click.command(
    "resource",
    cls=OcmCommand,
    aliases=("resources",),
    short_help="Download resources described in a component version in an OCM Repository",
    help=_RESOURCE_HELP,
    examples=_RESOURCE_EXAMPLES,
    args_metavar="{reference}",
    check_args=exact_args(1),
)
@click.option("--identity", default="", show_default=False, help="resource identity to download")
@click.option(
    "--output",
    default="",
    show_default=False,
    help="output path: a file, or the directory extractable archives are extracted into "
    "(default: the resource name); parent directories are created",
)
@click.option(
    "--transformer",
    default="",
    show_default=False,
    help="transformer to use for the output (built in: helm, the chart archive and its "
    "provenance file); without one the resource is written as is",
)
@click.option(
    "--extraction-policy",
    type=Enum(("auto", "disable")),
    default="auto",
    help="auto: extract recognised archive formats; disable: never extract",
)
@click.pass_context
def download_resource(
    ctx: click.Context,
    /,
    args: tuple[str, ...],
    identity: str,
    output: str,
    transformer: str,
    extraction_policy: str,
) -> None:
    """Download one resource of a component version."""
    import logging

    from pyocm.cli.byte_progress import byte_progress
    from pyocm.cli.repositories import access_context, open_for
    from pyocm.descriptor.identity import parse_identity
    from pyocm.download import ExtractionPolicy
    from pyocm.download import download_resource as download

    try:
        selector = parse_identity(identity)
    except ValueError as e:
        raise click.BadParameter(str(e), ctx, param_hint="--identity") from None
    if not selector:
        raise click.BadParameter("an identity is required (k=v,...)", ctx, param_hint="--identity")
    policy: ExtractionPolicy = "disable" if extraction_policy == "disable" else "auto"
    with (
        access_context(ctx) as context,
        byte_progress(f"downloading {identity} of {args[0]}") as progress,
    ):
        path = download(
            args[0],
            selector,
            output or None,
            extraction=policy,
            opener=lambda spec: open_for(ctx, spec),
            context=context,
            transformer=transformer,
            progress=progress,
        )
    logging.getLogger("pyocm.cli").info(
        "resource downloaded successfully", extra={"output": str(path)}
    )


_PLUGIN_HELP = """\
Download a plugin binary from a component version.

The plugin is the resource of type --plugin-type whose identity matches the current os and
architecture (and --extra-identity). It is saved, executable, as <output>/<last segment of the
component name> and checked by running "<plugin> capabilities" (unless --skip-validation)."""

_PLUGIN_EXAMPLES = """\
# Download a plugin binary
ocm download plugin <oci-repository>//<my-plugin-component>:<version>

# Download a platform-specific binary into a directory
ocm download plugin <oci-repository>//<my-plugin-component>:<version> \\
    --extra-identity os=linux,arch=amd64 --output ./plugins"""


@click.command(
    "plugin",
    cls=OcmCommand,
    aliases=("plugins",),
    short_help="Download plugin binaries from a component version.",
    help=_PLUGIN_HELP,
    examples=_PLUGIN_EXAMPLES,
    args_metavar="{reference}",
    check_args=exact_args(1),
)
@click.option(
    "--resource-version",
    default="",
    show_default=False,
    help="version of the plugin resource to download (default: the component version)",
)
@click.option(
    "--output",
    default="",
    show_default=False,
    help="output folder to download the plugin binary to (default $HOME/.config/ocm/plugins)",
)
@click.option(
    "-f",
    "--output-format",
    type=Enum(("table", "yaml", "json")),
    default="table",
    help="output format of the plugin information",
)
@click.option(
    "--extra-identity",
    multiple=True,
    callback=split_commas,
    metavar="K=V",
    show_default=False,
    help="extra identity parameters for resource matching (repeatable or comma separated, "
    "e.g. os=linux,arch=amd64)",
)
@bool_flag("skip-validation", "skip validation of the downloaded plugin binary")
@click.option(
    "--plugin-type",
    default="ocmPlugin",
    help="type of the plugin resource in the component version containing the plugin binary",
)
@click.pass_context
def download_plugin(ctx: click.Context, /, **_: Any) -> None:
    """Download a plugin (not implemented yet)."""
    not_implemented(ctx)


download = OcmGroup(
    "download",
    [download_resource, download_plugin],
    short_help="Download anything from OCM",
    help="Download anything from OCM",
)
