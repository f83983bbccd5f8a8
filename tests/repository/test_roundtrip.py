"""Writing component versions into CTFs (directory, tar, tgz) and reading them back."""

from __future__ import annotations

import gzip
import json
import tarfile
from pathlib import Path

import pytest

from pyocm.blob import BytesBlob
from pyocm.descriptor import AccessSpec, Component, Descriptor, Digest, Provider, Resource, Source
from pyocm.errors import DigestMismatch, NotFound, OCMError
from pyocm.repository import open_repository
from pyocm.repository.ctf import CTFRepository, open_ctf

COMPONENT = "acme.org/app"
REPOSITORY = f"component-descriptors/{COMPONENT}"
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
README = b"hello, world\n"
README_DIGEST = "sha256:853ff93762a06ddbf722c4ebe9ddd66d8f63ddaea97f521c3ecc20da7c976020"
SOURCE_TAR = b"source tree"


def _build(repo: CTFRepository, version: str = "1.0.0") -> Descriptor:
    readme = repo.add_local_resource(
        COMPONENT,
        version,
        Resource(name="readme", version="1.0.0", type="plainText", extra_identity={"os": "linux"}),
        BytesBlob(README, "text/plain"),
    )
    source = repo.add_local_source(
        COMPONENT,
        version,
        Source(name="src", version="1.0.0", type="filesystem"),
        BytesBlob(SOURCE_TAR, "application/x-tar"),
    )
    image = Resource(
        name="image",
        version="1.0.0",
        type="ociImage",
        relation="external",
        access=AccessSpec("ociArtifact", {"imageReference": "ghcr.io/acme/image:1.0.0"}),
    )
    cd = Descriptor(
        Component(
            COMPONENT,
            version,
            Provider("acme"),
            creation_time="2026-01-02T03:04:05Z",
            resources=[readme, image],
            sources=[source],
        )
    )
    repo.add_component_version(cd)
    return cd


def test_local_resource_access_and_digest_are_as_go_v2_records_them(tmp_path: Path) -> None:
    with open_repository(str(tmp_path / "ctf"), mode="create") as repo:
        resource = repo.add_local_resource(
            COMPONENT,
            "1.0.0",
            Resource(name="readme", version="1.0.0", type="plainText"),
            BytesBlob(README, "text/plain"),
        )
    assert resource.access is not None
    assert resource.access.to_dict() == {
        "type": "LocalBlob/v1",
        "localReference": README_DIGEST,
        "mediaType": "text/plain",
    }
    assert resource.digest == Digest(
        "SHA-256", "genericBlobDigest/v1", README_DIGEST.removeprefix("sha256:")
    )


def test_existing_local_blob_type_and_reference_name_are_kept(tmp_path: Path) -> None:
    with open_repository(str(tmp_path / "ctf"), mode="create") as repo:
        resource = repo.add_local_resource(
            COMPONENT,
            "1.0.0",
            Resource(
                name="readme",
                version="1.0.0",
                type="plainText",
                access=AccessSpec(
                    "localBlob",
                    {"localReference": "x", "mediaType": "text/markdown", "referenceName": "r:1"},
                ),
            ),
            BytesBlob(README, "text/plain"),
        )
    assert resource.access is not None
    assert resource.access.to_dict() == {
        "type": "localBlob",
        "localReference": README_DIGEST,
        "mediaType": "text/markdown",
        "referenceName": "r:1",
    }


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("ctf", "directory"), ("ctf.tar", "tar"), ("ctf.tgz", "tgz"), ("other", "tgz")],
)
def test_round_trip_in_every_format(tmp_path: Path, name: str, fmt: str) -> None:
    path = tmp_path / name
    with open_ctf(path, mode="create", archive_format=fmt) as repo:  # type: ignore[arg-type]
        written = _build(repo)

    if fmt == "directory":
        assert path.is_dir()
    else:
        assert path.is_file()
        assert (path.read_bytes()[:2] == b"\x1f\x8b") == (fmt == "tgz")

    with open_repository(f"ctf::{path}") as repo:
        assert repo.list_components() == [COMPONENT]
        assert repo.list_component_versions(COMPONENT) == ["1.0.0"]
        read = repo.get_component_version(COMPONENT, "1.0.0")
        assert read == written
        assert read.to_dict() == written.to_dict()
        readme, image = read.component.resources
        assert readme.access is not None
        with repo.get_local_blob(COMPONENT, "1.0.0", readme.access).open() as stream:
            assert stream.read() == README
        [source] = read.component.sources
        assert source.access is not None
        blob = repo.get_local_blob(COMPONENT, "1.0.0", source.access)
        assert blob.media_type == "application/x-tar"
        with blob.open() as stream:
            assert stream.read() == SOURCE_TAR
        assert image.access == AccessSpec(
            "ociArtifact", {"imageReference": "ghcr.io/acme/image:1.0.0"}
        )


