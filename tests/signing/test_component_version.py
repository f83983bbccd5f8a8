"""Signing and verifying whole descriptors: defaults, names, tampering, digest coverage."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

import pyocm
from pyocm.descriptor import AccessSpec, Descriptor, Label
from pyocm.errors import NotFound, SignatureError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "component-descriptor.yaml"


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def signed(key: rsa.RSAPrivateKey) -> Descriptor:
    cd = pyocm.load(EXAMPLE)
    pyocm.sign_component_version(cd, key, name="acme")
    return cd


def test_defaults_are_those_of_the_go_v2_cli(signed: Descriptor) -> None:
    sig = signed.signatures[0]
    assert sig.name == "acme"
    assert sig.digest.hash_algorithm == "SHA-256"
    assert sig.digest.normalisation_algorithm == "jsonNormalisation/v4alpha1"
    assert sig.signature.algorithm == "RSASSA-PSS"
    assert sig.signature.media_type == "application/vnd.ocm.signature.rsa.pss"


def test_signature_covers_the_hash_of_the_normalised_descriptor(
    signed: Descriptor, key: rsa.RSAPrivateKey
) -> None:
    sig = signed.signatures[0]
    normalised = pyocm.normalise(signed, "jsonNormalisation/v4alpha1")
    assert sig.digest.value == hashlib.sha256(normalised).hexdigest()
    # Independently of pyocm: PSS over the raw digest bytes as a prehashed SHA-256 message.
    key.public_key().verify(
        bytes.fromhex(sig.signature.value),
        bytes.fromhex(sig.digest.value),
        padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO),
        Prehashed(hashes.SHA256()),
    )


def test_round_trip_through_yaml_still_verifies(signed: Descriptor, key: rsa.RSAPrivateKey) -> None:
    reloaded = pyocm.loads(pyocm.dumps(signed))
    verified = pyocm.verify_component_version(reloaded, key.public_key(), name="acme")
    assert [s.name for s in verified] == ["acme"]


def test_several_named_signatures(signed: Descriptor, key: rsa.RSAPrivateKey) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pyocm.sign_component_version(signed, other, name="second", algorithm="RSASSA-PKCS1-V1_5")
    assert [s.name for s in signed.signatures] == ["acme", "second"]
    pyocm.verify_component_version(signed, key.public_key(), name="acme")
    pyocm.verify_component_version(signed, other.public_key(), name="second")
    with pytest.raises(SignatureError, match="'second'"):
        pyocm.verify_component_version(signed, key.public_key(), name="second")


def test_existing_name_needs_force(signed: Descriptor, key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(SignatureError, match="already exists"):
        pyocm.sign_component_version(signed, key, name="acme")
    pyocm.sign_component_version(signed, key, name="acme", force=True, hash_algorithm="SHA-512")
    assert len(signed.signatures) == 1
    assert signed.signatures[0].digest.hash_algorithm == "SHA-512"
    pyocm.verify_component_version(signed, key.public_key())


def test_unknown_signature_name_is_not_found(signed: Descriptor, key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(NotFound, match="'nope' not found"):
        pyocm.verify_component_version(signed, key.public_key(), name="nope")


def test_unsigned_descriptor_has_nothing_to_verify(key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(NotFound, match="no signatures"):
        pyocm.verify_component_version(pyocm.load(EXAMPLE), key.public_key())


def test_signing_refuses_resources_without_digest(key: rsa.RSAPrivateKey) -> None:
    cd = pyocm.load(EXAMPLE)
    cd.component.resources[0].digest = None
    with pytest.raises(SignatureError, match=r"not safely digestible.*web-image"):
        pyocm.sign_component_version(cd, key)


def test_signing_refuses_references_without_digest(key: rsa.RSAPrivateKey) -> None:
    cd = pyocm.load(EXAMPLE)
    cd.component.references[0].digest = None
    with pytest.raises(SignatureError, match="reference 'database' has no digest"):
        pyocm.sign_component_version(cd, key)


def _set_signing_label(cd: Descriptor) -> None:
    cd.component.labels[1].value = {"level": "low", "reviewed": True}


SIGNED_CHANGES: dict[str, Callable[[Descriptor], None]] = {
    "component version": lambda cd: setattr(cd.component, "version", "1.4.3"),
    "provider": lambda cd: setattr(cd.component.provider, "name", "evil.org"),
    "creation time": lambda cd: setattr(cd.component, "creation_time", "2026-11-02T09:30:00Z"),
    "signing label": _set_signing_label,
    "new signing label": lambda cd: cd.component.labels.append(Label("x", 1, signing=True)),
    "resource digest": lambda cd: setattr(cd.component.resources[0].digest, "value", "0" * 64),
    "resource name": lambda cd: setattr(cd.component.resources[1], "name", "other-chart"),
    "resource type": lambda cd: setattr(cd.component.resources[1], "type", "blob"),
    "resource relation": lambda cd: setattr(cd.component.resources[1], "relation", "external"),
    "extra identity": lambda cd: cd.component.resources[1].extra_identity.update(flavour="dev"),
    "source version": lambda cd: setattr(cd.component.sources[0], "version", "9.9.9"),
    "reference digest": lambda cd: setattr(cd.component.references[0].digest, "value", "1" * 64),
    "reference version": lambda cd: setattr(cd.component.references[0], "version", "2.1.1"),
    "dropped resource": lambda cd: cd.component.resources.pop(),
}

UNSIGNED_CHANGES: dict[str, Callable[[Descriptor], None]] = {
    "non-signing label": lambda cd: setattr(cd.component.labels[0], "value", "checkout"),
    "resource access": lambda cd: cd.component.resources[1].access.properties.update(  # type: ignore[union-attr]
        localReference="sha256:" + "2" * 64
    ),
    "source access": lambda cd: setattr(cd.component.sources[0], "access", AccessSpec("none")),
    "repository contexts": lambda cd: cd.component.repository_contexts.append(
        {"type": "OCIRegistry", "baseUrl": "ghcr.io"}
    ),
}


@pytest.mark.parametrize("change", SIGNED_CHANGES, ids=list(SIGNED_CHANGES))
def test_any_change_of_a_signed_field_fails_verification(
    signed: Descriptor, key: rsa.RSAPrivateKey, change: str
) -> None:
    tampered = copy.deepcopy(signed)
    SIGNED_CHANGES[change](tampered)
    with pytest.raises(SignatureError, match=r"'acme'.*changed after signing"):
        pyocm.verify_component_version(tampered, key.public_key())


@pytest.mark.parametrize("change", UNSIGNED_CHANGES, ids=list(UNSIGNED_CHANGES))
def test_changes_outside_the_signature_keep_it_valid(
    signed: Descriptor, key: rsa.RSAPrivateKey, change: str
) -> None:
    changed = copy.deepcopy(signed)
    UNSIGNED_CHANGES[change](changed)
    pyocm.verify_component_version(changed, key.public_key())


def test_a_changed_signature_value_fails_with_the_reason(
    signed: Descriptor, key: rsa.RSAPrivateKey
) -> None:
    value = signed.signatures[0].signature.value
    signed.signatures[0].signature.value = value[:-2] + ("00" if value[-2:] != "00" else "01")
    with pytest.raises(SignatureError, match="'acme'"):
        pyocm.verify_component_version(signed, key.public_key())


def test_wrong_key_fails(signed: Descriptor) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(SignatureError, match="'acme'"):
        pyocm.verify_component_version(signed, other.public_key())
