"""``ocm sign cv`` / ``ocm verify cv`` with GPG signatures on a CTF, as the Go v2 CLI's GPG
integration test drives them (cli/integration/signing_gpg_integration_test.go)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from gpgtools import GPGKeys, plain_gpg_verify

from fixtures.cli import error_line, ok
from pyocm.descriptor import Provider
from pyocm.repository import open_repository

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

COMPONENT, VERSION = "acme.org/gpg-signed", "1.0.0"
REF = f"./transport-archive//{COMPONENT}:{VERSION}"
CONSTRUCTOR = f"""\
components:
- name: {COMPONENT}
  version: {VERSION}
  provider:
    name: acme.org
  resources:
  - name: payload
    type: blob
    input: {{type: file, path: data.txt}}
"""


def _config(*, private: str = "", public: str = "", passphrase: str = "", signer: str = "") -> str:
    """An .ocmconfig with GPG/v1alpha1 credentials (key files) and optionally a GPG signer."""
    properties = {
        "privateKeyPGPFile": private,
        "publicKeyPGPFile": public,
        "passphrase": passphrase,
    }
    credentials = {k: v for k, v in properties.items() if v}
    document = {
        "type": "generic.config.ocm.software/v1",
        "configurations": [
            {
                "type": "credentials.config.ocm.software",
                "consumers": [
                    {
                        "identity": {"type": "GPG/v1alpha1", "signature": "default"},
                        "credentials": [{"type": "Credentials/v1", "properties": credentials}],
                    }
                ],
            },
            {
                "type": "signing.config.ocm.software/v1alpha1",
                "signer": yaml.safe_load(signer or "type: GPGSigningConfiguration/v1alpha1"),
            },
        ],
    }
    return yaml.safe_dump(document)


@pytest.fixture
def ctf(run_ocm: RunOcm, tmp_path: Path, gpg_keys: GPGKeys) -> Path:
    """A packed component version, key files, a signing and a verifying configuration."""
    (tmp_path / "data.txt").write_text("payload\n")
    (tmp_path / "component-constructor.yaml").write_text(CONSTRUCTOR)
    ok(run_ocm("add", "cv", cwd=tmp_path))
    for name in ("alice", "bob", "carol"):
        key = getattr(gpg_keys, name)
        (tmp_path / f"{name}.sec.asc").write_bytes(key.secret)
        (tmp_path / f"{name}.pub.asc").write_bytes(key.public)
    (tmp_path / "sign.yaml").write_text(_config(private="alice.sec.asc"))
    (tmp_path / "verify.yaml").write_text(_config(public="alice.pub.asc"))
    (tmp_path / "gpg-spec.yaml").write_text("type: GPGSigningConfiguration/v1alpha1\n")
    return tmp_path


def _signatures(run_ocm: RunOcm, ctf: Path) -> list[dict[str, object]]:
    got = ok(run_ocm("get", "cv", REF, "-o", "json", cwd=ctf))
    return list(json.loads(got.stdout)[0].get("signatures") or [])


def test_sign_then_verify_with_only_the_public_key(
    run_ocm: RunOcm, ctf: Path, gpg_keys: GPGKeys
) -> None:
    signed = ok(run_ocm("sign", "cv", REF, "--config", "sign.yaml", cwd=ctf))
    entry = yaml.safe_load(signed.stdout)
    assert entry["name"] == "default"
    assert entry["signature"]["algorithm"] == "GPG"
    assert entry["signature"]["mediaType"] == "application/vnd.ocm.signature.gpg"
    assert entry["digest"]["hashAlgorithm"] == "SHA-256"
    # Plain gpg accepts it as a signature of the raw digest bytes by alice.
    status = plain_gpg_verify(
        gpg_keys.alice.public,
        entry["signature"]["value"],
        bytes.fromhex(entry["digest"]["value"]),
    )
    assert any(line.startswith(f"VALIDSIG {gpg_keys.alice.fingerprint}") for line in status)
    assert [s["name"] for s in _signatures(run_ocm, ctf)] == ["default"]

    verified = ok(run_ocm("verify", "cv", REF, "--config", "verify.yaml", cwd=ctf))
    assert "SIGNATURE VERIFICATION SUCCESSFUL" in verified.stderr
    with_spec = run_ocm(
        "verify", "cv", REF, "--config", "verify.yaml", "--verifier-spec", "gpg-spec.yaml", cwd=ctf
    )
    assert "SIGNATURE VERIFICATION SUCCESSFUL" in ok(with_spec).stderr


def test_dry_run_persists_nothing(run_ocm: RunOcm, ctf: Path) -> None:
    dry = ok(run_ocm("sign", "cv", REF, "--config", "sign.yaml", "--dry-run", cwd=ctf))
    assert yaml.safe_load(dry.stdout)["signature"]["algorithm"] == "GPG"
    assert _signatures(run_ocm, ctf) == []
    verify = run_ocm("verify", "cv", REF, "--config", "verify.yaml", cwd=ctf)
    assert error_line(verify) == "Error: no signatures found to verify"


def test_wrong_public_key_fails(run_ocm: RunOcm, ctf: Path) -> None:
    ok(run_ocm("sign", "cv", REF, "--config", "sign.yaml", cwd=ctf))
    (ctf / "wrong.yaml").write_text(_config(public="carol.pub.asc"))
    line = error_line(run_ocm("verify", "cv", REF, "--config", "wrong.yaml", cwd=ctf))
    assert line.startswith("Error: SIGNATURE VERIFICATION FAILED: signature 'default': ")
    assert "GPG signature does not verify" in line


def test_public_key_flag_overrides_the_credentials(run_ocm: RunOcm, ctf: Path) -> None:
    ok(run_ocm("sign", "cv", REF, "--config", "sign.yaml", cwd=ctf))
    done = run_ocm(
        "verify", "cv", REF, "--config", "verify.yaml", "--public-key", "carol.pub.asc", cwd=ctf
    )
    assert "GPG signature does not verify" in error_line(done)


def test_tampered_descriptor_fails(run_ocm: RunOcm, ctf: Path) -> None:
    ok(run_ocm("sign", "cv", REF, "--config", "sign.yaml", cwd=ctf))
    with open_repository(str(ctf / "transport-archive"), mode="rw") as repo:
        descriptor = repo.get_component_version(COMPONENT, VERSION)
        descriptor.component.provider = Provider("mallory.example")
        repo.add_component_version(descriptor, replace=True)
    line = error_line(run_ocm("verify", "cv", REF, "--config", "verify.yaml", cwd=ctf))
    assert line.startswith("Error: SIGNATURE VERIFICATION FAILED: signature 'default': ")
    assert "the descriptor was changed after signing" in line


def test_key_fingerprint_selects_the_signing_and_the_verifying_key(
    run_ocm: RunOcm, ctf: Path, gpg_keys: GPGKeys
) -> None:
    both = ctf / "both.sec.asc"
    both.write_bytes(gpg_keys.alice.secret + gpg_keys.carol.secret)
    (ctf / "both.pub.asc").write_bytes(gpg_keys.alice.public + gpg_keys.carol.public)
    signer = f"type: GPGSigningConfiguration/v1alpha1\nkeyFingerprint: {gpg_keys.carol.key_id}"
    (ctf / "sign-carol.yaml").write_text(_config(private=both.name, signer=signer))
    signed = ok(run_ocm("sign", "cv", REF, "--config", "sign-carol.yaml", cwd=ctf))
    entry = yaml.safe_load(signed.stdout)
    status = plain_gpg_verify(
        gpg_keys.carol.public,
        entry["signature"]["value"],
        bytes.fromhex(entry["digest"]["value"]),
    )
    assert any(line.startswith(f"VALIDSIG {gpg_keys.carol.fingerprint}") for line in status)

    (ctf / "verify-both.yaml").write_text(_config(public="both.pub.asc"))
    for name, fingerprint in (("alice", gpg_keys.alice.fingerprint), ("carol", "")):
        spec = "type: GPGSigningConfiguration/v1alpha1\n"
        (ctf / f"{name}-spec.yaml").write_text(spec + f"keyFingerprint: '{fingerprint}'\n")
    args = ("verify", "cv", REF, "--config", "verify-both.yaml", "--verifier-spec")
    ok(run_ocm(*args, "carol-spec.yaml", cwd=ctf))
    line = error_line(run_ocm(*args, "alice-spec.yaml", cwd=ctf))
    assert f"signed by key {gpg_keys.carol.fingerprint}, not by key" in line


def test_protected_key_needs_the_passphrase_from_the_credentials(
    run_ocm: RunOcm, ctf: Path, gpg_keys: GPGKeys
) -> None:
    (ctf / "bob.yaml").write_text(_config(private="bob.sec.asc"))
    line = error_line(run_ocm("sign", "cv", REF, "--config", "bob.yaml", cwd=ctf))
    assert "passphrase-protected but no passphrase was provided" in line
    assert _signatures(run_ocm, ctf) == []
    with_passphrase = _config(private="bob.sec.asc", passphrase=gpg_keys.bob.passphrase)
    (ctf / "bob.yaml").write_text(with_passphrase)
    ok(run_ocm("sign", "cv", REF, "--config", "bob.yaml", cwd=ctf))
    (ctf / "bob-verify.yaml").write_text(_config(public="bob.pub.asc"))
    ok(run_ocm("verify", "cv", REF, "--config", "bob-verify.yaml", cwd=ctf))


def test_without_gpg_on_path_sign_and_verify_fail_clearly(
    run_ocm: RunOcm, ctf: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "no-tools"
    empty.mkdir()
    no_gpg = {"PATH": str(empty)}
    expected = "Error: GPG signatures need the gpg program (GnuPG) on PATH"
    sign = run_ocm("sign", "cv", REF, "--config", "sign.yaml", cwd=ctf, env=no_gpg)
    assert error_line(sign) == expected
    ok(run_ocm("sign", "cv", REF, "--config", "sign.yaml", cwd=ctf))
    verify = run_ocm("verify", "cv", REF, "--config", "verify.yaml", cwd=ctf, env=no_gpg)
    assert error_line(verify) == expected


def test_verifier_spec_must_fit_the_signature(run_ocm: RunOcm, ctf: Path) -> None:
    ok(run_ocm("sign", "cv", REF, "--config", "sign.yaml", cwd=ctf))
    args = ("verify", "cv", REF, "--config", "verify.yaml", "--verifier-spec")
    (ctf / "rsa-spec.yaml").write_text("type: RSASigningConfiguration/v1alpha1\n")
    line = error_line(run_ocm(*args, "rsa-spec.yaml", cwd=ctf))
    assert "a GPG signature cannot be checked with the RSA verifier of rsa-spec.yaml" in line
    (ctf / "other-spec.yaml").write_text("type: SigstoreVerificationConfiguration/v1alpha1\n")
    line = error_line(run_ocm(*args, "other-spec.yaml", cwd=ctf))
    assert line == (
        "Error: verifier specification file 'other-spec.yaml': verifier type "
        "'SigstoreVerificationConfiguration/v1alpha1' is not supported by pyocm (supported: "
        "RSASigningConfiguration/v1alpha1, GPGSigningConfiguration/v1alpha1)"
    )
    line = error_line(run_ocm(*args, "missing.yaml", cwd=ctf))
    assert line.startswith("Error: reading verifier specification file 'missing.yaml' failed")


def test_encoding_flag_does_not_apply_to_gpg(run_ocm: RunOcm, ctf: Path) -> None:
    done = run_ocm("sign", "cv", REF, "--config", "sign.yaml", "--encoding", "pem", cwd=ctf)
    assert error_line(done) == (
        "Error: --encoding applies to RSA signatures, but the configured signer is GPG"
    )
