"""``ocm get``: component versions, the effective configuration, and types.

>>> from pyocm.cli.commands.get import get
>>> get.commands["config"].aliases
('configuration', 'cfg')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from pyocm.cli.aliases import OcmCommand, OcmGroup
from pyocm.cli.commands.names import (
    COMPONENT_VERSION,
    COMPONENT_VERSION_ALIASES,
    REFERENCE_FORMAT,
    SUGGEST_COMPONENT_VERSION,
)
from pyocm.cli.commands.types import types_command
from pyocm.cli.flags import Enum, OptionalValueOption, bool_flag
from pyocm.cli.positional import exact_args

if TYPE_CHECKING:
    from pyocm.repository import Repository, RepositorySpec

_CV_HELP = f"""\
Get component version(s) from an OCM repository.

With a version in the reference, that version is shown. Without one, all versions matching
--semver-constraint are listed, highest first (--latest keeps only the highest). A bare
repository reference lists every component of a CTF archive.

{REFERENCE_FORMAT}"""

_CV_EXAMPLES = """\
Getting a single component version:

get component-version ghcr.io/open-component-model//ocm.software/cli:0.12.0
get cv ./path/to/ctf//ocm.software/cli:0.12.0
get cv ./path/to/ctf/component-descriptors/ocm.software/cli:0.12.0

Listing many component versions:

get component-versions ghcr.io/open-component-model//ocm.software/cli
get cvs ghcr.io/open-component-model//ocm.software/cli --output json
get cvs ghcr.io/open-component-model//ocm.software/cli -oyaml

Specifying types and schemes:

get cv ctf::github.com/locally-checked-out-repo//ocm.software/cli:0.12.0
get cvs oci::http://localhost:8080//ocm.software/cli"""


@click.command(
    COMPONENT_VERSION,
    cls=OcmCommand,
    aliases=COMPONENT_VERSION_ALIASES,
    suggest_for=SUGGEST_COMPONENT_VERSION,
    short_help="Get component version(s) from an OCM repository",
    help=_CV_HELP,
    examples=_CV_EXAMPLES,
    args_metavar="{reference}",
    check_args=exact_args(1),
)
@click.option(
    "-o",
    "--output",
    type=Enum(("table", "yaml", "json", "ndjson", "tree")),
    default="table",
    help="output format of the component descriptors",
)
@click.option(
    "--display-mode",
    type=Enum(("static", "live")),
    default="static",
    help="with --recursive: static prints the result once, live (experimental) redraws it "
    "while the graph is discovered",
)
@click.option(
    "--semver-constraint",
    default="> 0.0.0-0",
    help="semantic version constraint restricting which versions to output",
)
@bool_flag("latest", "if set, only the latest version of the component is returned")
@click.option(
    "--recursive",
    cls=OptionalValueOption,
    no_opt_default="-1",
    type=int,
    default=0,
    help="depth of recursion for resolving referenced component versions (0=none, "
    "-1=unlimited, >0=levels (not implemented yet))",
)
@click.pass_context
def get_component_version(
    ctx: click.Context,
    /,
    args: tuple[str, ...],
    output: str,
    semver_constraint: str,
    latest: bool,
    recursive: int,
    **_: Any,
) -> None:
    """Print component versions of a repository."""
    from pyocm.cli.render import render
    from pyocm.cli.repositories import open_for, resolving_for
    from pyocm.errors import NotFound
    from pyocm.graph import resolve_graph

    repository, selection = _selection(ctx, args[0])
    with open_for(ctx, repository) as repo:
        components = [selection[0]] if selection else repo.list_components()
        if not components:
            raise NotFound(f"no components found in {repo.store.description}")
        with resolving_for(ctx, repository, repo, components) as chain:
            wanted = _wanted_versions(chain, components, selection, semver_constraint, latest)
            roots = [
                resolve_graph(chain, chain.get_component_version(name, version), recursive)
                for name, version in wanted
            ]
    click.echo(render(output, roots), nl=False)


def _selection(ctx: click.Context, reference: str) -> tuple[RepositorySpec, tuple[str, str] | None]:
    """The repository and, for a component reference, (component, version or "")."""
    from pyocm.cli.repositories import open_for
    from pyocm.repository import ComponentRef, InvalidReference, parse_reference

    try:
        ref = parse_reference(reference, strict_version=False)
    except InvalidReference as error:
        if error.repository is not None:
            with open_for(ctx, error.repository):  # a missing or non-CTF repository is said first
                pass
        raise
    if not isinstance(ref, ComponentRef):
        return ref, None
    return ref.repository, (ref.component, ref.version or "")


def _wanted_versions(
    repo: Repository,
    components: list[str],
    selection: tuple[str, str] | None,
    constraint: str,
    latest: bool,
) -> list[tuple[str, str]]:
    """(component, version) pairs to show, each component's versions highest first."""
    import logging

    from pyocm.errors import NotFound
    from pyocm.semver import filter_and_sort

    if selection is not None and selection[1]:
        return [selection]
    wanted: list[tuple[str, str]] = []
    listed = 0
    for component in components:
        versions = repo.list_component_versions(component)
        listed += len(versions)
        chosen = filter_and_sort(versions, constraint, latest)
        for tag in chosen.skipped:
            logging.getLogger("pyocm.cli").warning(
                "skipping version that is no semantic version",
                extra={"component": component, "version": tag},
            )
        wanted += [(component, version) for version in chosen.versions]
    if selection is not None and not wanted:
        if not listed:
            raise NotFound(f"component {selection[0]} not found: the repository has no versions")
        raise NotFound(f"no versions of {selection[0]} match the constraint {constraint!r}")
    return wanted


def _config_args(ctx: click.Context, args: tuple[str, ...]) -> None:
    if args:
        raise click.UsageError(f"unexpected arguments: [{' '.join(args)}]", ctx)


@click.command(
    "config",
    cls=OcmCommand,
    aliases=("configuration", "cfg"),
    short_help="Display the effective merged OCM configuration",
    help="Evaluate the command line arguments and all explicitly or implicitly used\n"
    "configuration files and display the merged effective configuration as a single object.",
    examples="""\
# Display effective config in YAML (default)
ocm get config

# Display effective config in JSON
ocm get config --output json

# Display effective config from a specific config file
ocm get config --config ./my-ocm-config.yaml

# Display it with passwords, tokens and private keys as written (redacted by default)
ocm get config --show-secrets""",
    check_args=_config_args,
)
@click.option(
    "-o",
    "--output",
    type=Enum(("yaml", "json", "ndjson")),
    default="yaml",
    help="output format",
)
@bool_flag(
    "show-secrets",
    "show passwords, tokens and private keys written in the configuration (by default each "
    "secret value is shown as <redacted>)",
)
@click.pass_context
def get_config(ctx: click.Context, /, output: str, show_secrets: bool, **_: Any) -> None:
    """Print the effective merged configuration."""
    from pyocm.cli.session import command_config
    from pyocm.config.effective import effective_config, render_config

    shown = effective_config(command_config(ctx), show_secrets=show_secrets)
    click.echo(render_config(shown, output), nl=False)


get = OcmGroup(
    "get",
    [get_component_version, get_config, types_command()],
    short_help="Get anything from OCM",
    help="Get anything from OCM",
)
