"""``ocm sign component-version``: sign a component version in a repository.

>>> from pyocm.cli.commands.sign import sign
>>> "cv" in sign.commands["component-version"].aliases
True
"""

from __future__ import annotations

from dataclasses import dataclass
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
    from pyocm.config.model import Config
    from pyocm.descriptor import Descriptor, Digest, Resource, Signature
    from pyocm.repository import Repository

COMPATIBILITIES = ("v2", "legacy")
"""``--compatibility``: the verifiers a signature is made for."""


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
    metavar="FILE",
    help="file with the signer specification (e.g. RSASigningConfiguration/v1alpha1 with "
    "signatureAlgorithm and signatureEncodingPolicy, as Go v2 0.13.0 reads it), or with "
    "signing.config.ocm.software/v1alpha1 entries (as newer Go CLIs configure the signer); "
    "takes precedence over the signer in the OCM configuration",
)
@bool_flag("dry-run", "compute signature but do not persist it to the repository")
@click.option(
    "--normalisation",
    default=None,
    show_default=False,
    help="normalisation algorithm to use (default jsonNormalisation/v4alpha1; "
    "jsonNormalisation/v3 with --compatibility legacy)",
)
@click.option(
    "--compatibility",
    type=Enum(COMPATIBILITIES),
    default="v2",
    help="whose verifier the signature is made for: v2 (the Go v2 tools and pyocm; "
    "jsonNormalisation/v3 is read as v4alpha1) or legacy (the legacy Go v1 CLI: "
    "jsonNormalisation/v1-v3 as it computes them, and the reference digests recomputed with "
    "the signature's algorithms and recorded, as it does)",
)
@click.option(
    "--legacy-signature",
    default="",
    show_default=False,
    metavar="NAME",
    help="also add a signature for the legacy Go v1 CLI under NAME (jsonNormalisation/v3, "
    "--compatibility legacy) beside the --signature one, so that both generations of verifiers "
    "accept the same component version; keys from the credentials for NAME, else those of "
    "--signature",
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
    normalisation: str | None,
    compatibility: str,
    legacy_signature: str,
    hash_algorithm: str,
    force: bool,
    algorithm: str | None,
    encoding: str | None,
    verify_digests: bool,
    private_key: str,
    public_key: str,
    **_: Any,
) -> None:
    """Sign a component version and store the signature(s) in its descriptor."""
    from pyocm._internal.documents import dump_data
    from pyocm.cli.repositories import access_context, open_for, resolving_for
    from pyocm.cli.session import command_config
    from pyocm.errors import OCMError, SignatureError
    from pyocm.normalise import JSON_V3
    from pyocm.repository import parse_component_reference
    from pyocm.signing.component import legacy_reference_digests

    ref = parse_component_reference(args[0])
    if not ref.version:
        raise OCMError(f"{args[0]}: a version is required to sign a component version")
    legacy = compatibility == "legacy"
    plans = [(signature, _normalisation(normalisation, legacy=legacy), legacy)]
    if legacy_signature:
        if legacy:
            raise OCMError(
                "--legacy-signature adds a legacy signature beside a Go v2 one; with "
                "--compatibility legacy the --signature is the legacy one already"
            )
        if legacy_signature == signature:
            raise OCMError("--legacy-signature must name another signature than --signature")
        plans.append((legacy_signature, JSON_V3, True))
    config = command_config(ctx)
    options = _SignOptions(
        signer_spec, algorithm, encoding, private_key, public_key, hash_algorithm, force
    )
    makers = [
        _maker(config, name, norm, is_legacy, options, key_name=signature)
        for name, norm, is_legacy in plans
    ]
    legacy_normalisation = next((norm for _, norm, is_legacy in plans if is_legacy), None)
    with (
        open_for(ctx, ref.repository, mode="r" if dry_run else "rw") as base,
        resolving_for(ctx, ref.repository, base, [ref.component]) as resolvers,
    ):
        repo = resolvers.repository_for(ref.component, ref.version)
        descriptor = repo.get_component_version(ref.component, ref.version)
        taken = sorted({s.name for s in descriptor.signatures} & {p[0] for p in plans})
        if taken and not force:
            raise SignatureError(
                taken[0], "a signature with this name already exists: use --force to replace it"
            )
        if verify_digests:
            with access_context(ctx) as accesses:
                check_content_digests(resolvers, descriptor, accesses)
        if legacy_normalisation is not None and descriptor.component.references:
            before = [r.digest for r in descriptor.component.references]
            legacy_reference_digests(
                descriptor,
                resolvers.get_component_version,
                hash_algorithm=hash_algorithm,
                normalisation=legacy_normalisation,
            )
            kept = [s.name for s in descriptor.signatures if s.name not in {p[0] for p in plans}]
            if kept and before != [r.digest for r in descriptor.component.references]:
                raise SignatureError(
                    kept[0],
                    "the legacy signature records the reference digests as the legacy tool "
                    "computes them, which changes the descriptor this signature covers: sign "
                    "both at once (--legacy-signature), or re-sign it with --force",
                )
        created = [make(descriptor) for make in makers]
        if not dry_run:
            repo.add_component_version(descriptor, replace=True)
    fmt: Literal["json", "yaml"] = "json" if output == "json" else "yaml"
    documents = [s.to_dict() for s in created]
    click.echo(dump_data(documents[0] if len(documents) == 1 else documents, fmt), nl=False)


