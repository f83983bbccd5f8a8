"""``ocm sign cv`` and ``ocm verify cv`` on CTFs: the Go CLI's signing tutorial (cli.md §7.3),
signer configuration, certificate chains, tampering and the content digests."""

from __future__ import annotations

import datetime
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

REF = "./transport-archive//github.com/acme.org/helloworld:1.0.0"
CONSTRUCTOR = """\
components:
- name: github.com/acme.org/helloworld
  version: 1.0.0
  provider:
    name: acme.org
  resources:
  - name: mylocalfile
    type: blob
    input: {type: file, path: data.txt}
"""


def _pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _public_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _config(private: str, public: str, signer: str = "") -> str:
    """An .ocmconfig as the tutorial writes it (RSACredentials/v1 with key files)."""
    return f"""\
type: generic.config.ocm.software/v1
configurations:
  - type: credentials.config.ocm.software
    consumers:
      - identity:
          type: RSA/v1alpha1
          algorithm: {"RSASSA-PKCS1-V1_5" if "PKCS1" in signer else "RSASSA-PSS"}
          signature: default
        credentials:
          - type: RSACredentials/v1
            privateKeyPEMFile: {private}
            publicKeyPEMFile: {public}
{signer}"""


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=4096)


@pytest.fixture
def packed(run_ocm: RunOcm, tmp_path: Path, key: rsa.RSAPrivateKey) -> Path:
    (tmp_path / "data.txt").write_text("payload\n")
    (tmp_path / "component-constructor.yaml").write_text(CONSTRUCTOR)
    assert run_ocm("add", "cv", cwd=tmp_path).returncode == 0
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys/private-key.pem").write_bytes(_pem(key))
    (tmp_path / "keys/public-key.pem").write_bytes(_public_pem(key))
    (tmp_path / ".ocmconfig").write_text(_config("keys/private-key.pem", "keys/public-key.pem"))
    return tmp_path


def test_signing_tutorial(run_ocm: RunOcm, packed: Path, key: rsa.RSAPrivateKey) -> None:
    signed = run_ocm("sign", "cv", REF, cwd=packed)
    assert signed.returncode == 0, signed.stderr
    assert "no signer configured, using default" in signed.stderr
    entry = yaml.safe_load(signed.stdout)
    assert entry["name"] == "default"
    assert entry["digest"]["hashAlgorithm"] == "SHA-256"
    assert entry["digest"]["normalisationAlgorithm"] == "jsonNormalisation/v4alpha1"
    assert entry["signature"]["algorithm"] == "RSASSA-PSS"
    assert entry["signature"]["mediaType"] == "application/vnd.ocm.signature.rsa.pss"
    # The signature is RSASSA-PSS over the raw digest bytes, checked without pyocm.
    key.public_key().verify(
        bytes.fromhex(entry["signature"]["value"]),
        bytes.fromhex(entry["digest"]["value"]),
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO),
        Prehashed(hashes.SHA256()),
    )

    stored = yaml.safe_load(run_ocm("get", "cv", REF, "-o", "yaml", cwd=packed).stdout)
    assert [s["name"] for s in stored[0]["signatures"]] == ["default"]

    verified = run_ocm("verify", "cv", REF, cwd=packed)
    assert verified.returncode == 0, verified.stderr
    assert "SIGNATURE VERIFICATION SUCCESSFUL" in verified.stderr
    assert verified.stdout == ""


def test_resigning_needs_force_and_dry_run_stores_nothing(run_ocm: RunOcm, packed: Path) -> None:
    dry = run_ocm("sign", "cv", REF, "--dry-run", cwd=packed)
    assert dry.returncode == 0, dry.stderr
    cd = json.loads(run_ocm("get", "cv", REF, "-o", "json", cwd=packed).stdout)[0]
    assert not cd.get("signatures")
    assert run_ocm("sign", "cv", REF, cwd=packed).returncode == 0
    again = run_ocm("sign", "cv", REF, cwd=packed)
    assert again.returncode == 1
    assert "already exists" in again.stderr
    forced = run_ocm("sign", "cv", REF, "--force", "--hash", "SHA-512", cwd=packed)
    assert forced.returncode == 0, forced.stderr
    assert yaml.safe_load(forced.stdout)["digest"]["hashAlgorithm"] == "SHA-512"


def test_verify_fails_with_another_key(run_ocm: RunOcm, packed: Path) -> None:
    assert run_ocm("sign", "cv", REF, cwd=packed).returncode == 0
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (packed / "other.pem").write_bytes(_public_pem(other))
    done = run_ocm("verify", "cv", REF, "--public-key", "other.pem", cwd=packed)
    assert done.returncode == 1
    assert done.stderr.startswith("Error: SIGNATURE VERIFICATION FAILED: ")
    assert "'default'" in done.stderr


