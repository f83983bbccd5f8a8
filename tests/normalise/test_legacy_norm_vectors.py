"""Rows A2–A5 and B1–B3 of spec-core §6.1: the legacy library's normalisation tests.

Inputs and expected strings are taken from open-component-model/ocm
``api/ocm/compdesc/norm_test.go``; where that test edits the decoded descriptor in Go, the
same edit is made here with the pyocm model.
"""

from __future__ import annotations

import hashlib

import pytest

from pyocm.descriptor import AccessSpec, Descriptor, Digest, Label, Resource, loads
from pyocm.descriptor.v3alpha1 import SCHEMA_V3ALPHA1
from pyocm.normalise import JSON_V1, JSON_V2, JSON_V3, JSON_V4ALPHA1, normalise

# norm_test.go: CD1
CD1 = """
  component:
    componentReferences: []
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

# norm_test.go: CD2 (other repository contexts and accesses; must normalise like CD1 under v1)
CD2 = """
  component:
    componentReferences: []
    name: github.com/vasu1124/introspect
    provider: internal
    repositoryContexts:
    - baseUrl: ghcr.io/vasu1124/ocm
      componentNameMapping: urlPath
      type: ociRegistry
    - baseUrl: ghcr.io
      componentNameMapping: urlPath
      subPath: mandelsoft/cnudie
      type: OCIRegistry
    resources:
    - access:
        globalAccess:
          digest: sha256:7f0168496f273c1e2095703a050128114d339c580b0906cd124a93b66ae471e2
          mediaType: application/vnd.docker.distribution.manifest.v2+tar+gzip
          ref: ghcr.io/mandelsoft/cnudie/component-descriptors/github.com/vasu1124/introspect
          size: 29047129
          type: ociBlob
        localReference: sha256:7f0168496f273c1e2095703a050128114d339c580b0906cd124a93b66ae471e2
        mediaType: application/vnd.docker.distribution.manifest.v2+tar+gzip
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
      name: introspect-image
      relation: local
      type: ociImage
      version: 1.0.0
    - access:
        globalAccess:
          digest: sha256:d1187ac17793b2f5fa26175c21cabb6ce388871ae989e16ff9a38bd6b32507bf
          ref: ghcr.io/mandelsoft/cnudie/component-descriptors/github.com/vasu1124/introspect
          size: 632
          type: ociBlob
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
        imageReference: ghcr.io/mandelsoft/cnudie/vasu1124/helm/introspect-helm:0.1.0
        type: ociRegistry
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

# norm_test.go "normalizes v1"
CD1_V1 = (
    '[{"component":[{"componentReferences":[]},{"name":"github.com/vasu1124/introspect"},'
    '{"provider":"internal"},{"resources":[[{"digest":[{"hashAlgorithm":"SHA-256"},'
    '{"normalisationAlgorithm":"ociArtifactDigest/v1"},'
    '{"value":"6a1c7637a528ab5957ab60edf73b5298a0a03de02a96be0313ee89b22544840c"}]},'
    '{"extraIdentity":null},{"labels":[[{"name":"label2"},{"signing":true},{"value":"bar"}]]},'
    '{"name":"introspect-image"},{"relation":"local"},{"type":"ociImage"},{"version":"1.0.0"}],'
    '[{"digest":[{"hashAlgorithm":"SHA-256"},{"normalisationAlgorithm":"genericBlobDigest/v1"},'
    '{"value":"d1187ac17793b2f5fa26175c21cabb6ce388871ae989e16ff9a38bd6b32507bf"}]},'
    '{"extraIdentity":null},{"name":"introspect-blueprint"},{"relation":"local"},'
    '{"type":"landscaper.gardener.cloud/blueprint"},{"version":"1.0.0"}],'
    '[{"digest":[{"hashAlgorithm":"SHA-256"},{"normalisationAlgorithm":"ociArtifactDigest/v1"},'
    '{"value":"6229be2be7e328f74ba595d93b814b590b1aa262a1b85e49cc1492795a9e564c"}]},'
    '{"extraIdentity":null},{"name":"introspect-helm"},{"relation":"external"},{"type":"helm"},'
    '{"version":"0.1.0"}]]},{"version":"1.0.0"}]},{"meta":[{"schemaVersion":"v2"}]}]'
)