@dataclass(frozen=True)
class _SignOptions:
    """The flags that apply to every signature one command makes."""

    signer_spec: str
    algorithm: str | None
    encoding: str | None
    private_key: str
    public_key: str
    hash_algorithm: str
    force: bool


def _normalisation(given: str | None, *, legacy: bool) -> str:
    """The normalisation a signature is made with, from ``--normalisation`` and whether it is
    for the legacy tool."""
    import logging

    from pyocm.errors import OCMError
    from pyocm.normalise import JSON_V3, JSON_V4ALPHA1

    if legacy:
        if given == JSON_V4ALPHA1:
            raise OCMError(
                "the legacy Go v1 CLI cannot verify jsonNormalisation/v4alpha1: sign with "
                "jsonNormalisation/v3 (the default with --compatibility legacy), or add a legacy "
                "signature beside the v4alpha1 one with --legacy-signature"
            )
        return given or JSON_V3
    if given == JSON_V3:
        logging.getLogger("pyocm.cli").warning(
            "jsonNormalisation/v3 is mapped to jsonNormalisation/v4alpha1, as in the Go v2 CLI "
            "(--compatibility legacy signs it as the legacy Go v1 CLI computes it)"
        )
        return JSON_V4ALPHA1
    return given or JSON_V4ALPHA1


