"""The Go v2 monorepo's v4alpha1 tests and its conformance vector (spec-core §6.1 A1, A2).

Sources: open-component-model/open-component-model
``bindings/go/descriptor/normalisation/json/v4alpha1/normalisation_test.go`` and
``.../v4alpha1/testdata/conformance/legacy/jsonNormalisation/v3/01`` (copied to
``tests/vectors``).  The Go tests of the rule functions work on raw maps; here the same cases
are built as descriptors with the pyocm model.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pyocm.descriptor import (
    AccessSpec,
    Component,
    Descriptor,
    Digest,
    Label,
    Provider,
    Resource,
    load,
    loads,
)
from pyocm.errors import ValidationError
from pyocm.normalise import JSON_V3, JSON_V4ALPHA1, normalise

CONFORMANCE = Path("normalisation/v4alpha1-conformance/legacy/jsonNormalisation/v3/01")
CONFORMANCE_SHA256 = "c97c44a4dca9fc85d4e634a617b662f72935cc202d52a46aa9367c937458b35b"


@pytest.mark.parametrize("algorithm", [JSON_V3, JSON_V4ALPHA1])
def test_conformance_vector_gives_expected_json_exactly(vectors: Path, algorithm: str) -> None:
    folder = vectors / CONFORMANCE
    expected = (folder / "expected.json").read_bytes()
    out = normalise(load(folder / "input.yaml"), algorithm)
    assert out == expected
    assert hashlib.sha256(out).hexdigest() == CONFORMANCE_SHA256


# normalisation_test.go TestNormalization: the legacy CD1 with ``componentReferences: null``
NG_INPUT = """
component:
  componentReferences: null
  name: github.com/vasu1124/introspect
  provider: internal
  repositoryContexts:
  - baseUrl: ghcr.io/vasu1124/ocm
    componentNameMapping: urlPath
    type: ociRegistry
  resources:
  - access:
      localReference: sha256:7f0168496f273c1e2095703a050128114d339c580b0906cd124a93b66ae471e2
      mediaType: application/vnd.docker.distribution.manifest.v2+tar+gzip
      referenceName: vasu1124/introspect:1.0.0
      type: localBlob
    digest:
      hashAlgorithm: SHA-256
      normalisationAlgorithm: ociArtifactDigest/v1
      value: 6a1c7637a528ab5957ab60edf73b5298a0a03de02a96be0313ee89b22544840c
    labels:
    - name: label1
      value: foo
    - name: label2
      value: bar
      signing: true
      mergeAlgorithm: test
    name: introspect-image
    relation: local
    type: ociImage
    version: 1.0.0
  - access:
      localReference: sha256:d1187ac17793b2f5fa26175c21cabb6ce388871ae989e16ff9a38bd6b32507bf
      mediaType: ""
      type: localBlob
    digest:
      hashAlgorithm: SHA-256
      normalisationAlgorithm: genericBlobDigest/v1
      value: d1187ac17793b2f5fa26175c21cabb6ce388871ae989e16ff9a38bd6b32507bf
    name: introspect-blueprint
    relation: local
    type: landscaper.gardener.cloud/blueprint
    version: 1.0.0
  - access:
      localReference: sha256:4186663939459149a21c0bb1cd7b8ff86e0021b29ca45069446d046f808e6bfe
      mediaType: application/vnd.oci.image.manifest.v1+tar+gzip
      referenceName: vasu1124/helm/introspect-helm:0.1.0
      type: localBlob
    digest:
      hashAlgorithm: SHA-256
      normalisationAlgorithm: ociArtifactDigest/v1
      value: 6229be2be7e328f74ba595d93b814b590b1aa262a1b85e49cc1492795a9e564c
    name: introspect-helm
    relation: external
    type: helm
    version: 0.1.0
  sources:
  - access:
      repository: github.com/vasu1124/introspect
      type: git
    name: introspect
    type: git
    version: 1.0.0
  version: 1.0.0
meta:
  schemaVersion: v2
