"""The OCM-to-OCI mapping helpers, and reading historic storage variants built by hand."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest
import yaml

from pyocm.descriptor import Component, Descriptor, Provider
from pyocm.errors import OCMError
from pyocm.oci.manifest import Descriptor as OCIDescriptor
from pyocm.oci.manifest import Index
from pyocm.repository import mapping
from pyocm.repository.ctf import open_ctf

DESCRIPTOR_TAR = "sha256.7164be671f47d4f2b427363b3efd144c2705219e5046d23a28a181ce602cf152"


def test_descriptor_tar_is_byte_identical_to_go(vectors: Path) -> None:
    original = (vectors / "ctf/01/transport-archive/blobs" / DESCRIPTOR_TAR).read_bytes()
    with tarfile.open(fileobj=io.BytesIO(original)) as tar:
        member = tar.extractfile("component-descriptor.yaml")
        assert member is not None
        content = member.read()
    assert len(content) == 649
    assert mapping.descriptor_tar(content) == original


@pytest.mark.parametrize(
    ("version", "tag"),
    [("1.0.0", "1.0.0"), ("1.2.3+ci.42", "1.2.3.build-ci.42"), ("v1.0.0-rc.1", "v1.0.0-rc.1")],
)
def test_version_tag_mapping(version: str, tag: str) -> None:
    assert mapping.version_to_tag(version) == tag
    assert mapping.tag_to_version(tag) == version


def test_tag_to_version_reverses_only_the_last_build_marker() -> None:
    assert mapping.tag_to_version("1.0.0-x.build-y.build-z") == "1.0.0-x.build-y+z"


@pytest.mark.parametrize("version", ["", "1.0/0", ".1.0", "x" * 129])
def test_versions_no_tag_can_hold_are_refused(version: str) -> None:
    with pytest.raises(OCMError, match="cannot be stored as an OCI tag"):
        mapping.version_to_tag(version)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("acme.org/app:1.0.0", ("acme.org/app", "1.0.0")),
        ("component-descriptors/acme.org/app:1.0.0", ("acme.org/app", "1.0.0")),
        ("acme.org/app", None),
        ("acme.org/app:", None),
        ("a:b:c", None),
    ],
)
def test_component_version_annotation(value: str, expected: tuple[str, str] | None) -> None:
    assert mapping.parse_component_version_annotation(value) == expected


def test_descriptor_manifest_choice() -> None:
    plain = OCIDescriptor("application/vnd.oci.image.manifest.v1+json", "sha256:" + "1" * 64, 1)
    annotated = OCIDescriptor(
        "application/vnd.oci.image.manifest.v1+json",
        "sha256:" + "2" * 64,
        1,
        annotations={"software.ocm.componentversion": "a.b/c:1"},
    )
    marked = OCIDescriptor(
        "application/vnd.oci.image.manifest.v1+json",
        "sha256:" + "3" * 64,
        1,
        annotations={"software.ocm.descriptor": "true"},
    )
    assert mapping.choose_descriptor_manifest(Index([plain, annotated]), "x") is annotated
    assert mapping.choose_descriptor_manifest(Index([plain, annotated, marked]), "x") is marked
    assert mapping.choose_descriptor_manifest(Index([plain, plain]), "x") is plain
    with pytest.raises(OCMError, match="index without manifests"):
        mapping.choose_descriptor_manifest(Index([]), "x")


# A CTF assembled by hand, in the forms older tools wrote.

YAML = b"""meta:
  schemaVersion: v2
component:
  name: acme.org/legacy
  version: 1.0.0+build.7
  provider: acme
  repositoryContexts: []
  resources: []
  sources: []
  componentReferences: []