def test_verify_detects_changed_content(run_ocm: RunOcm, packed: Path) -> None:
    assert run_ocm("sign", "cv", REF, cwd=packed).returncode == 0
    cd = json.loads(run_ocm("get", "cv", REF, "-o", "json", cwd=packed).stdout)[0]
    local = cd["component"]["resources"][0]["access"]["localReference"]
    blob = packed / "transport-archive/blobs" / local.replace(":", ".")
    blob.chmod(0o644)
    blob.write_text("tampered\n")
    done = run_ocm("verify", "cv", REF, cwd=packed)
    assert done.returncode == 1
    assert "SIGNATURE VERIFICATION FAILED" in done.stderr
    assert "digest mismatch" in done.stderr
    # Without the content check only the descriptor is verified, as the Go v2 CLI does.
    shallow = run_ocm("verify", "cv", REF, "--no-verify-digests", cwd=packed)
    assert shallow.returncode == 0, shallow.stderr


def test_no_key_is_a_clear_error(run_ocm: RunOcm, packed: Path) -> None:
    (packed / ".ocmconfig").unlink()
    done = run_ocm("sign", "cv", REF, cwd=packed)
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1
    assert "no private key for signature 'default'" in errors[0]


def _certificate(
    subject: str, key: rsa.RSAPrivateKey, issuer: x509.Certificate | None, signer: rsa.RSAPrivateKey
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer.subject if issuer else name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=issuer is None, path_length=None), critical=True)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False
        )
    return builder.sign(signer, hashes.SHA256())


def test_pem_signature_with_a_certificate_chain(run_ocm: RunOcm, packed: Path) -> None:
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = _certificate("acme root", ca_key, None, ca_key)
    leaf_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = _certificate("acme signer", leaf_key, ca, ca_key)
    (packed / "leaf.pem").write_bytes(_pem(leaf_key))
    (packed / "chain.pem").write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    (packed / "root.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    signer = """\
  - type: signing.config.ocm.software/v1alpha1
    signer:
      type: RSASigningConfiguration/v1alpha1
      signatureAlgorithm: RSASSA-PKCS1-V1_5
      signatureEncodingPolicy: PEM
"""
    (packed / ".ocmconfig").write_text(_config("leaf.pem", "chain.pem", signer))
    signed = run_ocm("sign", "cv", REF, cwd=packed)
    assert signed.returncode == 0, signed.stderr
    entry = yaml.safe_load(signed.stdout)
    assert entry["signature"]["mediaType"] == "application/x-pem-file"
    assert entry["signature"]["value"].startswith("-----BEGIN SIGNATURE-----")
    assert "Signature Algorithm: RSASSA-PKCS1-V1_5" in entry["signature"]["value"]

    trusted = run_ocm("verify", "cv", REF, "--ca-cert", "root.pem", cwd=packed)
    assert trusted.returncode == 0, trusted.stderr
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (packed / "other-root.pem").write_bytes(
        _certificate("other root", other_key, None, other_key).public_bytes(
            serialization.Encoding.PEM
        )
    )
    untrusted = run_ocm("verify", "cv", REF, "--ca-cert", "other-root.pem", cwd=packed)
    assert untrusted.returncode == 1
    assert "SIGNATURE VERIFICATION FAILED" in untrusted.stderr


def test_algorithm_flag_overrides_the_default_signer(
    run_ocm: RunOcm, packed: Path, key: rsa.RSAPrivateKey
) -> None:
    # The key is configured for the PSS identity; PKCS#1 v1.5 needs it under that algorithm.
    (packed / ".ocmconfig").write_text(
        _config("keys/private-key.pem", "keys/public-key.pem", "# PKCS1\n")
    )
    signed = run_ocm("sign", "cv", REF, "--algorithm", "RSASSA-PKCS1-V1_5", cwd=packed)
    assert signed.returncode == 0, signed.stderr
    entry = yaml.safe_load(signed.stdout)
    assert entry["signature"]["algorithm"] == "RSASSA-PKCS1-V1_5"
    assert entry["signature"]["mediaType"] == "application/vnd.ocm.signature.rsa"
    key.public_key().verify(
        bytes.fromhex(entry["signature"]["value"]),
        bytes.fromhex(entry["digest"]["value"]),
        padding.PKCS1v15(),
        Prehashed(hashes.SHA256()),
    )
    assert run_ocm("verify", "cv", REF, cwd=packed).returncode == 0
