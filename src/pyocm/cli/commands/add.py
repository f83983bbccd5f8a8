"""``ocm add component-version``: build component versions from a constructor file.

>>> from pyocm.cli.commands.add import add
>>> add.commands["component-version"].aliases
('cv', 'componentversion', 'component-versions', 'cvs', 'componentversions')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from pyocm.cli.aliases import OcmCommand, OcmGroup
from pyocm.cli.commands.names import ADD_COMPONENT_VERSION_ALIASES, COMPONENT_VERSION
from pyocm.cli.flags import Enum, bool_flag

if TYPE_CHECKING:
    from pyocm.repository.legacy import Compatibility

_HELP = """\
Add component version(s) to an OCM repository, built from a "component-constructor" file.

The constructor file describes one or many components: their resources, sources and references,
with inputs (files, directories, text, Helm charts …) or accesses to existing artifacts.
Environment variables (${NAME} or $NAME) are substituted in it before it is read.

Paths in the constructor are resolved against --working-directory, or else against the directory
of the constructor file, and must stay inside it.

The target is a repository reference [type::]{repository}: an OCI registry (OCIRepository, OCI,
oci) or a CTF archive directory (CommonTransportFormat, CTF, ctf), guessed from the form of the
reference when no type is given. A missing CTF directory is created.

The output lists the component versions of the constructor file, the ones it added (with
--component-version-conflict-policy skip: and the ones already there); --output tree shows them
with the component versions they reference, added or not."""

_EXAMPLES = """\
Adding component versions to a CTF archive:

add component-version --repository ./path/to/transport-archive \\
    --constructor ./path/to/component-constructor.yaml
add component-version --repository /tmp/my-archive --constructor constructor.yaml

Adding component versions to an OCI registry:

add component-version --repository ghcr.io/my-org/my-repo --constructor component-constructor.yaml
add component-version --repository localhost:5000/my-repo --constructor component-constructor.yaml

Specifying repository types explicitly:

add component-version --repository ctf::./local/archive --constructor component-constructor.yaml
add component-version --repository oci::http://localhost:8080/my-repo \\
    --constructor component-constructor.yaml"""


@click.command(
    COMPONENT_VERSION,
    cls=OcmCommand,
    aliases=ADD_COMPONENT_VERSION_ALIASES,
    suggest_for=("component", "components", "version", "versions"),
    short_help="Add component version(s) to an OCM Repository based on a "
    '"component-constructor" file',
    help=_HELP,
    examples=_EXAMPLES,
)
@click.option(
    "--concurrency-limit",
    type=int,
    default=4,
    help="maximum number of resources, sources and references of one component processed "
    "concurrently (0 or less: the number of CPUs)",
)
@click.option("-r", "--repository", default="transport-archive", help="repository ref")
@click.option(
    "-c",
    "--constructor",
    default="component-constructor.yaml",
    metavar="PATH",
    help="path to the component constructor file",
)
@click.option(
    "--blob-cache-directory",
    default=".ocm/cache",
    help="path to the blob cache directory (accepted, unused, as in the Go CLI)",
)
@click.option(
    "--component-version-conflict-policy",
    type=Enum(("abort-and-fail", "skip", "replace")),
    default="abort-and-fail",
    help="policy to apply when a component version already exists in the repository",
)
@click.option(
    "--external-component-version-copy-policy",
    type=Enum(("skip", "copy-or-fail")),
    default="skip",
    help="policy for component references to versions outside the constructor file: skip "
    "(only read them, through the resolvers with the target last) or copy-or-fail (copy them "
    "with their local blobs into the target)",
)
@bool_flag(
    "skip-reference-digest-processing",
    "skip digest processing for resources and sources given by access",
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
    help="static: print the result once; live (experimental): redraw while constructing",
)
@click.option(
    "--compatibility",
    type=Enum(("v2", "legacy")),
    default="v2",
    help="write for Go v2 readers (v2) or as the legacy v1 CLI writes, for old v1 readers "
    "(legacy: YAML descriptor layer, lowercase access types, no OCI artifacts)",
)
@click.pass_context
def add_component_version(
    ctx: click.Context,
    /,
    repository: str,
    constructor: str,
    component_version_conflict_policy: str,
    external_component_version_copy_policy: str,
    skip_reference_digest_processing: bool,
    output: str,
    compatibility: Compatibility,
    **_: Any,
) -> None:
    """Build the component versions of a constructor file into a repository."""
    from pathlib import Path

    from pyocm.cli.byte_progress import byte_progress_by_name
    from pyocm.cli.globalflags import global_flags
    from pyocm.cli.render import identity, render, walk
    from pyocm.cli.repositories import access_context, open_for, resolving_for
    from pyocm.constructor import construct, load_constructor
    from pyocm.errors import OCMError
    from pyocm.graph import Node, resolve_graph
    from pyocm.repository import parse_repository

    path = Path(constructor)
    if not path.exists():
        raise OCMError(f"component constructor {constructor!r} does not exist")
    if path.is_dir():
        raise OCMError(f"path {constructor} is a directory, not a component constructor file")
    target = parse_repository(repository)
    spec = load_constructor(path)
    working_directory = global_flags(ctx).working_directory or path.resolve().parent
    with (
        open_for(ctx, target, "create", compatibility) as repo,
        resolving_for(ctx, target, repo) as resolvers,
        access_context(ctx) as accesses,
        byte_progress_by_name() as progress,
    ):
        if component_version_conflict_policy == "abort-and-fail":
            for component in spec.components:
                if repo.has_component_version(component.name, component.version):
                    raise OCMError(
                        f'component version "{component.identity}" already exists in '
                        f"{repo.store.description}: --component-version-conflict-policy skip "
                        "keeps it, replace overwrites it (default: abort-and-fail)"
                    )
        added = construct(
            spec,
            repo,
            working_directory=working_directory,
            conflict_policy=component_version_conflict_policy,
            skip_digest_processing=skip_reference_digest_processing,
            access_context=accesses,
            resolver=resolvers,
            copy_external=external_component_version_copy_policy == "copy-or-fail",
            progress=progress,
        )
        referenced = {
            (ref.component_name, ref.version) for cd in added for ref in cd.component.references
        }
        built = {(cd.component.name, cd.component.version): cd for cd in added}
        roots = sorted(
            (
                resolve_graph(resolvers, cd, known=built)
                for cd in added
                if (cd.component.name, cd.component.version) not in referenced
            ),
            key=lambda node: identity(node.descriptor),
        )
    if output != "tree":  # a flat list: the versions of the file, not the ones they reference
        listed: dict[tuple[str, str], Node] = {}
        for node in walk(roots):
            key = (node.descriptor.component.name, node.descriptor.component.version)
            if key in built:
                listed.setdefault(key, Node(node.descriptor))
        roots = list(listed.values())
    click.echo(render(output, roots, v2_provider=True), nl=False)


add = OcmGroup(
    "add",
    [add_component_version],
    short_help="Add anything to OCM",
    help="Add anything to OCM",
)
