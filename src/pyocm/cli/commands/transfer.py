"""``ocm transfer component-version``: copy component versions between repositories.

>>> from pyocm.cli.commands.transfer import transfer
>>> sorted(transfer.commands)
['component-version']
"""

from __future__ import annotations

from typing import Any

import click
from click.core import ParameterSource

from pyocm.cli.aliases import OcmCommand, OcmGroup
from pyocm.cli.commands.names import (
    COMPONENT_VERSION,
    COMPONENT_VERSION_ALIASES,
    REFERENCE_FORMAT,
    SUGGEST_COMPONENT_VERSION,
)
from pyocm.cli.flags import Enum, bool_flag
from pyocm.cli.pending import not_implemented
from pyocm.cli.positional import exact_args

_HELP = f"""\
Transfer component version(s) from a source repository to a target repository.

With a version in the source reference exactly that version is transferred; without one, all
versions (filtered by --semver-constraint and --latest). --recursive follows component
references. Only local blobs are copied by value unless --copy-resources is given; --upload-as
decides how copied resources land in an OCI target. Existing versions in the target are
overwritten.

--dry-run prints the planned transfer (a transformation graph) instead of running it;
--transfer-spec runs such a plan from a file (or "-" for stdin), without positional arguments.

{REFERENCE_FORMAT}"""

_EXAMPLES = """\
# Transfer one component version from a CTF archive to an OCI registry
transfer component-version ./transport-archive//ocm.software/mycomponent:1.0.0 \\
    ghcr.io/target-org/ocm

# Transfer recursively, copying all resources as OCI artifacts
transfer component-version -r --copy-resources -u ociArtifact \\
    ghcr.io/source-org/ocm//ocm.software/mycomponent:1.0.0 ghcr.io/target-org/ocm

# Two steps: write the plan, review it, run it
transfer component-version --dry-run -o yaml \\
    ghcr.io/source-org/ocm//ocm.software/mycomponent:1.0.0 ghcr.io/target-org/ocm > spec.yaml
transfer component-version --transfer-spec spec.yaml"""

_SPEC_IGNORES = ("recursive", "copy_resources", "upload_as")


def _transfer_args(ctx: click.Context, args: tuple[str, ...]) -> None:
    if ctx.params.get("transfer_spec"):
        if args:
            raise click.UsageError(
                "positional arguments are not allowed when --transfer-spec is set", ctx
            )
        import logging

        for name in _SPEC_IGNORES:
            if ctx.get_parameter_source(name) == ParameterSource.COMMANDLINE:
                flag = "--" + name.replace("_", "-")
                logging.getLogger(__name__).warning(
                    f"{flag} has no effect when --transfer-spec is set"
                )
        return
    exact_args(2)(ctx, args)


@click.command(
    COMPONENT_VERSION,
    cls=OcmCommand,
    aliases=COMPONENT_VERSION_ALIASES,
    suggest_for=SUGGEST_COMPONENT_VERSION,
    short_help="Transfer one or more component versions between OCM repositories",
    help=_HELP,
    examples=_EXAMPLES,
    args_metavar="{reference} {target}",
    check_args=_transfer_args,
)
@click.option(
    "-o",
    "--output",
    type=Enum(("yaml", "json", "ndjson")),
    default="yaml",
    help="output format of the transfer plan (with --dry-run)",
)
@bool_flag("dry-run", "build and validate the graph but do not execute")
@bool_flag("recursive", "recursively discover and transfer component versions", short="r")
@bool_flag("copy-resources", "copy all resources in the component version")
@click.option(
    "-u",
    "--upload-as",
    type=Enum(("localBlob", "ociArtifact")),
    default="localBlob",
    help="how copied resources are stored in an OCI target: as local blobs or as OCI artifacts "
    "(only relevant with --copy-resources)",
)
@click.option(
    "--transfer-spec",
    default="",
    show_default=False,
    help='path to a transfer specification file (use "-" for stdin)',
)
@click.option(
    "--semver-constraint",
    default="",
    show_default=False,
    help='semantic version constraint restricting which versions to transfer (e.g. ">= 1.0.0, '
    '< 2.0.0"); only used when no version is specified in the reference',
)
@bool_flag(
    "latest",
    "if set, only the latest version of the component is transferred; only used when no "
    "version is specified in the reference",
)
@click.pass_context
def transfer_component_version(ctx: click.Context, /, **_: Any) -> None:
    """Transfer component versions (not implemented yet)."""
    not_implemented(ctx)


transfer = OcmGroup(
    "transfer",
    [transfer_component_version],
    short_help="Transfer anything in OCM",
    help="Transfer anything in OCM",
)