def test_manifest_config_and_annotations_are_those_go_v2_writes(tmp_path: Path) -> None:
    with open_ctf(tmp_path / "ctf", mode="create", creator="test creator") as repo:
        _build(repo)
        [entry] = repo.artifacts()
        assert (entry.repository, entry.tag, entry.media_type) == (REPOSITORY, "1.0.0", MANIFEST)
        manifest = json.loads(repo.blobs.read_bytes(entry.digest, 1 << 20))
        config_raw = repo.blobs.read_bytes(manifest["config"]["digest"], 1 << 20)
        layer_raw = repo.blobs.read_bytes(manifest["layers"][0]["digest"], 1 << 20)

    # key order as Go's json.Marshal of ocispec.Manifest
    assert list(manifest) == [
        "schemaVersion",
        "mediaType",
        "artifactType",
        "config",
        "layers",
        "annotations",
    ]
    assert manifest["schemaVersion"] == 2
    assert manifest["mediaType"] == MANIFEST
    assert manifest["artifactType"] == "application/vnd.ocm.software.component-descriptor.v2"
    assert (
        manifest["config"]["mediaType"] == "application/vnd.ocm.software.component.config.v1+json"
    )
    descriptor_layer = manifest["layers"][0]
    assert descriptor_layer["mediaType"] == (
        "application/vnd.ocm.software.component-descriptor.v2+json"
    )
    assert config_raw == (
        b'{"componentDescriptorLayer":{"mediaType":"application/vnd.ocm.software.component-'
        b'descriptor.v2+json","digest":"'
        + descriptor_layer["digest"].encode()
        + b'","size":'
        + str(descriptor_layer["size"]).encode()
        + b"}}"
    )
    # the descriptor layer is compact JSON with sorted keys
    assert layer_raw.startswith(b'{"component":{"componentReferences":[],"creationTime":')
    assert (
        layer_raw
        == json.dumps(json.loads(layer_raw), sort_keys=True, separators=(",", ":")).encode()
    )

    # texts from bindings/go/oci/store_descriptor.go
    assert manifest["annotations"] == {
        "software.ocm.componentversion": "acme.org/app:1.0.0",
        "software.ocm.creator": "test creator",
        "org.opencontainers.image.title": (
            "OCM Component Descriptor OCI Artifact Manifest for acme.org/app in version 1.0.0"
        ),
        "org.opencontainers.image.description": (
            "This is an OCM OCI Artifact Manifest that contains the component descriptor for "
            "the component acme.org/app.\nIt is used to store the component descriptor in an OCI "
            "registry and can be referrenced by the official OCM Binding Library."
        ),
        "org.opencontainers.image.authors": "test creator",
        "org.opencontainers.image.url": "https://ocm.software",
        "org.opencontainers.image.documentation": "https://ocm.software",
        "org.opencontainers.image.source": (
            "https://github.com/open-component-model/open-component-model"
        ),
        "org.opencontainers.image.version": "1.0.0",
    }
    assert list(manifest["annotations"]) == sorted(manifest["annotations"])

    # local blobs: resources first, then sources, each annotated with its full identity
    readme_layer, source_layer = manifest["layers"][1:]
    assert readme_layer == {
        "mediaType": "text/plain",
        "digest": README_DIGEST,
        "size": len(README),
        "annotations": {
            "software.ocm.artifact": (
                '[{"identity":{"name":"readme","os":"linux","version":"1.0.0"},"kind":"resource"}]'
            )
        },
        "platform": {"architecture": "", "os": "linux"},
    }
    assert source_layer["annotations"] == {
        "software.ocm.artifact": '[{"identity":{"name":"src","version":"1.0.0"},"kind":"source"}]'
    }


