"""Reading the CTFs the legacy Go CLI wrote (``tests/vectors/ctf``, see its README).

Expected values are those of ``reference/storage.md`` §1.6 and the v2 compatibility tests
(``bindings/go/ctf/ctf_compatibility_test.go``).
"""

from __future__ import annotations

import gzip
import io
import shutil
import tarfile
from pathlib import Path

import pytest

from pyocm.errors import NotFound
from pyocm.repository import open_repository
from pyocm.repository.ctf import CTFRepository

COMPONENT = "github.com/acme.org/helloworld"
REPOSITORY = f"component-descriptors/{COMPONENT}"
TEST_BLOB = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
DIR_MANIFEST = "sha256:6d776ef2c9c156ca260a67b335435f4ef20a1c8e777afee89148b06d5688e753"
TAR_MANIFEST = "sha256:663697c69a18079dcc981d02e0ffd13e4b819cb5f5374d525db01153083380e0"
DIR_CREATION_TIME = "2025-03-18T09:44:42Z"
TAR_CREATION_TIME = "2025-03-18T11:19:18Z"


def _check_case_01(repo: CTFRepository, manifest: str, creation_time: str) -> None:
    assert repo.list_components() == [COMPONENT]
    assert repo.list_component_versions(COMPONENT) == ["1.0.0"]
    assert repo.has_component_version(COMPONENT, "1.0.0")
    assert [(e.repository, e.tag, e.digest, e.media_type) for e in repo.artifacts()] == [
        (REPOSITORY, "1.0.0", manifest, "")
    ]
    assert len(repo.blobs.list()) == 4

    cd = repo.get_component_version(COMPONENT, "1.0.0")
    assert (cd.component.name, cd.component.version) == (COMPONENT, "1.0.0")
    assert cd.component.provider.name == "acme.org"
    assert cd.component.creation_time == creation_time
    [resource] = cd.component.resources
    assert (resource.name, resource.type, resource.version, resource.relation) == (
        "resource",
        "something",
        "6.7.1",
        "local",
    )
    assert resource.access is not None
    assert resource.access.type == "localBlob"
    assert resource.access.properties == {
        "localReference": TEST_BLOB,
        "mediaType": "application/octet-stream",
    }
    assert resource.digest is not None
    assert resource.digest.to_dict() == {
        "hashAlgorithm": "SHA-256",
        "normalisationAlgorithm": "genericBlobDigest/v1",
        "value": TEST_BLOB.removeprefix("sha256:"),
    }
    blob = repo.get_local_blob(COMPONENT, "1.0.0", resource.access)
    assert blob.media_type == "application/octet-stream"
    assert blob.size == 4
    with blob.open() as stream:
        assert stream.read() == b"test"


def test_directory_ctf(vectors: Path) -> None:
    with open_repository(str(vectors / "ctf/01/transport-archive")) as repo:
        _check_case_01(repo, DIR_MANIFEST, DIR_CREATION_TIME)
        manifest = repo.blobs.read_bytes(DIR_MANIFEST, 1 << 20)
        assert b"application/vnd.ocm.software.component-descriptor.v2+yaml+tar" in manifest


def test_tar_ctf(vectors: Path) -> None:
    with open_repository(str(vectors / "ctf/01/transport-archive.tar")) as repo:
        _check_case_01(repo, TAR_MANIFEST, TAR_CREATION_TIME)


def _pack(source: Path, target: Path, compress: bool) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path in sorted(source.rglob("*")):
            tar.add(path, arcname=str(path.relative_to(source)), recursive=False)
    data = buffer.getvalue()
    target.write_bytes(gzip.compress(data) if compress else data)


def test_directory_repacked_as_tgz(vectors: Path, tmp_path: Path) -> None:
    archive = tmp_path / "transport-archive.tgz"
    _pack(vectors / "ctf/01/transport-archive", archive, compress=True)
    with open_repository(str(archive)) as repo:
        _check_case_01(repo, DIR_MANIFEST, DIR_CREATION_TIME)


@pytest.mark.parametrize(("name", "compress"), [("archive.ctf", True), ("archive.zip", False)])
def test_format_is_detected_from_content_not_name(
    vectors: Path, tmp_path: Path, name: str, compress: bool
) -> None:
    archive = tmp_path / name
    _pack(vectors / "ctf/01/transport-archive", archive, compress=compress)
    with open_repository(f"ctf::{archive}") as repo:
        _check_case_01(repo, DIR_MANIFEST, DIR_CREATION_TIME)


def test_tar_under_a_tgz_name(vectors: Path, tmp_path: Path) -> None:
    archive = tmp_path / "misleading.tgz"
    shutil.copy(vectors / "ctf/01/transport-archive.tar", archive)
    with open_repository(str(archive)) as repo:
        _check_case_01(repo, TAR_MANIFEST, TAR_CREATION_TIME)


def test_external_oci_artifact_resource(vectors: Path) -> None:
    with open_repository(str(vectors / "ctf/02/without-resource")) as repo:
        assert repo.list_component_versions(COMPONENT) == ["1.0.0"]
        assert len(repo.blobs.list()) == 3
        cd = repo.get_component_version(COMPONENT, "1.0.0")
        assert cd.component.creation_time == "2025-03-18T11:47:12Z"
        [resource] = cd.component.resources
        assert (resource.name, resource.type, resource.version, resource.relation) == (
            "mychart",
            "helmChart",
            "6.7.1",
            "external",
        )
        assert resource.access is not None
        assert resource.access.to_dict() == {
            "type": "ociArtifact",
            "imageReference": "ghcr.io/jakobmoellerdev/podinfo/podinfo:6.7.1",
        }
        assert resource.digest is not None
        assert resource.digest.to_dict() == {
            "hashAlgorithm": "SHA-256",
            "normalisationAlgorithm": "ociArtifactDigest/v1",
            "value": "62be4af3382a4493cb7f1dd4ec47bcb28f1863b615fc9e4a1dceefbe93898dd0",
        }


def test_empty_ctf(vectors: Path) -> None:
    with open_repository(str(vectors / "ctf/empty")) as repo:
        assert repo.list_components() == []
        assert repo.list_component_versions(COMPONENT) == []
        assert not repo.has_component_version(COMPONENT, "1.0.0")
        assert repo.artifacts() == []
        with pytest.raises(NotFound, match=f"component version {COMPONENT}:1.0.0 not found"):
            repo.get_component_version(COMPONENT, "1.0.0")


def test_reading_does_not_touch_the_vectors(vectors: Path) -> None:
    before = sorted(p.name for p in (vectors / "ctf/01/transport-archive").rglob("*"))
    with open_repository(str(vectors / "ctf/01/transport-archive")) as repo:
        repo.get_component_version(COMPONENT, "1.0.0")
    after = sorted(p.name for p in (vectors / "ctf/01/transport-archive").rglob("*"))
    assert after == before