def _maker(
    config: Config,
    name: str,
    normalisation: str,
    legacy: bool,
    options: _SignOptions,
    *,
    key_name: str,
) -> Callable[[Descriptor], Signature]:
    """What signs the descriptor as signature ``name``: the signer (``--signer-spec``, else the
    OCM configuration for ``name``, then --algorithm/--encoding) and its keys (those for
    ``name``; a legacy signature without keys of its own uses those of ``key_name``)."""
    import functools
    import logging

    from pyocm.cli.signing_keys import gpg_signing_key, signing_keys, spec_file
    from pyocm.config.credentials.lookups import rsa_signing_keys
    from pyocm.config.merge import signing_config
    from pyocm.errors import OCMError
    from pyocm.signing import RSA_ALGORITHMS, RSASSA_PKCS1_V1_5, RSASSA_PSS
    from pyocm.signing.component import sign_component_version as sign
    from pyocm.signing.component import sign_component_version_gpg as sign_gpg
    from pyocm.signing.gpg import gpg_program
    from pyocm.signing.signer import GPGSigner, RSASigner, signer_from_spec

    log = logging.getLogger("pyocm.cli")
    chosen_algorithm = bool(options.algorithm)
    if options.signer_spec:
        signer = signer_from_spec(spec_file(options.signer_spec, name, "signer"))
        chosen_algorithm = True
    else:
        configured = signing_config(config, name)
        if configured is None or configured.signer is None:
            log.info("no signer configured, using default", extra={"signature": name})
        else:
            chosen_algorithm = True
        signer = signer_from_spec(configured.signer if configured else None)
    if legacy and not chosen_algorithm and isinstance(signer, RSASigner):
        # The legacy tool's default; its verifier rejects plain RSASSA-PSS signatures.
        signer = RSASigner(RSASSA_PKCS1_V1_5, signer.encoding)
    if isinstance(signer, GPGSigner) and options.encoding and not options.algorithm:
        raise OCMError("--encoding applies to RSA signatures, but the configured signer is GPG")
    if options.algorithm or options.encoding:
        chosen: Literal["plain", "pem"] = "plain"
        if isinstance(signer, RSASigner):
            chosen = signer.encoding
        if options.encoding:
            chosen = "pem" if options.encoding == "pem" else "plain"
        signer = RSASigner(options.algorithm or signer.algorithm, chosen)
    if isinstance(signer, GPGSigner):
        if legacy:
            raise OCMError(f"signature {name!r}: the legacy Go v1 CLI cannot verify GPG signatures")
        if options.public_key:
            raise OCMError("--public-key applies to RSA signatures, not to GPG signatures")
        gpg_program()
        gpg_key, passphrase = gpg_signing_key(config, name, options.private_key)
        return functools.partial(
            sign_gpg,
            private_key=gpg_key,
            passphrase=passphrase,
            signature_hash=signer.hash_algorithm,
            key_fingerprint=signer.key_fingerprint,
            name=name,
            hash_algorithm=options.hash_algorithm,
            normalisation=normalisation,
            force=options.force,
        )
    if legacy and signer.algorithm == RSASSA_PSS and signer.encoding == "plain":
        raise OCMError(
            f"signature {name!r}: the legacy Go v1 CLI (0.48) cannot verify plain RSASSA-PSS "
            "signatures (it rejects their media type): sign it with RSASSA-PKCS1-V1_5 (its "
            "default) or with the PEM encoding"
        )
    keys_of, algorithm_of = name, signer.algorithm
    if legacy and name != key_name and rsa_signing_keys(config, name, signer.algorithm) is None:
        # No keys of its own: those of the signature made beside it, under whichever
        # algorithm they are configured for.
        keys_of = key_name
        algorithm_of = next(
            (
                a
                for a in (signer.algorithm, *RSA_ALGORITHMS)
                if rsa_signing_keys(config, key_name, a)
            ),
            signer.algorithm,
        )
    key, chain = signing_keys(
        config, keys_of, algorithm_of, options.private_key, options.public_key
    )
    pem = signer.encoding == "pem"
    issuer = None
    if legacy and pem and chain:
        # The legacy tool takes the signature name for the signer's DN unless the issuer
        # names it; it records the leaf's subject there itself.
        from pyocm.signing import dn  # X.509 names: loaded for PEM signatures only

        issuer = str(dn.from_x509(chain[0].subject))
    return functools.partial(
        sign,
        private_key=key,
        algorithm=signer.algorithm,
        encoding=signer.encoding,
        certificates=chain if pem else (),
        issuer=issuer,
        name=name,
        hash_algorithm=options.hash_algorithm,
        normalisation=normalisation,
        force=options.force,
    )


def check_content_digests(
    repo: Repository, descriptor: Descriptor, context: AccessContext | None = None
) -> None:
    """Fail unless every resource and reference digest of ``descriptor`` matches its content.

    ``context`` gives the credentials for content in registries (``ociArtifact`` images).
    """
    import logging

    from pyocm.access.digests import content_digest
    from pyocm.repository.mapping import is_local_blob
    from pyocm.signing.content import check_content

    log = logging.getLogger("pyocm.cli")

    def digest_of(cd: Descriptor, resource: Resource) -> Digest:
        access = resource.access
        if access is not None and not is_local_blob(access):
            # Content from elsewhere (an image, a URL) is fetched: say what is reached for.
            fields = {k: str(v) for k, v in access.properties.items() if isinstance(v, str)}
            log.info(
                "fetching content to check its digest",
                extra={
                    "component": f"{cd.component.name}:{cd.component.version}",
                    "resource": resource.name,
                    "access": access.type,
                    **fields,
                },
            )
        return content_digest(repo, cd, resource, context)

    notes = check_content(descriptor, digest_of=digest_of, resolve=repo.get_component_version)
    for note in notes:
        log.warning(note)


sign = OcmGroup(
    "sign",
    [sign_component_version],
    short_help="create signatures for component versions in OCM",
    help="create signatures for component versions in OCM",
)
