"""Keys, certificates, configuration files and a tamper helper for the signature interop tests.

Every scenario gets a folder with:

* ``key.pem`` / ``pub.pem``: a plain RSA key pair;
* ``root.pem`` (self-signed CA), ``chain.pem`` (leaf ``CN=signer`` then the intermediate CA, as a
  signer embeds it) and ``leaf-key.pem``: a code-signing chain;
* ``sign-<alg>-<enc>.yaml`` / ``verify-<alg>-<enc>.yaml``: ``.ocmconfig`` files as the Go v2
  CLI reads them (``Credentials/v1`` with ``private_key_pem_file`` / ``public_key_pem_file``; for
  PEM the verifier's "public key" is the root CA, the trust anchor);
* ``spec-<alg>-<enc>.yaml``: an ``RSASigningConfiguration/v1alpha1`` signer spec.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from fixtures.signing import issue_certificate, x509_name_of
from pyocm.descriptor import Descriptor

PSS = "RSASSA-PSS"
PKCS1 = "RSASSA-PKCS1-V1_5"
SIGNATURE = "signer"
"""The signature name; also the leaf's CN, which the legacy tool requires for PEM signatures."""

_CONFIG = """\
type: generic.config.ocm.software/v1
configurations:
- type: credentials.config.ocm.software
  consumers:
{consumers}"""
_CONSUMER = """\
  - identity: {{type: RSA/v1alpha1, algorithm: {algorithm}, signature: {signature}}}
    credentials:
    - type: Credentials/v1
      properties: {{{properties}}}
"""


@dataclass(frozen=True)
class Keys:
    """The key material of one test session, as PEM bytes."""

    key: bytes
    pub: bytes
    root: bytes
    chain: bytes
    leaf_key: bytes
    other_pub: bytes
    other_root: bytes


def _private_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _public_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _certificate(
    cn: str, key: rsa.RSAPrivateKey, issuer: tuple[x509.Certificate, rsa.RSAPrivateKey] | None
) -> x509.Certificate:
    """A CA certificate (self-signed without ``issuer``), or a code-signing leaf (``cn`` =
    the signature name) issued by ``issuer``."""
    return issue_certificate(x509_name_of(cn, O="pyocm"), key, issuer, ca=cn != SIGNATURE)


def make_keys() -> Keys:
    """A fresh key pair, a root → intermediate → leaf chain, and an unrelated key and root."""
    key, root_key, mid_key, leaf_key, other, other_root_key = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(6)
    )
    root = _certificate("test root", root_key, None)
    mid = _certificate("test intermediate", mid_key, (root, root_key))
    leaf = _certificate(SIGNATURE, leaf_key, (mid, mid_key))
    other_root = _certificate("other root", other_root_key, None)

    def pem(c: x509.Certificate) -> bytes:
        return c.public_bytes(serialization.Encoding.PEM)

    return Keys(
        key=_private_pem(key),
        pub=_public_pem(key),
        root=pem(root),
        chain=pem(leaf) + pem(mid),
        leaf_key=_private_pem(leaf_key),
        other_pub=_public_pem(other),
        other_root=pem(other_root),
    )


def config(*consumers: tuple[str, str, dict[str, str]]) -> str:
    """An ``.ocmconfig`` with RSA credentials for each ``(signature, algorithm, properties)``."""
    return _CONFIG.format(
        consumers="".join(
            _CONSUMER.format(
                algorithm=algorithm,
                signature=signature,
                properties=", ".join(f"{k}: {v}" for k, v in properties.items()),
            )
            for signature, algorithm, properties in consumers
        )
    )


def spec(algorithm: str, encoding: str) -> str:
    """An ``RSASigningConfiguration/v1alpha1`` signer spec (``encoding``: Plain or PEM)."""
    return (
        "type: RSASigningConfiguration/v1alpha1\n"
        f"signatureAlgorithm: {algorithm}\n"
        f"signatureEncodingPolicy: {encoding}\n"
    )


def write_material(work: Path, keys: Keys) -> None:
    """The key files, and for every algorithm and encoding a signer spec and the sign and
    verify ``.ocmconfig`` files (see the module docstring)."""
    for name, data in (
        ("key.pem", keys.key),
        ("pub.pem", keys.pub),
        ("root.pem", keys.root),
        ("chain.pem", keys.chain),
        ("leaf-key.pem", keys.leaf_key),
        ("other-pub.pem", keys.other_pub),
        ("other-root.pem", keys.other_root),
    ):
        (work / name).write_bytes(data)
    for algorithm in (PSS, PKCS1):
        for encoding in ("Plain", "PEM"):
            tag = f"{algorithm}-{encoding}"
            pem = encoding == "PEM"
            (work / f"spec-{tag}.yaml").write_text(spec(algorithm, encoding))
            private = "leaf-key.pem" if pem else "key.pem"
            public = "chain.pem" if pem else "pub.pem"
            (work / f"sign-{tag}.yaml").write_text(
                config(
                    (
                        SIGNATURE,
                        algorithm,
                        {"private_key_pem_file": private, "public_key_pem_file": public},
                    )
                )
            )
            trusted = "root.pem" if pem else "pub.pem"
            (work / f"verify-{tag}.yaml").write_text(
                config((SIGNATURE, algorithm, {"public_key_pem_file": trusted}))
            )
            wrong = "other-root.pem" if pem else "other-pub.pem"
            (work / f"wrong-{tag}.yaml").write_text(
                config((SIGNATURE, algorithm, {"public_key_pem_file": wrong}))
            )


def tamper(
    repository: str, component: str, version: str, change: Callable[[Descriptor], None]
) -> None:
    """Change the stored descriptor of ``component:version`` in ``repository`` (signatures kept)."""
    from pyocm.repository import open_repository

    with open_repository(repository, mode="rw") as repo:
        descriptor = repo.get_component_version(component, version)
        change(descriptor)
        repo.add_component_version(descriptor, replace=True)


def change_label(descriptor: Descriptor) -> None:
    """Change the value of the first component label (a signing label)."""
    descriptor.component.labels[0].value = "tampered"


def change_resource_digest(descriptor: Descriptor) -> None:
    """Change the recorded digest of the first resource."""
    digest = descriptor.component.resources[0].digest
    assert digest is not None
    digest.value = "0" * 64
