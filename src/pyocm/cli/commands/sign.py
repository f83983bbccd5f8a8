"""``ocm sign component-version``: sign a component version in a repository.

>>> from pyocm.cli.commands.sign import sign
>>> "cv" in sign.commands["component-version"].aliases
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import click

from pyocm.cli.aliases import OcmCommand, OcmGroup
from pyocm.cli.commands.names import (
    COMPONENT_VERSION,
    COMPONENT_VERSION_ALIASES,
    REFERENCE_FORMAT,
    SUGGEST_COMPONENT_VERSION,
)
from pyocm.cli.flags import Enum, bool_flag
from pyocm.cli.positional import exact_args

if TYPE_CHECKING:
    from collections.abc import Callable

    from pyocm.access.context import AccessContext
    from pyocm.descriptor import Descriptor, Signature
    from pyocm.repository import Repository

_HELP = f"""\
Create or update a signature of a component version in its repository.

The descriptor is normalised (--normalisation) and hashed (--hash), the hash is signed, and the
signature is stored under its name (--signature) in the descriptor; --dry-run only prints it.
An existing signature of the same name is an error unless --force is given.

The signer comes from the OCM configuration (signing.config.ocm.software/v1alpha1, optionally
per signature name); without one, RSASSA-PSS with the private key from the credentials
(consumer identity type RSA/v1alpha1 with the signature name) is used. A
GPGSigningConfiguration/v1alpha1 signer makes an armored OpenPGP signature with the gpg program,
with the keyring from the credentials of consumer identity type GPG/v1alpha1 (with the
signature name).

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
@click.option(
    "--algorithm",
    type=Enum(("RSASSA-PSS", "RSASSA-PKCS1-V1_5")),
    default=None,
    show_default=False,
    help="signature algorithm (overrides the configured signer; default RSASSA-PSS)",
)
@click.option(
    "--encoding",
    type=Enum(("plain", "pem")),
    default=None,
    show_default=False,
    help="signature encoding: plain hex, or PEM with the certificate chain (overrides the "
    "configured signer; default plain)",
)
@bool_flag("force", "overwrite existing signatures under the same name")
@bool_flag(
    "verify-digests",
    "before signing, fetch every local resource and referenced component version and check "
    "that the recorded digests still match their content",
)
@click.option(
    "-K",
    "--private-key",
    default="",
    show_default=False,
    metavar="FILE",
    help="PEM file with the private key, or for GPG an armored OpenPGP secret keyring (instead "
    "of the RSA/v1alpha1 or GPG/v1alpha1 credentials)",
)
@click.option(
    "-k",
    "--public-key",
    default="",
    show_default=False,
    metavar="FILE",
    help="PEM file with the certificate chain (leaf first) for PEM-encoded signatures",
)
@click.pass_context
def sign_component_version(
    ctx: click.Context,
    /,
    args: tuple[str, ...],
    output: str,
    signature: str,
    signer_spec: str,
    dry_run: bool,
    normalisation: str,
    hash_algorithm: str,
    force: bool,
    algorithm: str | None,
    encoding: str | None,
    verify_digests: bool,
    private_key: str,
    public_key: str,
    **_: Any,
) -> None:
    """Sign a component version and store the signature in its descriptor."""
    import functools
    import logging

    from pyocm._internal.documents import dump_data
    from pyocm.cli.repositories import access_context, open_for, resolving_for
    from pyocm.cli.session import command_config
    from pyocm.cli.signing_keys import gpg_signing_key, signing_keys
    from pyocm.config.merge import signing_config
    from pyocm.errors import OCMError
    from pyocm.normalise import JSON_V3, JSON_V4ALPHA1
    from pyocm.repository import parse_component_reference
    from pyocm.signing.component import sign_component_version as sign
    from pyocm.signing.component import sign_component_version_gpg as sign_gpg
    from pyocm.signing.gpg import gpg_program
    from pyocm.signing.signer import GPGSigner, RSASigner, signer_from_spec

    log = logging.getLogger("pyocm.cli")
    if signer_spec:
        raise OCMError(
            "--signer-spec is no longer supported: configure the signer in the OCM "
            "configuration (signing.config.ocm.software/v1alpha1)"
        )
    if normalisation == JSON_V3:
        log.warning(
            "jsonNormalisation/v3 is mapped to jsonNormalisation/v4alpha1, as in the Go v2 CLI"
        )
        normalisation = JSON_V4ALPHA1
    ref = parse_component_reference(args[0])
    if not ref.version:
        raise OCMError(f"{args[0]}: a version is required to sign a component version")
    config = command_config(ctx)
    configured = signing_config(config, signature)
    if configured is None or configured.signer is None:
        log.info("no signer configured, using default")
    signer = signer_from_spec(configured.signer if configured else None)
    if isinstance(signer, GPGSigner) and encoding and not algorithm:
        raise OCMError("--encoding applies to RSA signatures, but the configured signer is GPG")
    if algorithm or encoding:
        chosen: Literal["plain", "pem"] = "plain"
        if isinstance(signer, RSASigner):
            chosen = signer.encoding
        if encoding:
            chosen = "pem" if encoding == "pem" else "plain"
        signer = RSASigner(algorithm or signer.algorithm, chosen)
    make: Callable[[Descriptor], Signature]
    if isinstance(signer, GPGSigner):
        if public_key:
            raise OCMError("--public-key applies to RSA signatures, not to GPG signatures")
        gpg_program()
        gpg_key, passphrase = gpg_signing_key(config, signature, private_key)
        make = functools.partial(
            sign_gpg,
            private_key=gpg_key,
            name=signature,
            passphrase=passphrase,
            signature_hash=signer.hash_algorithm,
            key_fingerprint=signer.key_fingerprint,
            hash_algorithm=hash_algorithm,
            normalisation=normalisation,
            force=force,
        )
    else:
        key, chain = signing_keys(config, signature, signer.algorithm, private_key, public_key)
        make = functools.partial(
            sign,
            private_key=key,
            name=signature,
            algorithm=signer.algorithm,
            hash_algorithm=hash_algorithm,
            normalisation=normalisation,
            encoding=signer.encoding,
            certificates=chain if signer.encoding == "pem" else (),
            force=force,
        )
    with (
        open_for(ctx, ref.repository, mode="r" if dry_run else "rw") as base,
        resolving_for(ctx, ref.repository, base, [ref.component]) as resolvers,
    ):
        repo = resolvers.repository_for(ref.component, ref.version)
        descriptor = repo.get_component_version(ref.component, ref.version)
        if verify_digests:
            with access_context(ctx) as accesses:
                check_content_digests(resolvers, descriptor, accesses)
        created = make(descriptor)
        if not dry_run:
            repo.add_component_version(descriptor, replace=True)
    click.echo(dump_data(created.to_dict(), "json" if output == "json" else "yaml"), nl=False)


def check_content_digests(
    repo: Repository, descriptor: Descriptor, context: AccessContext | None = None
) -> None:
    """Fail unless every resource and reference digest of ``descriptor`` matches its content.

    ``context`` gives the credentials for content in registries (``ociArtifact`` images).
    """
    import logging

    from pyocm.access.digests import content_digest
    from pyocm.signing.content import check_content

    notes = check_content(
        descriptor,
        digest_of=lambda cd, resource: content_digest(repo, cd, resource, context),
        resolve=repo.get_component_version,
    )
    for note in notes:
        logging.getLogger("pyocm.cli").warning(note)


sign = OcmGroup(
    "sign",
    [sign_component_version],
    short_help="create signatures for component versions in OCM",
    help="create signatures for component versions in OCM",
)