"""

NG_EXPECTED = (
    '{"component":{"componentReferences":[],"name":"github.com/vasu1124/introspect",'
    '"provider":{"name":"internal"},"resources":[{"digest":{"hashAlgorithm":"SHA-256",'
    '"normalisationAlgorithm":"ociArtifactDigest/v1",'
    '"value":"6a1c7637a528ab5957ab60edf73b5298a0a03de02a96be0313ee89b22544840c"},'
    '"labels":[{"name":"label2","signing":true,"value":"bar"}],"name":"introspect-image",'
    '"relation":"local","type":"ociImage","version":"1.0.0"},{"digest":{"hashAlgorithm":"SHA-256",'
    '"normalisationAlgorithm":"genericBlobDigest/v1",'
    '"value":"d1187ac17793b2f5fa26175c21cabb6ce388871ae989e16ff9a38bd6b32507bf"},'
    '"name":"introspect-blueprint","relation":"local","type":"landscaper.gardener.cloud/blueprint",'
    '"version":"1.0.0"},{"digest":{"hashAlgorithm":"SHA-256",'
    '"normalisationAlgorithm":"ociArtifactDigest/v1",'
    '"value":"6229be2be7e328f74ba595d93b814b590b1aa262a1b85e49cc1492795a9e564c"},'
    '"name":"introspect-helm","relation":"external","type":"helm","version":"0.1.0"}],'
    '"sources":[{"name":"introspect","type":"git","version":"1.0.0"}],"version":"1.0.0"}}'
)


def test_normalization_gives_the_string_of_the_go_test() -> None:
    assert normalise(loads(NG_INPUT), JSON_V4ALPHA1).decode() == NG_EXPECTED


BASE = '{"component":{"componentReferences":[],"name":"acme.org/app","provider":{"name":"acme"},'


def _with_labels(*labels: Label) -> Descriptor:
    return Descriptor(Component("acme.org/app", "1.0.0", Provider("acme"), labels=list(labels)))


@pytest.mark.parametrize(
    ("label", "kept"),
    [
        (Label("l", "v", signing=True), True),
        (Label("l", "v", signing=False), False),
        (Label("l", "v"), False),
    ],
)
def test_ignore_labels_without_signature(label: Label, kept: bool) -> None:
    # TestIgnoreLabelsWithoutSignature: signing true keeps a label; false or absent drops it.
    labels = '"labels":[{"name":"l","signing":true,"value":"v"}],' if kept else ""
    out = normalise(_with_labels(label), JSON_V4ALPHA1).decode()
    assert out == BASE.replace('"name":"acme.org/app"', labels + '"name":"acme.org/app"') + (
        '"resources":[],"sources":[],"version":"1.0.0"}}'
    )


@pytest.mark.parametrize("signing", ["true", "false"])
def test_string_signing_flags_are_rejected_when_read(signing: str) -> None:
    # The Go rule accepts the string "true", but both Go readers reject a non-boolean
    # ``signing`` before a rule ever sees it; so does pyocm's reader.
    text = NG_INPUT.replace("      signing: true\n", f'      signing: "{signing}"\n')
    with pytest.raises(ValidationError, match="signing"):
        loads(text)


def _with_resource(access: AccessSpec | None) -> Descriptor:
    cd = _with_labels()
    cd.component.resources.append(
        Resource("r", "1.0.0", type="t", access=access, digest=Digest("SHA-256", "x", "ab"))
    )
    return cd


RESOURCE = '{"name":"r","relation":"local","type":"t","version":"1.0.0"}'
RESOURCE_WITH_DIGEST = (
    '{"digest":{"hashAlgorithm":"SHA-256","normalisationAlgorithm":"x","value":"ab"},'
    '"name":"r","relation":"local","type":"t","version":"1.0.0"}'
)


@pytest.mark.parametrize(
    ("access_type", "resource"),
    [
        ("none", RESOURCE),
        ("None", RESOURCE),
        ("", RESOURCE_WITH_DIGEST),  # "missing access type"
        ("none/v1", RESOURCE_WITH_DIGEST),
        ("NONE", RESOURCE_WITH_DIGEST),
        ("localBlob", RESOURCE_WITH_DIGEST),
    ],
)
def test_map_resources_with_none_access(access_type: str, resource: str) -> None:
    # TestMapResourcesWithNoneAccess: exactly "none" and "None" remove the digest.
    out = normalise(_with_resource(AccessSpec(access_type)), JSON_V4ALPHA1).decode()
    assert out == BASE + f'"resources":[{resource}],"sources":[],"version":"1.0.0"}}}}'


def test_missing_access_fails_in_the_conversion_before_the_rules() -> None:
    # TestMapResourcesWithNoneAccess "missing access" leaves the map unchanged, but the Go
    # pipeline never gets there: converting a resource with a nil access to v2 is an error.
    with pytest.raises(ValidationError, match=r"resources\[0\]\.access"):
        normalise(_with_resource(None), JSON_V4ALPHA1)
