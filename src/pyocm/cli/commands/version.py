"""``ocm version``: print pyocm's version in the Go CLI's formats.

>>> from click.testing import CliRunner
>>> from pyocm.cli.app import cli
>>> CliRunner().invoke(cli, ["version"]).output.startswith('{"major":')
True
"""

from __future__ import annotations

from typing import Any

import click

from pyocm.cli.aliases import OcmCommand

_HELP = """\
Print the version of this ocm (pyocm) in one of three formats (--format):

legacyjson (default): one JSON line with major, minor, patch, gitVersion, goVersion, compiler
and platform (and prerelease, meta, gitCommit, buildDate when the version has them), the keys
the Go CLI prints. pyocm fills goVersion with the Python version and compiler with the Python
implementation.

gobuildinfo: the build information as tab-separated lines (go, path, mod, dep, build).

gobuildinfojson: the same as one JSON object.

An unknown format prints this help."""


@click.command(
    "version",
    cls=OcmCommand,
    short_help="Retrieve the build version of the OCM CLI",
    help=_HELP,
    examples="ocm version --format legacyjson",
)
@click.option(
    "-f",
    "--format",
    "output_format",
    default="legacyjson",
    help="output format: legacyjson, gobuildinfo or gobuildinfojson",
)
@click.pass_context
def version(ctx: click.Context, /, output_format: str, **_: Any) -> None:
    """Print the version."""
    import json

    import pyocm
    from pyocm.cli import buildinfo

    if output_format == "legacyjson":
        info = buildinfo.legacy_version_info(
            pyocm.__version__,
            buildinfo.python_version(),
            buildinfo.compiler(),
            f"{buildinfo.go_os()}/{buildinfo.go_arch()}",
        )
        click.echo(json.dumps(info, separators=(",", ":")))
    elif output_format == "gobuildinfo":
        click.echo(buildinfo.build_info("pyocm", pyocm.__version__).text(), nl=False)
    elif output_format == "gobuildinfojson":
        click.echo(buildinfo.build_info("pyocm", pyocm.__version__).to_json(), nl=False)
    else:
        click.echo(ctx.get_help())
