"""Component-version and reference digests against the reference conformance vector."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

import pyocm
from pyocm.descriptor import (
    AccessSpec,
    Component,
    Descriptor,
    Digest,
    Provider,
    Reference,
    Resource,
)
from pyocm.digest import (
    component_version_digest,
    digest_problems,
    reference_digest,
    update_reference_digests,
)
from pyocm.errors import DigestMismatch, OCMError

A1 = "normalisation/v4alpha1-conformance/legacy/jsonNormalisation/v3/01"


@pytest.fixture
def child(vectors: Path) -> Descriptor:
    return pyocm.load(vectors / A1 / "input.yaml")


@pytest.fixture
def expected_hex(vectors: Path) -> str:
    # The vector's expected normal form, hashed independently of pyocm.
    return hashlib.sha256((vectors / A1 / "expected.json").read_bytes()).hexdigest()


def _parent(digest: Digest | None = None, version: str = "0.27.0") -> Descriptor:
    ref = Reference("cli", version, component_name="ocm.software/ocmcli", digest=digest)
    return Descriptor(Component("acme.org/parent", "1.0.0", Provider("acme"), references=[ref]))


def test_component_version_digest_of_the_conformance_vector(
    child: Descriptor, expected_hex: str
) -> None:
    for algorithm in ("jsonNormalisation/v4alpha1", "jsonNormalisation/v3"):
        d = component_version_digest(child, "SHA-256", algorithm)
        assert (d.hash_algorithm, d.normalisation_algorithm, d.value) == (
            "SHA-256",
            algorithm,
            expected_hex,
        )
    assert expected_hex == "c97c44a4dca9fc85d4e634a617b662f72935cc202d52a46aa9367c937458b35b"


def test_reference_digest_uses_the_algorithms_the_reference_records(
    child: Descriptor, vectors: Path
) -> None:
    expected = (vectors / A1 / "expected.json").read_bytes()
    recorded = Digest("SHA-512", "jsonNormalisation/v3", "0" * 128)
    d = reference_digest(_parent(recorded).component.references[0], child)
    assert (d.hash_algorithm, d.normalisation_algorithm) == ("SHA-512", "jsonNormalisation/v3")
    assert d.value == hashlib.sha512(expected).hexdigest()
    # Without a recorded digest: SHA-256 over jsonNormalisation/v4alpha1, as Go v2 does.
    fresh = reference_digest(_parent().component.references[0], child)
    assert fresh.normalisation_algorithm == "jsonNormalisation/v4alpha1"
    assert fresh.value == hashlib.sha256(expected).hexdigest()


def test_update_reference_digests_fills_and_chains(child: Descriptor, expected_hex: str) -> None:
    store = {("ocm.software/ocmcli", "0.27.0"): child}
    updated = update_reference_digests(_parent(), lambda n, v: store[(n, v)])
    ref_digest = updated.component.references[0].digest
    assert ref_digest is not None and ref_digest.value == expected_hex
    # The reference digest is part of the parent's normal form, so the parent digest changes
    # when the child's does.
    before = component_version_digest(updated).value
    child.component.resources[0].digest = Digest("SHA-256", "genericBlobDigest/v1", "1" * 64)
    changed = update_reference_digests(_parent(), lambda n, v: store[(n, v)])
    assert component_version_digest(changed).value != before


def test_update_reference_digests_rejects_a_wrong_recorded_digest(child: Descriptor) -> None:
    wrong = Digest("SHA-256", "jsonNormalisation/v4alpha1", "f" * 64)
    with pytest.raises(DigestMismatch, match="reference 'cli'"):
        update_reference_digests(_parent(wrong), lambda n, v: child)


def test_update_reference_digests_detects_cycles() -> None:
    a = Descriptor(
        Component("acme.org/a", "1.0.0", Provider("acme"),
                  references=[Reference("b", "1.0.0", component_name="acme.org/b")])
    )  # fmt: skip
    b = Descriptor(
        Component("acme.org/b", "1.0.0", Provider("acme"),
                  references=[Reference("a", "1.0.0", component_name="acme.org/a")])
    )  # fmt: skip
    store = {"acme.org/a": a, "acme.org/b": b}
    with pytest.raises(OCMError, match=re.escape("cycle: acme.org/a:1.0.0 -> acme.org/b:1.0.0")):
        update_reference_digests(a, lambda n, v: store[n])


def test_digest_problems_name_what_is_not_covered() -> None:
    cd = Descriptor(
        Component(
            "acme.org/a",
            "1.0.0",
            Provider("acme"),
            resources=[
                Resource("blob", "1.0.0", type="blob", access=AccessSpec("localBlob")),
                Resource(
                    "none",
                    "1.0.0",
                    type="blob",
                    access=AccessSpec("none"),
                    digest=Digest("SHA-256", "genericBlobDigest/v1", "0" * 64),
                ),
            ],
            references=[Reference("b", "1.0.0", component_name="acme.org/b")],
        )
    )
    problems = [str(p) for p in digest_problems(cd)]
    assert problems == [
        "component.componentReferences[0]: reference 'b' has no digest",
        "component.resources[0]: resource 'blob' has no digest",
        "component.resources[1]: resource 'none' has no content but a digest",
    ]
