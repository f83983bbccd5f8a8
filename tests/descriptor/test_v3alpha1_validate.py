"""ocm.software/v3alpha1 documents: their schema, and their conversion to the v2 model."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pyocm.descriptor import Descriptor, Label, loads, validate, validate_document
from pyocm.descriptor.codec import dump_data
from pyocm.descriptor.v3alpha1 import to_v3alpha1_dict
from pyocm.errors import ValidationError, Violation

# The shape follows LEG resources/component-descriptor-ocm-v3-schema.yaml.
V3_DOCUMENT: dict[str, Any] = {
    "apiVersion": "ocm.software/v3alpha1",
    "kind": "ComponentVersion",
    "metadata": {
        "name": "acme.org/shop",
        "version": "2.1.0",
        "creationTime": "2024-01-02T03:04:05Z",
        "labels": [{"name": "team", "value": "checkout", "signing": True}],
        "provider": {
            "name": "acme",
            "labels": [
                {"name": "city", "value": "Walldorf"},
                {"name": "contact", "value": {"mail": "ops@acme.org"}, "version": "v1"},
            ],
        },
    },
    "repositoryContexts": [{"type": "OCIRegistry", "baseUrl": "ghcr.io/acme"}],
    "spec": {
        "sources": [
            {
                "name": "shop-src",
                "version": "2.1.0",
                "type": "git",
                "access": {"type": "gitHub", "repoUrl": "github.com/acme/shop"},
            }
        ],
        "references": [
            {
                "name": "db",
                "componentName": "acme.org/db",
                "version": "14.2.0",
                "extraIdentity": {"flavour": "small"},
                "digest": {
                    "hashAlgorithm": "SHA-256",
                    "normalisationAlgorithm": "jsonNormalisation/v3",
                    "value": "0123",
                },
            }
        ],
        "resources": [
            {
                "name": "image",
                "version": "2.1.0",
                "type": "ociImage",
                "relation": "external",
                "access": {"type": "ociArtifact", "imageReference": "ghcr.io/acme/shop:2.1.0"},
                "srcRefs": [{"identitySelector": {"name": "shop-src"}}],
            }
        ],
    },
    "signatures": [
        {
            "name": "acme",
            "digest": {
                "hashAlgorithm": "SHA-256",
                "normalisationAlgorithm": "jsonNormalisation/v3",
                "value": "4567",
            },
            "signature": {
                "algorithm": "RSASSA-PKCS1-V1_5",
                "value": "89ab",
                "mediaType": "application/vnd.ocm.signature.rsa",
            },
        }
    ],
}


def violations(data: Any) -> list[Violation]:
    try:
        validate_document(data)
    except ValidationError as err:
        return err.violations
    return []


@pytest.fixture
def doc() -> dict[str, Any]:
    return copy.deepcopy(V3_DOCUMENT)


@pytest.fixture
def cd() -> Descriptor:
    return loads(dump_data(V3_DOCUMENT, "yaml"))


def test_the_v3alpha1_document_is_schema_valid(doc: dict[str, Any]) -> None:
    assert violations(doc) == []


def test_it_converts_to_the_v2_model_with_provider_labels(cd: Descriptor) -> None:
    assert cd.schema_version == "ocm.software/v3alpha1"
    assert cd.component.name == "acme.org/shop"
    assert cd.component.creation_time == "2024-01-02T03:04:05Z"
    assert cd.component.provider.name == "acme"
    assert cd.component.provider.labels == [
        Label("city", "Walldorf"),
        Label("contact", {"mail": "ops@acme.org"}, version="v1"),
    ]
    assert cd.component.labels == [Label("team", "checkout", signing=True)]


def test_references_come_from_spec_references(cd: Descriptor) -> None:
    [ref] = cd.component.references
    assert (ref.name, ref.component_name, ref.version) == ("db", "acme.org/db", "14.2.0")
    assert ref.extra_identity == {"flavour": "small"}
    assert ref.digest is not None and ref.digest.value == "0123"
    assert cd.to_dict()["component"]["componentReferences"][0]["componentName"] == "acme.org/db"


def test_the_converted_descriptor_validates_as_v2(cd: Descriptor) -> None:
    validate(cd)
    provider = cd.to_dict()["component"]["provider"]
    assert provider.startswith('{"name":"acme","labels":[{"name":"city"')
    assert violations(cd.to_dict()) == []


def test_writing_the_v3alpha1_shape_gives_back_the_document(cd: Descriptor) -> None:
    assert to_v3alpha1_dict(cd) == V3_DOCUMENT


def test_model_violations_of_a_v3alpha1_descriptor_use_v2_paths(cd: Descriptor) -> None:
    cd.component.references.append(copy.deepcopy(cd.component.references[0]))
    with pytest.raises(ValidationError) as caught:
        validate(cd)
    assert [v.path for v in caught.value.violations] == ["component.componentReferences[1]"]


def test_the_legacy_api_version_spelling_is_accepted(doc: dict[str, Any]) -> None:
    doc["apiVersion"] = "ocm.gardener.cloud/v3alpha1"
    assert violations(doc) == []


@pytest.mark.parametrize(
    ("where", "value", "path", "fragment"),
    [
        (
            ("apiVersion",),
            "ocm.software/v3",
            "apiVersion",
            'must be one of "ocm.software/v3alpha1"',
        ),
        (("kind",), "Component", "kind", 'must be "ComponentVersion", not "Component"'),
        (("spec",), None, "spec", "must be an object, not null"),
        (("metadata", "owner"), "x", "metadata.owner", "unknown field (allowed: name, version"),
        (("metadata", "provider", "email"), "x", "metadata.provider.email", "unknown field"),
        (("metadata", "labels", 0, "comment"), "x", "metadata.labels[0].comment", "unknown field"),
        (("metadata", "creationTime"), None, "metadata.creationTime", "must be a string, not null"),
        (
            ("spec", "componentReferences"),
            [],
            "spec.componentReferences",
            "unknown field (allowed: sources, references, resources)",
        ),
        (("spec", "resources"), None, "spec.resources", "must be a list, not null"),
        (
            ("spec", "resources", 0, "labels"),
            None,
            "spec.resources[0].labels",
            "must be a list, not null",
        ),
        (
            ("spec", "references", 0, "digest", "extra"),
            "x",
            "spec.references[0].digest.extra",
            "unknown field",
        ),
        (
            ("spec", "references", 0, "componentName"),
            "db",
            "spec.references[0].componentName",
            "component name pattern",
        ),
        (
            ("signatures", 0, "signature", "issuer"),
            "CN=acme",
            "signatures[0].signature.issuer",
            "unknown field (allowed: algorithm, value, mediaType)",
        ),
        (
            ("nestedDigests",),
            [{"name": "acme.org/db", "version": "1.0.0"}],
            "nestedDigests[0].digest",
            "is required",
        ),
    ],
)
def test_each_v3alpha1_rule_reports_its_path(
    doc: dict[str, Any], where: tuple[str | int, ...], value: Any, path: str, fragment: str
) -> None:
    node: Any = doc
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    found = violations(doc)
    messages = [v.message for v in found if v.path == path]
    assert any(fragment in m for m in messages), [str(v) for v in found]


@pytest.mark.parametrize("key", ["metadata", "spec", "kind", "apiVersion"])
def test_required_v3alpha1_keys(doc: dict[str, Any], key: str) -> None:
    del doc[key]
    found = violations(doc)
    assert Violation(key, "is required") in found


def test_the_provider_is_required_in_metadata(doc: dict[str, Any]) -> None:
    del doc["metadata"]["provider"]
    assert violations(doc) == [Violation("metadata.provider", "is required")]
