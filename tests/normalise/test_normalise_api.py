"""The public entry point: algorithm names, dispatch, errors, no mutation, v1 specifics."""

from __future__ import annotations

import re

import pytest

from pyocm.descriptor import (
    AccessSpec,
    Component,
    Descriptor,
    Digest,
    Label,
    Provider,
    Reference,
    Resource,
    Source,
)
from pyocm.descriptor.v3alpha1 import SCHEMA_V3ALPHA1
from pyocm.errors import UnsupportedAlgorithm, ValidationError
from pyocm.normalise import (
    ALGORITHMS,
    DEFAULT,
    JSON_V1,
    JSON_V2,
    JSON_V3,
    JSON_V4ALPHA1,
    normalise,
)


def test_algorithm_names_and_default() -> None:
    assert (JSON_V1, JSON_V2, JSON_V3, JSON_V4ALPHA1) == (
        "jsonNormalisation/v1",
        "jsonNormalisation/v2",
        "jsonNormalisation/v3",
        "jsonNormalisation/v4alpha1",
    )
    assert DEFAULT == JSON_V4ALPHA1
    assert set(ALGORITHMS) == {JSON_V1, JSON_V2, JSON_V3, JSON_V4ALPHA1}


@pytest.mark.parametrize("name", ["jsonNormalisation/v5", "jsonNormalisationV3", "", "sha256"])
def test_unknown_algorithm_is_rejected_by_name(name: str) -> None:
    cd = Descriptor(Component("acme.org/app", "1.0.0", Provider("acme")))
    with pytest.raises(UnsupportedAlgorithm, match=re.escape(repr(name))):
        normalise(cd, name)


def rich_descriptor() -> Descriptor:
    label = Label("l", {"k": [1, None]}, signing=True, version="v1", merge={"algorithm": "x"})
    component = Component(
        "acme.org/app",
        "1.0.0",
        Provider("acme", [label]),
        creation_time="2024-01-01T00:00:00.6Z",
        labels=[label, Label("u", "v")],
    )
    for version in ("1", "2"):
        component.resources.append(
            Resource("r", version, type="t", labels=[label], access=AccessSpec("localBlob"))
        )
    component.sources.append(Source("s", "1", type="git", access=AccessSpec("git")))
    component.references.append(Reference("ref", "1", component_name="acme.org/lib"))
    return Descriptor(component)


@pytest.mark.parametrize("algorithm", [JSON_V1, JSON_V2, JSON_V3, JSON_V4ALPHA1])
def test_the_descriptor_is_left_unchanged(algorithm: str) -> None:
    cd = rich_descriptor()
    before = cd.to_dict()
    normalise(cd, algorithm)
    assert cd.to_dict() == before


@pytest.mark.parametrize("algorithm", [JSON_V1, JSON_V2, JSON_V3])
def test_unparsable_creation_time_is_a_validation_error(algorithm: str) -> None:
    cd = rich_descriptor()
    cd.component.creation_time = "yesterday"
    with pytest.raises(ValidationError, match=r"component\.creationTime"):
        normalise(cd, algorithm)


def test_v1_for_schema_v2_filters_reference_labels_and_escapes_html() -> None:
    cd = Descriptor(Component("acme.org/app", "1.0.0", Provider("a&b")))
    cd.component.references.append(
        Reference(
            "ref",
            "1",
            component_name="acme.org/lib",
            labels=[Label("u", "x"), Label("s", "<y>", signing=True)],
            digest=Digest("SHA-256", "jsonNormalisation/v1", "ab"),
        )
    )
    assert normalise(cd, JSON_V1).decode() == (
        '[{"component":[{"componentReferences":[[{"componentName":"acme.org/lib"},'
        '{"digest":[{"hashAlgorithm":"SHA-256"},{"normalisationAlgorithm":"jsonNormalisation/v1"},'
        '{"value":"ab"}]},{"extraIdentity":null},{"labels":[[{"name":"s"},{"signing":true},'
        '{"value":"\\u003cy\\u003e"}]]},{"name":"ref"},{"version":"1"}]]},'
        '{"name":"acme.org/app"},{"provider":"a\\u0026b"},{"resources":[]},{"version":"1.0.0"}]},'
        '{"meta":[{"schemaVersion":"v2"}]}]'
    )


def test_v1_for_schema_v3alpha1_keeps_sources_and_omits_empty_identities() -> None:
    cd = Descriptor(
        Component("acme.org/app", "1.0.0", Provider("acme"), creation_time="2024-01-01T00:00:00Z"),
        schema_version=SCHEMA_V3ALPHA1,
    )
    cd.component.sources.append(
        Source("s", "1", type="git", labels=[Label("u", 1)], access=AccessSpec("git"))
    )
    cd.component.resources.append(
        Resource(
            "r",
            "1",
            type="t",
            extra_identity={"os": "linux"},
            access=AccessSpec("none"),
            digest=Digest("SHA-256", "genericBlobDigest/v1", "ab"),
        )
    )
    cd.component.references.append(Reference("ref", "1", component_name="acme.org/lib"))
    assert normalise(cd, JSON_V1).decode() == (
        '[{"apiVersion":"ocm.software/v3alpha1"},{"kind":"ComponentVersion"},{"metadata":'
        '[{"creationTime":"2024-01-01T00:00:00Z"},{"name":"acme.org/app"},'
        '{"provider":[{"name":"acme"}]},{"version":"1.0.0"}]},{"spec":[{"references":'
        '[[{"componentName":"acme.org/lib"},{"name":"ref"},{"version":"1"}]]},{"resources":'
        '[[{"extraIdentity":[{"os":"linux"}]},{"name":"r"},{"relation":"local"},{"type":"t"},'
        '{"version":"1"}]]},{"sources":[[{"name":"s"},{"type":"git"},{"version":"1"}]]}]}]'
    )


def test_v1_rejects_an_unknown_schema_version() -> None:
    cd = Descriptor(Component("acme.org/app", "1.0.0", Provider("acme")), schema_version="v9")
    with pytest.raises(UnsupportedAlgorithm, match="'v9'"):
        normalise(cd, JSON_V1)
