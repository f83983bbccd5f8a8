"""``ocm hash component-version``: the digest and normalised form of a component descriptor.

    >>> from pyocm.cli.commands.hash import render_hash
    >>> print(render_hash("text", "acme.org/x", "v1", "33aeb8c46ea4", "{...}"), end="")
    COMPONENT  VERSION HASH
    acme.org/x v1      33aeb8c46ea4

On the command line: ``ocm hash cv -f component-descriptor.yaml [-N ...] [-H ...] [-o ...]``.

This command comes from the legacy Go CLI (``ocm hash componentversions``), which the Go v2 CLI
dropped.  pyocm keeps its flag names (``-N/--normalization``, ``-H/--hash``, ``-o``) and output
shapes, adds the v2 spelling ``--normalisation``, and reads the descriptor from a file
(``--file``).  The normalisation default is the v2 one, ``jsonNormalisation/v4alpha1``, so the
hash equals what ``ocm sign`` signs; pass ``-N jsonNormalisation/v3`` for the legacy default.
The descriptor is hashed as it is (the legacy ``--actual``): reference and resource digests are
not recomputed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pyocm.cli.aliases import OcmCommand, OcmGroup
from pyocm.cli.commands.names import (
    COMPONENT_VERSION,
    COMPONENT_VERSION_ALIASES,
    SUGGEST_COMPONENT_VERSION,
)
from pyocm.cli.flags import Enum
from pyocm.cli.positional import at_most_args

if TYPE_CHECKING:
    from pyocm.descriptor import Descriptor

DEFAULT_NORMALISATION = "jsonNormalisation/v4alpha1"
DEFAULT_HASH = "SHA-256"
OUTPUTS = ("text", "wide", "norm", "json", "yaml")

_HELP = """\
Print the digest of a component descriptor: the hash (--hash) of its normalised form
(--normalisation). The descriptor is taken as it is; its resource and reference digests are not
recomputed. Reading a component version from a repository reference is not implemented yet.

Output formats (-o):
  text  a table COMPONENT VERSION HASH (the legacy ocm's default)
  wide  the table with the normalised form as a fourth column
  norm  only the normalised form
  json  {"items": [{"context", "component", "version", "normalized", "hash"}]}
  yaml  the same item as a YAML document

The default normalisation is jsonNormalisation/v4alpha1 (what ocm sign uses); the legacy ocm
defaulted to jsonNormalisation/v3."""

_EXAMPLES = """\
ocm hash component-version --file component-descriptor.yaml
ocm hash cv -f component-descriptor.yaml -N jsonNormalisation/v3 -o yaml"""


def render_hash(output: str, component: str, version: str, digest: str, normalised: str) -> str:
    """The output of ``ocm hash component-version -o <output>`` for one component version."""
    from pyocm.cli.legacy_table import format_table

    if output == "norm":
        return normalised + "\n"
    manifest = {
        "context": [],
        "component": component,
        "version": version,
        "normalized": normalised,
        "hash": digest,
    }
    if output == "json":
        from pyocm._internal.gojson import marshal

        return marshal({"items": [manifest]}, indent=2).decode("utf-8") + "\n"
    if output == "yaml":
        import yaml

        body = yaml.safe_dump(
            manifest, sort_keys=True, allow_unicode=True, default_flow_style=False, width=2**31
        )
        return "---\n" + body
    header = ["COMPONENT", "VERSION", "HASH"]
    row = [component, version, digest]
    if output == "wide":
        header.append("NORMALIZED FORM")
        row.append(normalised)
    return format_table([header, row])


@click.command(
    COMPONENT_VERSION,
    cls=OcmCommand,
    aliases=COMPONENT_VERSION_ALIASES,
    suggest_for=SUGGEST_COMPONENT_VERSION,
    short_help="hash component version",
    help=_HELP,
    examples=_EXAMPLES,
    args_metavar="[{reference}]",
    check_args=at_most_args(1),
)
@click.option(
    "-f",
    "--file",
    "descriptor_file",
    default=None,
    metavar="PATH",
    help="component descriptor file (YAML or JSON) to hash",
)
@click.option(
    "-N",
    "--normalisation",
    "--normalization",
    "normalisation",
    default=DEFAULT_NORMALISATION,
    help="normalisation algorithm",
)
@click.option(
    "-H", "--hash", "hash_algorithm", default=DEFAULT_HASH, help="hash algorithm (SHA-256, SHA-512)"
)
@click.option("-o", "--output", type=Enum(OUTPUTS), default="text", help="output format")
@click.pass_context
def hash_component_version(
    ctx: click.Context,
    /,
    args: tuple[str, ...],
    descriptor_file: str | None,
    normalisation: str,
    hash_algorithm: str,
    output: str,
) -> None:
    """Print the digest of the descriptor in ``--file``."""
    if args and descriptor_file:
        raise click.UsageError("give either --file or a component reference, not both", ctx)
    if not args and not descriptor_file:
        raise click.UsageError("a component reference or a descriptor file (--file) is needed", ctx)

    from pyocm.digest import component_version_digest

    descriptor = _load_descriptor(ctx, args[0] if args else None, descriptor_file)
    digest = component_version_digest(
        descriptor, hash_algorithm=hash_algorithm, normalisation_algorithm=normalisation
    )
    normalised = ""
    if output != "text":
        from pyocm.normalise import normalise

        normalised = normalise(descriptor, normalisation).decode("utf-8")
    component = descriptor.component
    text = render_hash(output, component.name, component.version, digest.value, normalised)
    click.echo(text, nl=False)


hash_group = OcmGroup(
    "hash",
    [hash_component_version],
    short_help="Hash and normalization operations",
    help="Hash and normalization operations (from the legacy ocm CLI).",
)


def _load_descriptor(
    ctx: click.Context, reference: str | None, descriptor_file: str | None
) -> Descriptor:
    """The descriptor named by a component reference (with version) or stored in a file."""
    from pyocm.cli.repositories import open_for
    from pyocm.descriptor import load
    from pyocm.errors import OCMError
    from pyocm.repository import parse_component_reference

    if reference is None:
        assert descriptor_file is not None
        return load(descriptor_file)
    ref = parse_component_reference(reference)
    if not ref.version:
        raise OCMError(f"{reference}: a version is required to hash a component version")
    with open_for(ctx, ref.repository) as repo:
        return repo.get_component_version(ref.component, ref.version)
