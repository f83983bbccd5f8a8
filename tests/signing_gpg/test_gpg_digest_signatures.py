"""GPG signatures over digests (pyocm.signing.gpg) and of descriptors, with real gpg keys."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from gpgtools import GPGKeys, plain_gpg_verify

from pyocm.config.credentials.lookups import gpg_signing_keys
from pyocm.config.credentials.typed import Credentials, to_gpg_credentials
from pyocm.config.discovery import load_config
from pyocm.descriptor import Component, Descriptor, Provider, SignatureSpec
from pyocm.errors import CredentialsError, OCMError, SignatureError
from pyocm.signing import gpg
from pyocm.signing.component import sign_component_version_gpg, verify_component_version_gpg
from pyocm.signing.signer import GPGSigner, signer_from_spec, verifier_from_spec

DIGEST = hashlib.sha256(b"component descriptor").hexdigest()
OTHER_DIGEST = hashlib.sha256(b"another descriptor").hexdigest()


def _status(lines: list[str], keyword: str) -> list[str]:
    return next(line.split(" ")[1:] for line in lines if line.split(" ")[0] == keyword)


def test_signature_is_armored_detached_gpg_over_the_raw_digest(gpg_keys: GPGKeys) -> None:
    spec = gpg.sign_digest(DIGEST, "SHA-256", gpg_keys.alice.secret, name="default")
    assert spec.algorithm == "GPG"
    assert spec.media_type == "application/vnd.ocm.signature.gpg"
    assert spec.value.startswith("-----BEGIN PGP SIGNATURE-----")
    # Checked by plain gpg over the digest bytes, as Go's handler signs them.
    status = plain_gpg_verify(gpg_keys.alice.public, spec.value, bytes.fromhex(DIGEST))
    assert _status(status, "VALIDSIG")[-1] == gpg_keys.alice.fingerprint
    # RFC 4880 §9.4: hash algorithm 8 is SHA-256, the default.
    assert _status(status, "VALIDSIG")[7] == "8"


def test_verify_needs_only_the_public_key(gpg_keys: GPGKeys) -> None:
    spec = gpg.sign_digest(DIGEST, "SHA-256", gpg_keys.alice.secret)
    signer = gpg.verify_digest(DIGEST, "SHA-256", spec, gpg_keys.alice.public, name="default")
    assert signer == gpg_keys.alice.fingerprint


@pytest.mark.parametrize(("hash_name", "openpgp_id"), [("SHA-384", "9"), ("SHA-512", "10")])
def test_signature_hash_follows_the_configuration(
    gpg_keys: GPGKeys, hash_name: str, openpgp_id: str
) -> None:
    spec = gpg.sign_digest(DIGEST, "SHA-256", gpg_keys.alice.secret, signature_hash=hash_name)
    status = plain_gpg_verify(gpg_keys.alice.public, spec.value, bytes.fromhex(DIGEST))
    assert _status(status, "VALIDSIG")[7] == openpgp_id


def test_unknown_signature_hash_is_refused(gpg_keys: GPGKeys) -> None:
    with pytest.raises(SignatureError, match="unsupported GPG hash algorithm 'MD5'"):
        gpg.sign_digest(DIGEST, "SHA-256", gpg_keys.alice.secret, signature_hash="MD5")


def test_wrong_key_fails_naming_the_signature(gpg_keys: GPGKeys) -> None:
    spec = gpg.sign_digest(DIGEST, "SHA-256", gpg_keys.alice.secret)
    with pytest.raises(SignatureError) as failure:
        gpg.verify_digest(DIGEST, "SHA-256", spec, gpg_keys.carol.public, name="release")
    assert failure.value.signature == "release"
    assert "does not verify" in failure.value.reason


def test_changed_digest_fails(gpg_keys: GPGKeys) -> None:
    spec = gpg.sign_digest(DIGEST, "SHA-256", gpg_keys.alice.secret)
    with pytest.raises(SignatureError, match="does not match the digest"):
        gpg.verify_digest(OTHER_DIGEST, "SHA-256", spec, gpg_keys.alice.public, name="x")


def test_fingerprint_selects_among_two_keys(gpg_keys: GPGKeys) -> None:
    keyring = gpg_keys.alice.secret + gpg_keys.carol.secret
    public = gpg_keys.alice.public + gpg_keys.carol.public
    first = gpg.sign_digest(DIGEST, "SHA-256", keyring)
    assert gpg.verify_digest(DIGEST, "SHA-256", first, public) == gpg_keys.alice.fingerprint
    chosen = gpg.sign_digest(
        DIGEST, "SHA-256", keyring, key_fingerprint=gpg_keys.carol.fingerprint.lower()
    )
    assert gpg.verify_digest(DIGEST, "SHA-256", chosen, public) == gpg_keys.carol.fingerprint
    by_key_id = gpg.sign_digest(DIGEST, "SHA-256", keyring, key_fingerprint=gpg_keys.carol.key_id)
    status = plain_gpg_verify(gpg_keys.carol.public, by_key_id.value, bytes.fromhex(DIGEST))
    assert _status(status, "VALIDSIG")[-1] == gpg_keys.carol.fingerprint
    # Verifying with a fingerprint trusts only that key of the keyring.
    with pytest.raises(SignatureError, match=f"signed by key {gpg_keys.carol.fingerprint}"):
        gpg.verify_digest(
            DIGEST, "SHA-256", chosen, public, key_fingerprint=gpg_keys.alice.fingerprint
        )
    with pytest.raises(CredentialsError, match="no key matching fingerprint 'ABCDEF'"):
        gpg.sign_digest(DIGEST, "SHA-256", keyring, key_fingerprint="ABCDEF")


def test_protected_key_needs_its_passphrase(gpg_keys: GPGKeys) -> None:
    bob = gpg_keys.bob
    with pytest.raises(CredentialsError, match="passphrase-protected but no passphrase"):
        gpg.sign_digest(DIGEST, "SHA-256", bob.secret)
    with pytest.raises(CredentialsError, match="wrong passphrase"):
        gpg.sign_digest(DIGEST, "SHA-256", bob.secret, passphrase="not it")
    spec = gpg.sign_digest(DIGEST, "SHA-256", bob.secret, passphrase=bob.passphrase)
    assert gpg.verify_digest(DIGEST, "SHA-256", spec, bob.public) == bob.fingerprint


def test_material_without_keys_is_a_clear_error(gpg_keys: GPGKeys) -> None:
    with pytest.raises(CredentialsError, match="no OpenPGP private key"):
        gpg.sign_digest(DIGEST, "SHA-256", b"not a key")
    with pytest.raises(CredentialsError, match="no OpenPGP private key"):
        gpg.sign_digest(DIGEST, "SHA-256", gpg_keys.alice.public)
    spec = gpg.sign_digest(DIGEST, "SHA-256", gpg_keys.alice.secret)
    with pytest.raises(SignatureError, match="no OpenPGP public key"):
        gpg.verify_digest(DIGEST, "SHA-256", spec, b"not a key")


def test_verify_accepts_the_private_keyring_as_key_material(gpg_keys: GPGKeys) -> None:
    spec = gpg.sign_digest(DIGEST, "SHA-256", gpg_keys.alice.secret)
    signer = gpg.verify_digest(DIGEST, "SHA-256", spec, gpg_keys.alice.secret)
    assert signer == gpg_keys.alice.fingerprint


def test_only_armored_detached_gpg_signatures_are_accepted(gpg_keys: GPGKeys) -> None:
    spec = gpg.sign_digest(DIGEST, "SHA-256", gpg_keys.alice.secret)
    public = gpg_keys.alice.public
    rsa = SignatureSpec("RSASSA-PSS", spec.value, "application/vnd.ocm.signature.rsa.pss")
    with pytest.raises(SignatureError, match="unsupported media type"):
        gpg.verify_digest(DIGEST, "SHA-256", rsa, public)
    clear = spec.value.replace("BEGIN PGP SIGNATURE", "BEGIN PGP SIGNED MESSAGE")
    with pytest.raises(SignatureError, match="not an armored OpenPGP signature"):
        gpg.verify_digest(DIGEST, "SHA-256", SignatureSpec("GPG", clear, spec.media_type), public)
    with pytest.raises(SignatureError, match="is not hex"):
        gpg.verify_digest("xyz", "SHA-256", spec, public)
    with pytest.raises(SignatureError, match="digest has 32 bytes, but a SHA-512 digest has 64"):
        gpg.verify_digest(DIGEST, "SHA-512", spec, public)


def test_missing_gpg_program_is_one_clear_error(
    gpg_keys: GPGKeys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(OCMError) as failure:
        gpg.sign_digest(DIGEST, "SHA-256", gpg_keys.alice.secret)
    assert str(failure.value) == "GPG signatures need the gpg program (GnuPG) on PATH"


def test_operations_leave_no_gnupg_home_behind(
    gpg_keys: GPGKeys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    spec = gpg.sign_digest(
        DIGEST, "SHA-256", gpg_keys.bob.secret, passphrase=gpg_keys.bob.passphrase
    )
    gpg.verify_digest(DIGEST, "SHA-256", spec, gpg_keys.bob.public)
    assert list(tmp_path.iterdir()) == []


def _descriptor() -> Descriptor:
    return Descriptor(Component("acme.org/app", "1.0.0", Provider("acme.org")))


def test_descriptor_sign_and_verify(gpg_keys: GPGKeys) -> None:
    cd = _descriptor()
    made = sign_component_version_gpg(cd, gpg_keys.alice.secret, name="gpg")
    assert [s.name for s in cd.signatures] == ["gpg"]
    assert made.digest.normalisation_algorithm == "jsonNormalisation/v4alpha1"
    verified = verify_component_version_gpg(cd, gpg_keys.alice.public, name="gpg")
    assert verified == [made]
    status = plain_gpg_verify(
        gpg_keys.alice.public, made.signature.value, bytes.fromhex(made.digest.value)
    )
    assert _status(status, "GOODSIG")


def test_tampered_descriptor_fails(gpg_keys: GPGKeys) -> None:
    cd = _descriptor()
    sign_component_version_gpg(cd, gpg_keys.alice.secret)
    cd.component.provider = Provider("mallory.example")
    with pytest.raises(SignatureError, match="changed after signing"):
        verify_component_version_gpg(cd, gpg_keys.alice.public)


def test_resigning_needs_force(gpg_keys: GPGKeys) -> None:
    cd = _descriptor()
    sign_component_version_gpg(cd, gpg_keys.alice.secret)
    with pytest.raises(SignatureError, match="already exists"):
        sign_component_version_gpg(cd, gpg_keys.carol.secret)
    sign_component_version_gpg(cd, gpg_keys.carol.secret, force=True)
    verify_component_version_gpg(cd, gpg_keys.carol.public)
    with pytest.raises(SignatureError, match="does not verify"):
        verify_component_version_gpg(cd, gpg_keys.alice.public)


def test_gpg_signer_and_verifier_specs() -> None:
    assert signer_from_spec({"type": "GPGSigningConfiguration/v1alpha1"}) == GPGSigner()
    assert signer_from_spec(
        {"type": "GPGSigningConfiguration", "hashAlgorithm": "SHA-384", "keyFingerprint": "AB"}
    ) == GPGSigner("SHA-384", "AB")
    assert GPGSigner().algorithm == "GPG"
    with pytest.raises(OCMError, match="unsupported GPG hash algorithm 'SHA-1'"):
        signer_from_spec({"type": "GPGSigningConfiguration", "hashAlgorithm": "SHA-1"})
    with pytest.raises(OCMError, match="verifier type 'Cosign/v1' is not supported by pyocm"):
        verifier_from_spec({"type": "Cosign/v1"})


def test_gpg_credentials_from_typed_and_direct_payloads(tmp_path: Path) -> None:
    typed = Credentials(
        "GPGCredentials/v1alpha1", {"privateKeyPGPFile": "k.asc", "passphrase": "pw"}
    )
    assert to_gpg_credentials(typed).private_key_pgp_file == "k.asc"
    assert to_gpg_credentials(typed).passphrase == "pw"
    assert "pw" not in repr(to_gpg_credentials(typed))
    direct = Credentials("Credentials/v1", {"publicKeyPGP": "armored"})
    assert to_gpg_credentials(direct).public_key_pgp == "armored"
    with pytest.raises(CredentialsError, match="unsupported credential type RSACredentials/v1"):
        to_gpg_credentials(Credentials("RSACredentials/v1", {}))


def test_gpg_keys_come_from_the_gpg_consumer(tmp_path: Path) -> None:
    (tmp_path / "secret.asc").write_text("SECRET")
    config_file = tmp_path / "ocmconfig.yaml"
    config_file.write_text(
        f"""\
type: generic.config.ocm.software/v1
configurations:
- type: credentials.config.ocm.software
  consumers:
  - identity: {{type: GPG/v1alpha1, signature: release}}
    credentials:
    - type: GPGCredentials/v1alpha1
      privateKeyPGPFile: {tmp_path / "secret.asc"}
      publicKeyPGP: PUBLIC
      passphrase: pw
"""
    )
    config = load_config([config_file])
    keys = gpg_signing_keys(config, "release")
    assert keys is not None
    assert (keys.private_key, keys.public_key, keys.passphrase) == (b"SECRET", b"PUBLIC", "pw")
    assert gpg_signing_keys(config, "default") is None
