"""``ocm sign component-version``: sign a component version in a repository.

>>> from pyocm.cli.commands.sign import sign
>>> "cv" in sign.commands["component-version"].aliases
True
"""

from __future__ import annotations

from typing import Any

import click

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
Create or update a signature of a component version in its repository.

The descriptor is normalised (--normalisation) and hashed (--hash), the hash is signed, and the
signature is stored under its name (--signature) in the descriptor; --dry-run only prints it.
An existing signature of the same name is an error unless --force is given.

The signer comes from the OCM configuration (signing.config.ocm.software/v1alpha1, optionally
per signature name); without one, RSASSA-PSS with the private key from the credentials
(consumer identity type RSA/v1alpha1 with the signature name) is used.

{REFERENCE_FORMAT}"""

_EXAMPLES = """\
# Sign a component version with the default algorithms
sign component-version ghcr.io/open-component-model//ocm.software/cli:0.12.0

# Compute a signature without storing it
sign component-version ghcr.io/open-component-model//ocm.software/cli:0.12.0 \\
    --signature test --dry-run

# Overwrite an existing signature
sign component-version ghcr.io/open-component-model//ocm.software/cli:0.12.0 \\
    --signature my-signature --force"""


@click.command(
    COMPONENT_VERSION,
    cls=OcmCommand,
    aliases=COMPONENT_VERSION_ALIASES,
    suggest_for=SUGGEST_COMPONENT_VERSION,
    short_help="Sign component version(s) inside an OCM repository",
    help=_HELP,
    examples=_EXAMPLES,
    args_metavar="{reference}",
    check_args=exact_args(1),
)
@click.option(
    "-o",
    "--output",
    type=Enum(("yaml", "json")),
    default="yaml",
    help="output format of the resulting signature",
)
@click.option(
    "--concurrency-limit",
    type=int,
    default=4,
    help="maximum amount of parallel requests to the repository (unused, as in the Go CLI)",
)
@click.option("--signature", default="default", help="name of the signature to create or update")
@click.option(
    "--signer-spec",
    default="",
    show_default=False,
    help="DEPRECATED: no longer supported, configure the signer in the OCM configuration "
    'instead (signing.config.ocm.software/v1alpha1, field "signer")',
)
@bool_flag("dry-run", "compute signature but do not persist it to the repository")
@click.option(
    "--normalisation",
    default="jsonNormalisation/v4alpha1",
    help="normalisation algorithm to use",
)
@click.option(
    "--hash", "hash_algorithm", default="SHA-256", help="hash algorithm to use (SHA-256, SHA-512)"
)
@bool_flag("force", "overwrite existing signatures under the same name")
@click.pass_context
def sign_component_version(ctx: click.Context, /, **_: Any) -> None:
    """Sign a component version (not implemented yet)."""
    not_implemented(ctx)


sign = OcmGroup(
    "sign",
    [sign_component_version],
    short_help="create signatures for component versions in OCM",
    help="create signatures for component versions in OCM",
)