"""


class _HandMadeCTF:
    def __init__(self, root: Path):
        self.root = root
        (root / "blobs").mkdir(parents=True)
        self.entries: list[dict[str, str]] = []

    def blob(self, data: bytes) -> str:
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        (self.root / "blobs" / digest.replace(":", ".")).write_bytes(data)
        return digest

    def manifest(self, config_type: str, layer_type: str, layer: bytes, **extra: object) -> bytes:
        layer_digest = self.blob(layer)
        config = json.dumps(
            {
                "componentDescriptorLayer": {
                    "mediaType": layer_type,
                    "digest": layer_digest,
                    "size": len(layer),
                }
            }
        ).encode()
        body: dict[str, object] = {
            "schemaVersion": 2,
            "config": {"mediaType": config_type, "digest": self.blob(config), "size": len(config)},
            "layers": [{"mediaType": layer_type, "digest": layer_digest, "size": len(layer)}],
        }
        body.update(extra)
        return json.dumps(body).encode()

    def tag(self, repository: str, tag: str, digest: str) -> None:
        self.entries.append({"repository": repository, "tag": tag, "digest": digest})

    def save(self) -> None:
        index = {"schemaVersion": 1, "artifacts": self.entries}
        (self.root / "artifact-index.json").write_text(json.dumps(index))


@pytest.mark.parametrize(
    ("layer_type", "layer"),
    [
        ("application/vnd.gardener.cloud.cnudie.component-descriptor.v2+yaml+tar", "tar"),
        (
            "application/vnd.oci.gardener.cloud.cnudie.component-descriptor.config.v2+yaml+tar",
            "tar",
        ),
        ("application/vnd.gardener.cloud.cnudie.component-descriptor.v2+yaml", "yaml"),
        ("application/vnd.gardener.cloud.cnudie.component-descriptor.v2+json", "json"),
        ("application/vnd.ocm.software.component-descriptor.v2+yaml", "yaml"),
    ],
)
def test_legacy_gardener_version_without_annotation(
    tmp_path: Path, layer_type: str, layer: str
) -> None:
    content = {
        "tar": mapping.descriptor_tar(YAML),
        "yaml": YAML,
        "json": json.dumps(yaml.safe_load(YAML)).encode(),
    }[layer]
    ctf = _HandMadeCTF(tmp_path / "ctf")
    manifest = ctf.blob(
        ctf.manifest(
            "application/vnd.gardener.cloud.cnudie.component.config.v1+json", layer_type, content
        )
    )
    repository = "component-descriptors/acme.org/legacy"
    ctf.tag(repository, "1.0.0.build-build.7", manifest)
    ctf.save()
    with open_ctf(ctf.root) as repo:
        assert repo.list_component_versions("acme.org/legacy") == ["1.0.0+build.7"]
        cd = repo.get_component_version("acme.org/legacy", "1.0.0+build.7")
        assert (cd.component.name, cd.component.version) == ("acme.org/legacy", "1.0.0+build.7")


def test_listing_uses_annotations_and_skips_aliases_referrers_and_strangers(tmp_path: Path) -> None:
    ctf = _HandMadeCTF(tmp_path / "ctf")
    repository = "component-descriptors/acme.org/legacy"
    desc = mapping.descriptor_tar(YAML)
    config = "application/vnd.ocm.software.component.config.v1+json"
    layer_type = "application/vnd.ocm.software.component-descriptor.v2+yaml+tar"
    annotated = ctf.blob(
        ctf.manifest(
            config,
            layer_type,
            desc,
            annotations={"software.ocm.componentversion": "acme.org/legacy:1.0.0+build.7"},
        )
    )
    foreign = ctf.blob(
        ctf.manifest(
            config,
            layer_type,
            desc,
            annotations={"software.ocm.componentversion": "acme.org/other:9.9.9"},
        )
    )
    image = ctf.blob(ctf.manifest("application/vnd.oci.image.config.v1+json", "x/y", b"layer"))
    referrers = ctf.blob(json.dumps({"schemaVersion": 2, "manifests": []}).encode())
    ctf.tag(repository, "1.0.0.build-build.7", annotated)
    ctf.tag(repository, "latest", annotated)
    ctf.tag(repository, "9.9.9", foreign)
    ctf.tag(repository, "image", image)
    ctf.tag(repository, "sha256-" + "a" * 64, referrers)
    ctf.save()
    with open_ctf(ctf.root) as repo:
        assert repo.list_component_versions("acme.org/legacy") == ["1.0.0+build.7"]


def test_untyped_index_entry_pointing_at_an_index_is_sniffed(tmp_path: Path) -> None:
    ctf = _HandMadeCTF(tmp_path / "ctf")
    config = "application/vnd.ocm.software.component.config.v1+json"
    layer_type = "application/vnd.ocm.software.component-descriptor.v2+yaml+tar"
    manifest_raw = ctf.manifest(config, layer_type, mapping.descriptor_tar(YAML))
    manifest = ctf.blob(manifest_raw)
    index = ctf.blob(
        json.dumps(
            {
                "schemaVersion": 2,
                "manifests": [
                    {
                        "mediaType": "application/vnd.oci.image.manifest.v1+json",
                        "digest": manifest,
                        "size": len(manifest_raw),
                    }
                ],
            }
        ).encode()
    )
    ctf.tag("component-descriptors/acme.org/legacy", "1.0.0.build-build.7", index)
    ctf.save()
    with open_ctf(ctf.root) as repo:
        cd = repo.get_component_version("acme.org/legacy", "1.0.0+build.7")
        assert cd.component.provider.name == "acme"


def test_descriptor_encodings_round_trip() -> None:
    cd = Descriptor(Component("acme.org/app", "1.0.0", Provider("acme")))
    for media_type in (
        "application/vnd.ocm.software.component-descriptor.v2+json",
        "application/vnd.ocm.software.component-descriptor.v2+yaml",
        "application/vnd.ocm.software.component-descriptor.v2+yaml+tar",
    ):
        raw = mapping.encode_descriptor(cd, media_type)
        assert mapping.decode_descriptor(raw, media_type, "test") == cd
    with pytest.raises(OCMError, match="unsupported descriptor media type 'text/plain'"):
        mapping.decode_descriptor(b"{}", "text/plain", "test")