def test_directory_ctf_files(tmp_path: Path) -> None:
    path = tmp_path / "ctf"
    with open_ctf(path, mode="create") as repo:
        _build(repo)
    index = (path / "artifact-index.json").read_bytes()
    assert index.startswith(b'{"schemaVersion":1,"artifacts":[{"repository":"component-')
    assert not index.endswith(b"\n")
    names = sorted(p.name for p in (path / "blobs").iterdir())
    assert all(n.startswith("sha256.") and len(n) == 71 for n in names)
    assert len(names) == 5  # readme, source, descriptor, config, manifest
    assert all((path / "blobs" / n).stat().st_mode & 0o777 == 0o444 for n in names)


@pytest.mark.parametrize("fmt", ["tar", "tgz"])
def test_archive_layout(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"ctf.{fmt}"
    with open_ctf(path, mode="create") as repo:
        _build(repo)
    data = path.read_bytes()
    if fmt == "tgz":
        data = gzip.decompress(data)
    with tarfile.open(fileobj=__import__("io").BytesIO(data)) as tar:
        members = tar.getmembers()
    names = [m.name for m in members]
    assert names[0] == "artifact-index.json"
    assert names[1:] == sorted(names[1:])
    assert all(n.startswith("blobs/sha256.") for n in names[1:])
    assert len(names) == 6
    assert all(m.isreg() for m in members)
    assert {(m.mode, m.mtime, m.uid, m.gid, m.uname, m.gname) for m in members} == {
        (0o644, 1640995200, 0, 0, "", "")
    }


def test_build_metadata_is_stored_as_build_tag(tmp_path: Path) -> None:
    with open_ctf(tmp_path / "ctf", mode="create") as repo:
        _build(repo, "1.2.3+ci.42")
        assert [e.tag for e in repo.artifacts()] == ["1.2.3.build-ci.42"]
        assert repo.list_component_versions(COMPONENT) == ["1.2.3+ci.42"]
        assert repo.get_component_version(COMPONENT, "1.2.3+ci.42").component.version == (
            "1.2.3+ci.42"
        )


def test_existing_version_needs_replace(tmp_path: Path) -> None:
    with open_ctf(tmp_path / "ctf", mode="create") as repo:
        first = _build(repo)
        first_digest = repo.artifacts()[0].digest
        with pytest.raises(OCMError, match=r"acme\.org/app:1\.0\.0 already exists"):
            repo.add_component_version(first)
        changed = Descriptor(
            Component(COMPONENT, "1.0.0", Provider("acme"), resources=first.component.resources)
        )
        repo.add_component_version(changed, replace=True)
        entries = [(e.tag, e.digest) for e in repo.artifacts()]
        assert entries[0] == ("", first_digest)
        assert entries[1][0] == "1.0.0"
        assert repo.get_component_version(COMPONENT, "1.0.0") == changed


def test_several_versions_and_components(tmp_path: Path) -> None:
    with open_ctf(tmp_path / "ctf", mode="create") as repo:
        for version in ("1.0.0", "1.1.0", "2.0.0-rc.1"):
            _build(repo, version)
        repo.add_component_version(Descriptor(Component("acme.org/other", "0.1.0", Provider("a"))))
    with open_repository(str(tmp_path / "ctf")) as repo:
        assert repo.list_components() == ["acme.org/app", "acme.org/other"]
        assert repo.list_component_versions(COMPONENT) == ["1.0.0", "1.1.0", "2.0.0-rc.1"]
        assert repo.has_component_version("acme.org/other", "0.1.0")
        assert not repo.has_component_version("acme.org/other", "0.2.0")


def test_yaml_tar_descriptor_layer_on_request(tmp_path: Path) -> None:
    media_type = "application/vnd.ocm.software.component-descriptor.v2+yaml+tar"
    with open_ctf(tmp_path / "ctf", mode="create", descriptor_media_type=media_type) as repo:
        written = _build(repo)
        manifest = json.loads(repo.blobs.read_bytes(repo.artifacts()[0].digest, 1 << 20))
        assert manifest["layers"][0]["mediaType"] == media_type
        assert repo.get_component_version(COMPONENT, "1.0.0") == written


def test_archive_opened_for_writing_gets_new_versions(tmp_path: Path) -> None:
    path = tmp_path / "ctf.tgz"
    with open_ctf(path, mode="create") as repo:
        _build(repo, "1.0.0")
    with open_ctf(path, mode="rw") as repo:
        _build(repo, "2.0.0")
    with open_ctf(path) as repo:
        assert repo.list_component_versions(COMPONENT) == ["1.0.0", "2.0.0"]
    assert not list(tmp_path.glob(".ctf.tgz.*")), "temporary archive left behind"


def test_read_only_archive_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "ctf.tar"
    with open_ctf(path, mode="create") as repo:
        _build(repo)
    before = path.stat()
    with open_ctf(path) as repo:
        work = repo.root
        with pytest.raises(OCMError, match="open read-only"):
            _build(repo, "2.0.0")
    after = path.stat()
    assert (after.st_mtime_ns, after.st_ino) == (before.st_mtime_ns, before.st_ino)
    assert not work.exists(), "work directory of the archive not removed"


def test_closed_repository_refuses_use(tmp_path: Path) -> None:
    repo = open_ctf(tmp_path / "ctf", mode="create")
    repo.close()
    with pytest.raises(OCMError, match="is closed"):
        repo.list_components()


def test_missing_local_blob_is_reported(tmp_path: Path) -> None:
    missing = "sha256:" + "1" * 64
    cd = Descriptor(
        Component(
            COMPONENT,
            "1.0.0",
            Provider("acme"),
            resources=[
                Resource(
                    name="r",
                    version="1",
                    type="blob",
                    access=AccessSpec("localBlob", {"localReference": missing, "mediaType": "x/y"}),
                )
            ],
        )
    )
    with (
        open_ctf(tmp_path / "ctf", mode="create") as repo,
        pytest.raises(NotFound, match=f"resource 'r' \\({missing}\\) is not stored"),
    ):
        repo.add_component_version(cd)


def test_resource_digest_must_match_the_blob(tmp_path: Path) -> None:
    resource = Resource(
        name="r", version="1", type="blob", digest=Digest("SHA-256", "genericBlobDigest/v1", "00")
    )
    with (
        open_ctf(tmp_path / "ctf", mode="create") as repo,
        pytest.raises(DigestMismatch, match="local blob of resource 'r'"),
    ):
        repo.add_local_resource(COMPONENT, "1", resource, BytesBlob(b"x"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "r"}, "does not exist"),
        ({"mode": "rw"}, "does not exist"),
        ({"mode": "x"}, "invalid CTF access mode 'x'"),
        ({"mode": "create", "archive_format": "zip"}, "invalid CTF format 'zip'"),
    ],
)
def test_open_errors(tmp_path: Path, kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(OCMError, match=message):
        open_ctf(tmp_path / "missing", **kwargs)  # type: ignore[arg-type]


def test_existing_format_must_match_the_requested_one(tmp_path: Path) -> None:
    open_ctf(tmp_path / "ctf", mode="create").close()
    with pytest.raises(OCMError, match="is a directory CTF, not tgz"):
        open_ctf(tmp_path / "ctf", mode="rw", archive_format="tgz")


def test_not_a_ctf(tmp_path: Path) -> None:
    junk = tmp_path / "junk.tgz"
    junk.write_bytes(b"this is neither tar nor gzip" * 40)
    with pytest.raises(OCMError, match="is not a CTF: neither a directory nor a tar or tgz"):
        open_ctf(junk)


def test_a_registry_reference_opens_a_registry_that_cannot_list_components() -> None:
    with (
        open_repository("ghcr.io/acme/ocm") as repo,
        pytest.raises(OCMError, match="component listing in repositories of type OCI"),
    ):
        repo.list_components()


def test_invalid_component_name_is_refused_on_write(tmp_path: Path) -> None:
    with (
        open_ctf(tmp_path / "ctf", mode="create") as repo,
        pytest.raises(OCMError, match=r"component name 'Acme\.org/App' cannot be stored"),
    ):
        repo.add_component_version(Descriptor(Component("Acme.org/App", "1.0.0", Provider("a"))))
