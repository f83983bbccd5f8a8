"""``ocm verify component-version``: verify the signatures of a component version.

>>> from pyocm.cli.commands.verify import verify
>>> sorted(verify.commands)
['component-version']
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
from pyocm.cli.flags import bool_flag
from pyocm.cli.positional import exact_args

if TYPE_CHECKING:
    from pyocm.signing.signer import Signer

_HELP = f"""\
Verify the signatures of a component version.

For every signature (or only --signature), the descriptor digest is recomputed with the
signature's algorithms and compared, then the signature is checked with the public key from the
credentials (or the verifier of --verifier-spec). Success is reported as the log line
"SIGNATURE VERIFICATION SUCCESSFUL"; any failure exits with 1.

RSA signatures are checked with the key of consumer identity type RSA/v1alpha1 (algorithm and
signature name), GPG signatures (algorithm GPG) with the gpg program and the OpenPGP keyring of
consumer identity type GPG/v1alpha1 (signature name). --verifier-spec names the verifier
explicitly: a file with {{type: RSASigningConfiguration/v1alpha1}} or
{{type: GPGSigningConfiguration/v1alpha1, keyFingerprint: ...}} (only that key is trusted).

{REFERENCE_FORMAT}"""

_EXAMPLES = """\
# Verify all signatures of a component version
verify component-version ghcr.io/open-component-model//ocm.software/cli:0.12.0

# Verify one signature
verify component-version ghcr.io/open-component-model//ocm.software/cli:0.12.0 \\
    --signature my-signature

# Use a verifier specification file
verify component-version ghcr.io/open-component-model//ocm.software/cli:0.12.0 \\
    --verifier-spec ./rsassa-pss.yaml

# Verify a GPG signature (gpg.yaml: "type: GPGSigningConfiguration/v1alpha1")
verify component-version ghcr.io/open-component-model//ocm.software/cli:0.12.0 \\
    --verifier-spec ./gpg.yaml"""


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
    help="path to a verifier specification file. If empty, defaults to RSASSA-PSS (GPG for "
    "signatures made with GPG).",
)
@click.option(
    "-k",
    "--public-key",
    default="",
    show_default=False,
    metavar="FILE",
    help="PEM file with the public key or certificate, or for GPG an armored OpenPGP keyring "
    "(instead of the RSA/v1alpha1 or GPG/v1alpha1 credentials)",
)
@click.option(
    "--ca-cert",
    multiple=True,
    metavar="FILE",
    help="PEM file with root certificates that PEM-encoded signatures must chain up to "
    "(repeatable)",
)
@bool_flag(
    "verify-digests",
    "after the signatures, fetch the content of every resource (local blobs, and images or "
    "files from where their access points) and every referenced component version, and check "
    "that the recorded digests match; each remote fetch is logged. On by default: "
    "--verify-digests=false checks the signatures only [default: true]",
    default=True,
)
@click.pass_context
def verify_component_version(
    ctx: click.Context,
    /,
    args: tuple[str, ...],
    signature: str,
    verifier_spec: str,
    public_key: str,
    ca_cert: tuple[str, ...],
    verify_digests: bool,
    **_: Any,
) -> None:
    """Verify the signatures (and digests) of a component version."""
    import logging

    from pyocm.cli.commands.sign import check_content_digests
    from pyocm.cli.repositories import access_context, open_for, resolving_for
    from pyocm.cli.session import command_config
    from pyocm.cli.signing_keys import gpg_verification_key, verification_keys
    from pyocm.errors import NotFound, OCMError, SignatureError
    from pyocm.repository import parse_component_reference
    from pyocm.signing.component import verify_component_version as verify
    from pyocm.signing.component import verify_component_version_gpg as verify_gpg
    from pyocm.signing.content import MissingReference
    from pyocm.signing.gpg import gpg_program, is_gpg_signature
    from pyocm.signing.signer import GPGSigner

    verifier = _verifier(verifier_spec, signature) if verifier_spec else None
    ref = parse_component_reference(args[0])
    if not ref.version:
        raise OCMError(f"{args[0]}: a version is required to verify a component version")
    config = command_config(ctx)
    with (
        open_for(ctx, ref.repository) as base,
        resolving_for(ctx, ref.repository, base, [ref.component]) as repo,
    ):
        descriptor = repo.get_component_version(ref.component, ref.version)
        selected = [s for s in descriptor.signatures if not signature or s.name == signature]
        if not selected:
            raise NotFound(
                f"signature {signature!r} not found"
                if signature
                else "no signatures found to verify"
            )
        if isinstance(verifier, GPGSigner) or any(is_gpg_signature(s) for s in selected):
            gpg_program()
        try:
            for entry in selected:
                if isinstance(verifier, GPGSigner) or (
                    verifier is None and is_gpg_signature(entry)
                ):
                    keyring = gpg_verification_key(config, entry.name, public_key)
                    fingerprint = verifier.key_fingerprint if verifier else ""
                    verify_gpg(descriptor, keyring, name=entry.name, key_fingerprint=fingerprint)
                    continue
                if is_gpg_signature(entry):
                    raise SignatureError(
                        entry.name,
                        "a GPG signature cannot be checked with the RSA verifier of "
                        f"{verifier_spec} (use a GPGSigningConfiguration/v1alpha1 verifier spec)",
                    )
                key, roots = verification_keys(
                    config, entry.name, entry.signature.algorithm, public_key, ca_cert
                )
                verify(descriptor, key, name=entry.name, roots=roots)
            if verify_digests:
                with access_context(ctx) as accesses:
                    try:
                        check_content_digests(repo, descriptor, accesses)
                    except MissingReference as e:
                        raise MissingReference(
                            f"{e}; transfer with --recursive to copy referenced versions too, "
                            "or check the signatures only with --verify-digests=false"
                        ) from None
        except OCMError as e:
            raise OCMError(f"SIGNATURE VERIFICATION FAILED: {e}") from None
    logging.getLogger("pyocm.cli").info(
        "SIGNATURE VERIFICATION SUCCESSFUL", extra={"signatures": len(selected)}
    )


def _verifier(path: str, signature: str) -> Signer:
    """The verifier a ``--verifier-spec`` file describes (a typed specification, or
    ``signing.config.ocm.software/v1alpha1`` entries with a ``verifier``)."""
    from pyocm.cli.signing_keys import spec_file
    from pyocm.errors import OCMError
    from pyocm.signing.signer import verifier_from_spec

    spec = spec_file(path, signature, "verifier")
    try:
        return verifier_from_spec(spec)
    except OCMError as e:
        raise OCMError(f"verifier specification file {path!r}: {e}") from None


verify = OcmGroup(
    "verify",
    [verify_component_version],
    short_help="verify digests and signatures of component versions in OCM",
    help="verify digests and signatures of component versions in OCM",
)
