"""``ocm verify component-version``: verify the signatures of a component version.

>>> from pyocm.cli.commands.verify import verify
>>> sorted(verify.commands)
['component-version']
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
from pyocm.cli.pending import not_implemented
from pyocm.cli.positional import exact_args

_HELP = f"""\
Verify the signatures of a component version.

For every signature (or only --signature), the descriptor digest is recomputed with the
signature's algorithms and compared, then the signature is checked with the public key from the
credentials (or the verifier of --verifier-spec). Success is reported as the log line
"SIGNATURE VERIFICATION SUCCESSFUL"; any failure exits with 1.

{REFERENCE_FORMAT}"""

_EXAMPLES = """\
# Verify all signatures of a component version
verify component-version ghcr.io/open-component-model//ocm.software/cli:0.12.0

# Verify one signature
verify component-version ghcr.io/open-component-model//ocm.software/cli:0.12.0 \\
    --signature my-signature

# Use a verifier specification file
verify component-version ghcr.io/open-component-model//ocm.software/cli:0.12.0 \\
    --verifier-spec ./rsassa-pss.yaml"""


@click.command(
    COMPONENT_VERSION,
    cls=OcmCommand,
    aliases=COMPONENT_VERSION_ALIASES,
    suggest_for=SUGGEST_COMPONENT_VERSION,
    short_help="Verify component version(s) inside an OCM repository",
    help=_HELP,
    examples=_EXAMPLES,
    args_metavar="{reference}",
    check_args=exact_args(1),
)
@click.option(
    "--concurrency-limit",
    type=int,
    default=4,
    help="maximum number of signatures verified in parallel",
)
@click.option(
    "--signature",
    default="",
    show_default=False,
    help="name of the signature to verify. If not set, all signatures are verified.",
)
@click.option(
    "--verifier-spec",
    default="",
    show_default=False,
    help="path to a verifier specification file. If empty, defaults to RSASSA-PSS.",
)
@click.pass_context
def verify_component_version(ctx: click.Context, /, **_: Any) -> None:
    """Verify a component version (not implemented yet)."""
    not_implemented(ctx)


verify = OcmGroup(
    "verify",
    [verify_component_version],
    short_help="verify digests and signatures of component versions in OCM",
    help="verify digests and signatures of component versions in OCM",
)