# norm_test.go "normalizes v1 with none access": CD1_V1 plus one more resource entry
CD1_V1_NONE = CD1_V1.replace(
    '{"version":"0.1.0"}]]}',
    '{"version":"0.1.0"}],[{"extraIdentity":null},{"name":"none"},{"relation":"local"},'
    '{"type":"plainText"},{"version":"v1"}]]}',
)

# norm_test.go "normalizes v2" / "normalises v3" (A2)
CD1_JCS = (
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

# norm_test.go "normalizes v2 with none access" (A3)
CD1_JCS_NONE = CD1_JCS.replace(
    '"version":"0.1.0"}]',
    '"version":"0.1.0"},{"name":"none","relation":"local","type":"plainText","version":"v1"}]',
)

# spec-core §6.1: SHA-256 of CD1_JCS and of CD1_V1
A2_SHA256 = "2f8f029e45f0e158b7e9a5fa6523be0ae9ab9eadc6f3c7f2e37ebb6d8e79bb01"
B1_SHA256 = "60656e9a2301f21f6f2b6d61e68541f4b3fc0d352ceed26245f948594452622c"


def with_none_access_resource(cd: Descriptor) -> Descriptor:
    """The Go test's edit: a resource with access type none and a digest that must vanish."""
    cd.component.resources.append(
        Resource(
            "none",
            "v1",
            type="plainText",
            relation="local",
            access=AccessSpec("none"),
            digest=Digest("x", "y", "z"),
        )
    )
    return cd


def with_complex_provider(cd: Descriptor) -> Descriptor:
    """The Go test's edit: no elements, component and provider labels, one of each signing."""
    c = cd.component
    c.references, c.resources, c.sources = [], [], []
    c.labels = [Label("volatile", "comp-value1"), Label("non-volatile", "comp-value2", True)]
    c.provider.labels = [
        Label("volatile", "prov-value1"),
        Label("non-volatile", "prov-value2", True),
    ]
    return cd


def test_v1_cd1_gives_the_entry_list_of_the_go_test() -> None:
    out = normalise(loads(CD1), JSON_V1)
    assert out.decode() == CD1_V1
    assert hashlib.sha256(out).hexdigest() == B1_SHA256


def test_v1_ignores_repository_contexts_access_and_unsigned_label_fields() -> None:
    assert normalise(loads(CD2), JSON_V1) == normalise(loads(CD1), JSON_V1)


@pytest.mark.parametrize("algorithm", [JSON_V2, JSON_V3, JSON_V4ALPHA1])
def test_jcs_family_gives_the_string_of_the_go_test(algorithm: str) -> None:
    out = normalise(loads(CD1), algorithm)
    assert out.decode() == CD1_JCS
    assert hashlib.sha256(out).hexdigest() == A2_SHA256


def test_v1_none_access_drops_only_the_digest() -> None:
    out = normalise(with_none_access_resource(loads(CD1)), JSON_V1)
    assert out.decode() == CD1_V1_NONE


@pytest.mark.parametrize("algorithm", [JSON_V2, JSON_V3, JSON_V4ALPHA1])
def test_jcs_none_access_drops_only_the_digest(algorithm: str) -> None:
    out = normalise(with_none_access_resource(loads(CD1)), algorithm)
    assert out.decode() == CD1_JCS_NONE


def test_v2_complex_provider_keeps_signing_component_and_provider_labels() -> None:
    out = normalise(with_complex_provider(loads(CD1)), JSON_V2)
    assert out.decode() == (
        '{"component":{"componentReferences":[],"labels":[{"name":"non-volatile","signing":true,'
        '"value":"comp-value2"}],"name":"github.com/vasu1124/introspect","provider":{"labels":'
        '[{"name":"non-volatile","signing":true,"value":"prov-value2"}],"name":"internal"},'
        '"resources":[],"sources":[],"version":"1.0.0"}}'
    )


def test_v1_complex_provider_for_schema_v2_is_an_object_with_filtered_labels() -> None:
    out = normalise(with_complex_provider(loads(CD1)), JSON_V1)
    assert out.decode() == (
        '[{"component":[{"componentReferences":[]},{"labels":[[{"name":"non-volatile"},'
        '{"signing":true},{"value":"comp-value2"}]]},{"name":"github.com/vasu1124/introspect"},'
        '{"provider":[{"labels":[[{"name":"non-volatile"},{"signing":true},'
        '{"value":"prov-value2"}]]},{"name":"internal"}]},{"resources":[]},{"version":"1.0.0"}]},'
        '{"meta":[{"schemaVersion":"v2"}]}]'
    )


def test_v1_complex_provider_for_schema_v3alpha1_keeps_all_provider_labels() -> None:
    cd = with_complex_provider(loads(CD1))
    cd.schema_version = SCHEMA_V3ALPHA1
    out = normalise(cd, JSON_V1)
    assert out.decode() == (
        '[{"apiVersion":"ocm.software/v3alpha1"},{"kind":"ComponentVersion"},{"metadata":'
        '[{"labels":[[{"name":"non-volatile"},{"signing":true},{"value":"comp-value2"}]]},'
        '{"name":"github.com/vasu1124/introspect"},{"provider":[{"labels":[[{"name":"volatile"},'
        '{"value":"prov-value1"}],[{"name":"non-volatile"},{"signing":true},'
        '{"value":"prov-value2"}]]},{"name":"internal"}]},{"version":"1.0.0"}]},{"spec":[]}]'
    )


# norm_test.go "normalization and legacy extra identity defaulting" (A5)
DUPLICATES = """
  component:
    version: 1.0.0
    componentReferences: []
    name: ocm.software/duplicate-resource/test
    provider: internal
    repositoryContexts: []
    resources:
    - name: image
      relation: local
      type: ociImage
      version: 1.0.0
      access:
        imageReference: ghcr.io/bla:1.0.0
        type: ociRegistry
    - name: image
      relation: local
      type: ociImage
      version: 2.0.0
      access:
        imageReference: ghcr.io/bla:2.0.0
        type: ociRegistry
    sources: []
  meta:
    schemaVersion: v2
"""


def test_v1_defaults_version_into_the_first_clashing_extra_identity() -> None:
    out = normalise(loads(DUPLICATES), JSON_V1)
    assert out.decode() == (
        '[{"component":[{"componentReferences":[]},{"name":"ocm.software/duplicate-resource/test"},'
        '{"provider":"internal"},{"resources":[[{"extraIdentity":[{"version":"1.0.0"}]},'
        '{"name":"image"},{"relation":"local"},{"type":"ociImage"},{"version":"1.0.0"}],'
        '[{"extraIdentity":null},{"name":"image"},{"relation":"local"},{"type":"ociImage"},'
        '{"version":"2.0.0"}]]},{"version":"1.0.0"}]},{"meta":[{"schemaVersion":"v2"}]}]'
    )


def test_v2_defaults_version_into_the_first_clashing_extra_identity() -> None:
    out = normalise(loads(DUPLICATES), JSON_V2)
    assert out.decode() == (
        '{"component":{"componentReferences":[],"name":"ocm.software/duplicate-resource/test",'
        '"provider":{"name":"internal"},"resources":[{"extraIdentity":{"version":"1.0.0"},'
        '"name":"image","relation":"local","type":"ociImage","version":"1.0.0"},{"name":"image",'
        '"relation":"local","type":"ociImage","version":"2.0.0"}],"sources":[],"version":"1.0.0"}}'
    )


def test_v3_does_not_default_extra_identities() -> None:
    out = normalise(loads(DUPLICATES), JSON_V3)
    assert out.decode() == (
        '{"component":{"componentReferences":[],"name":"ocm.software/duplicate-resource/test",'
        '"provider":{"name":"internal"},"resources":[{"name":"image","relation":"local",'
        '"type":"ociImage","version":"1.0.0"},{"name":"image","relation":"local",'
        '"type":"ociImage","version":"2.0.0"}],"sources":[],"version":"1.0.0"}}'
    )


@pytest.mark.parametrize("algorithm", [JSON_V1, JSON_V2])
def test_defaulting_leaves_the_callers_descriptor_unchanged(algorithm: str) -> None:
    cd = loads(DUPLICATES)
    before = cd.to_dict()
    normalise(cd, algorithm)
    assert cd.to_dict() == before
    assert [r.extra_identity for r in cd.component.resources] == [{}, {}]
