"""Signatures the legacy Go v1 tool verifies: reference digests as it recomputes them, and its
certificate rules for the signatures only it (and pyocm's legacy-compatible signing) writes.
The same behaviour against the real legacy binary is in tests/interop/test_signatures*.py."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from pyocm.descriptor import Component, Descriptor, Label, Reference
from pyocm.descriptor.model import Provider
from pyocm.digest import component_version_digest
from pyocm.errors import SignatureError
from pyocm.normalise import JSON_V3, JSON_V4ALPHA1
from pyocm.signing import dn
from pyocm.signing.component import (
    legacy_reference_digests,
    sign_component_version,
    verify_component_version,
)


def _cd(name: str, *refs: str) -> Descriptor:
    component = Component(
        name,
        "1.0.0",
        Provider("acme.org"),
        creation_time="2024-05-01T10:20:30.600+02:00",
        labels=[Label("approved", {"team": "qa", "ticket": None}, signing=True, version="v1")],
        references=[Reference(name=r, version="1.0.0", component_name=r) for r in refs],
    )
    return Descriptor(component)


def test_reference_digests_are_recomputed_with_the_signature_algorithms() -> None:
    leaf, middle = _cd("acme.org/leaf"), _cd("acme.org/middle", "acme.org/leaf")
    root = _cd("acme.org/root", "acme.org/middle")
    store = {"acme.org/leaf": leaf, "acme.org/middle": middle}
    legacy_reference_digests(root, lambda name, version: store[name])

    # The middle version's own reference is digested in memory first, as legacy v1 does.
    expected_middle = _cd("acme.org/middle", "acme.org/leaf")
    expected_middle.component.references[0].digest = component_version_digest(
        leaf, "SHA-256", JSON_V3
    )
    digest = root.component.references[0].digest
    assert digest == component_version_digest(expected_middle, "SHA-256", JSON_V3)
    assert digest is not None and digest.normalisation_algorithm == JSON_V3
    # v3 and v4alpha1 differ on this descriptor (null in a label value, label version,
    # creation time), so the algorithm matters.
    assert digest.value != component_version_digest(expected_middle, "SHA-256", JSON_V4ALPHA1).value
    assert store["acme.org/middle"].component.references[0].digest is None  # left unchanged


def test_a_reference_cycle_is_an_error() -> None:
    a, b = _cd("acme.org/a", "acme.org/b"), _cd("acme.org/b", "acme.org/a")
    store = {"acme.org/a": a, "acme.org/b": b}
    with pytest.raises(SignatureError, match="reference cycle"):
        legacy_reference_digests(a, lambda name, version: store[name])


def test_legacy_pem_signatures_verify_with_the_legacy_issuer_rules(pki: Any) -> None:
    """Legacy v1 records the leaf's *subject* as issuer; Go v2 reads the issuer as the leaf's
    *issuer*.  A v3 signature is read with the legacy rules, a v4alpha1 one with Go v2's."""
    chain = [pki.leaf, pki.intermediate]
    subject = str(dn.from_x509(pki.leaf.subject))
    for normalisation, name in ((JSON_V3, "legacy"), (JSON_V4ALPHA1, "new")):
        cd = _cd("acme.org/app")
        sign_component_version(
            cd, pki.leaf_key, name=name, normalisation=normalisation, encoding="pem",
            certificates=chain, issuer=subject,
        )  # fmt: skip
        if normalisation == JSON_V3:
            verify_component_version(cd, roots=[pki.root])
        else:
            with pytest.raises(SignatureError, match="issuer mismatch"):
                verify_component_version(cd, roots=[pki.root])
            verify_component_version(cd, roots=[pki.root], issuer_semantics="legacy")


def test_the_root_ca_given_as_public_key_anchors_the_chain(
    pki: Any, keys: list[rsa.RSAPrivateKey]
) -> None:
    cd = _cd("acme.org/app")
    sign_component_version(
        cd, pki.leaf_key, encoding="pem", certificates=[pki.leaf, pki.intermediate]
    )
    verify_component_version(cd, pki.root_key.public_key(), roots=[pki.root])
    with pytest.raises(SignatureError, match="neither the key of the leaf"):
        verify_component_version(cd, keys[5].public_key(), roots=[pki.root])
