"""The legacy-compatible writer against what the legacy Go CLI itself wrote.

``tests/vectors/ctf/01`` was written by the legacy CLI (OCM Go Library 0.20.0) from the
``component-constructor.yaml`` beside it (``reference/storage.md`` §1.6).  Its creation time
(set by v1's ``add componentversions`` to the time of the run) and the media type of its local
blob (v1's ``utf8`` input: ``application/octet-stream``; Go v2's and pyocm's: ``text/plain``)
cannot come out of that constructor again, so the byte-for-byte tests pin both in the
constructor (``creationTime``, and the same four bytes as a ``binary`` input); the test of the
unchanged constructor states exactly what then differs.  The legacy rules themselves are cited
from the v1 sources (``open-component-model/ocm``) where a test relies on them.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pyocm.blob import BytesBlob
from pyocm.constructor import construct
from pyocm.descriptor import Component, Descriptor, Provider, Resource, Source
from pyocm.descriptor.model import AccessSpec
from pyocm.digest import component_version_digest
from pyocm.errors import OCMError
from pyocm.repository import mediatypes as ocm_types
from pyocm.repository import open_repository
from pyocm.repository.ctf import open_ctf
from pyocm.repository.legacy import legacy_access, legacy_access_type

RunOcm = Callable[..., subprocess.CompletedProcess[str]]
V1_CREATOR = "OCM Go Library 0.20.0"
TEST_BLOB = "sha256.9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
V1_DESCRIPTOR_LAYER = "sha256.7164be671f47d4f2b427363b3efd144c2705219e5046d23a28a181ce602cf152"
V1_MANIFEST = "sha256.6d776ef2c9c156ca260a67b335435f4ef20a1c8e777afee89148b06d5688e753"
YAML_TAR = "application/vnd.ocm.software.component-descriptor.v2+yaml+tar"
DESCRIPTOR_MTIME = 1640995200  # 2022-01-01T00:00:00Z, v1 ctf/format.ModTime

PINNED_CONSTRUCTOR = """\
components:
- name: github.com/acme.org/helloworld
  version: 1.0.0
  creationTime: "{creation_time}"
  provider:
    name: acme.org
  resources:
    - name: resource
      type: something
      version: 6.7.1
      input:
        type: binary
        data: dGVzdA==
"""


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def _pack_pinned(tmp_path: Path, target: Path, creation_time: str) -> None:
    constructor = tmp_path / "component-constructor.yaml"
    constructor.write_text(PINNED_CONSTRUCTOR.format(creation_time=creation_time))
    with open_repository(
        str(target), mode="create", compatibility="legacy", creator=V1_CREATOR
    ) as repo:
        construct(constructor, repo)


def test_pinned_constructor_reproduces_the_legacy_ctf_byte_for_byte(
    tmp_path: Path, vectors: Path
) -> None:
    vector = vectors / "ctf" / "01" / "transport-archive"
    _pack_pinned(tmp_path, tmp_path / "ctf", "2025-03-18T09:44:42Z")

    written = _files(tmp_path / "ctf")
    expected = _files(vector)
    assert sorted(written) == sorted(expected)
    for name, content in expected.items():
        assert written[name] == content, name
    # the descriptor layer and the index as v1 wrote them
    assert f"blobs/{V1_DESCRIPTOR_LAYER}" in written
    assert b'"mediaType"' not in written["artifact-index.json"]


def test_pinned_tar_constructor_writes_the_legacy_tar_members(
    tmp_path: Path, vectors: Path
) -> None:
    # transport-archive.tar is a second v1 run, at 11:19:18 (storage.md §1.6)
    archive = tmp_path / "transport-archive.tar"
    _pack_pinned(tmp_path, archive, "2025-03-18T11:19:18Z")

    def members(path: Path) -> dict[str, bytes]:
        out = {}
        with tarfile.open(path) as tar:
            for member in tar:
                if member.isfile():
                    stream = tar.extractfile(member)
                    assert stream is not None
                    out[member.name] = stream.read()
        return out

    written = members(archive)
    expected = members(vectors / "ctf" / "01" / "transport-archive.tar")
    assert list(written) == list(expected)  # index first, then the blobs sorted by name
    assert written == expected


def test_unchanged_constructor_differs_only_in_creation_time_and_blob_media_type(
    tmp_path: Path, vectors: Path, run_ocm: RunOcm
) -> None:
    case = vectors / "ctf" / "01"
    vector = case / "transport-archive"
    result = run_ocm(
        "add",
        "cv",
        "--compatibility",
        "legacy",
        "--repository",
        str(tmp_path / "ctf"),
        "--constructor",
        str(case / "component-constructor.yaml"),
    )
    assert result.returncode == 0, result.stderr
    ctf = tmp_path / "ctf"

    # the local blob: identical
    assert (ctf / "blobs" / TEST_BLOB).read_bytes() == (vector / "blobs" / TEST_BLOB).read_bytes()

    # the index: one entry with exactly v1's properties
    index = json.loads((ctf / "artifact-index.json").read_bytes())
    v1_index = json.loads((vector / "artifact-index.json").read_bytes())
    assert index.keys() == v1_index.keys()
    [entry] = index["artifacts"]
    [v1_entry] = v1_index["artifacts"]
    assert list(entry) == list(v1_entry) == ["repository", "tag", "digest"]
    assert (entry["repository"], entry["tag"]) == (v1_entry["repository"], v1_entry["tag"])

    # the manifest: v1's shape; only the descriptor digests, the blob's media type and the
    # creator differ
    manifest = json.loads((ctf / "blobs" / entry["digest"].replace(":", ".")).read_bytes())
    v1_manifest = json.loads((vector / "blobs" / V1_MANIFEST).read_bytes())
    assert list(manifest) == list(v1_manifest)
    assert manifest["config"]["mediaType"] == v1_manifest["config"]["mediaType"]
    layer, blob_layer = manifest["layers"]
    v1_layer, v1_blob_layer = v1_manifest["layers"]
    assert layer["mediaType"] == v1_layer["mediaType"] == YAML_TAR
    assert blob_layer["annotations"] == v1_blob_layer["annotations"]
    assert (blob_layer["digest"], blob_layer["size"]) == (
        v1_blob_layer["digest"],
        v1_blob_layer["size"],
    )
    assert (blob_layer["mediaType"], v1_blob_layer["mediaType"]) == (
        "text/plain",
        "application/octet-stream",
    )
    assert manifest["annotations"] == {
        **v1_manifest["annotations"],
        "software.ocm.creator": "pyocm",
    }

    # the config names the descriptor layer exactly as v1's does
    config_raw = (ctf / "blobs" / manifest["config"]["digest"].replace(":", ".")).read_bytes()
    assert json.loads(config_raw) == {"componentDescriptorLayer": layer}
    assert config_raw == json.dumps(
        {"componentDescriptorLayer": layer}, separators=(",", ":")
    ).encode("ascii")

    # the descriptor tar: one entry laid out as v1's, header fields and all
    layer_raw = (ctf / "blobs" / layer["digest"].replace(":", ".")).read_bytes()
    v1_layer_raw = (vector / "blobs" / V1_DESCRIPTOR_LAYER).read_bytes()
    with tarfile.open(fileobj=io.BytesIO(layer_raw)) as tar:
        [member] = tar.getmembers()
        stream = tar.extractfile(member)
        assert stream is not None
        yaml_text = stream.read().decode("utf-8")
    assert (member.name, member.mode, member.uid, member.gid, member.mtime) == (
        "component-descriptor.yaml",
        0,
        0,
        0,
        DESCRIPTOR_MTIME,
    )
    assert (member.uname, member.gname) == ("", "")
    assert len(layer_raw) == 512 + -(-member.size // 512) * 512 + 1024
    assert layer_raw[257:345] == v1_layer_raw[257:345]  # magic, version, owners, devices
    assert layer_raw[156:157] == v1_layer_raw[156:157]  # regular file

    # the descriptor: v1's YAML without the creation time, with the input's media type
    with tarfile.open(fileobj=io.BytesIO(v1_layer_raw)) as tar:
        stream = tar.extractfile("component-descriptor.yaml")
        assert stream is not None
        v1_yaml = stream.read().decode("utf-8")
    assert yaml_text == (
        v1_yaml.replace('  creationTime: "2025-03-18T09:44:42Z"\n', "").replace(
            "application/octet-stream", "text/plain"
        )
    )


def test_shared_blob_is_one_layer_listing_every_element(tmp_path: Path) -> None:
    # v1 genericocireg/componentversion.go (Update) and compdesc ElementMeta.GetIdentity:
    # one layer per blob, {"kind","identity"} per element; the version is in the identity
    # only where another element of the same list has the same name and extra identity.
    blob = BytesBlob(b"shared", "application/octet-stream")
    component, version = "acme.org/shared", "1.0.0"
    with open_ctf(tmp_path / "ctf", mode="create", compatibility="legacy") as repo:
        stored: list[Resource] = []
        for name, res_version, extra in (
            ("a", "1.0.0", {}),
            ("a", "2.0.0", {}),
            ("b", "1.0.0", {"os": "linux"}),
            ("b", "1.0.0", {"os": "windows"}),
        ):
            stored.append(
                repo.add_local_resource(
                    component,
                    version,
                    Resource(name=name, version=res_version, type="blob", extra_identity=extra),
                    blob,
                )
            )
        source = repo.add_local_source(
            component, version, Source(name="src", version="1.0.0", type="blob"), blob
        )
        repo.add_component_version(
            Descriptor(
                Component(component, version, Provider("acme"), resources=stored, sources=[source])
            )
        )
        [entry] = repo.artifacts()
        manifest = json.loads(repo.blobs.path_of(entry.digest).read_bytes())

    assert len(manifest["layers"]) == 2
    assert "artifactType" not in manifest
    assert manifest["layers"][1]["annotations"] == {
        "software.ocm.artifact": (
            '[{"kind":"resource","identity":{"name":"a","version":"1.0.0"}},'
            '{"kind":"resource","identity":{"name":"a","version":"2.0.0"}},'
            '{"kind":"resource","identity":{"name":"b","os":"linux"}},'
            '{"kind":"resource","identity":{"name":"b","os":"windows"}},'
            '{"kind":"source","identity":{"name":"src"}}]'
        )
    }
    assert {r.access.type for r in stored if r.access} == {"localBlob"}


CONSTRUCTOR_WITH_ACCESSES = """\
components:
- name: acme.org/mixed
  version: 1.0.0+build.7
  provider:
    name: acme.org
  resources:
    - name: readme
      type: plainText
      input:
        type: utf8
        text: hello
    - name: image
      type: ociImage
      version: "1.0"
      access:
        type: OCIImage/v1
        imageReference: ghcr.io/acme/app:1.0@sha256:{hex}
    - name: chart
      type: helmChart
      version: 1.0.0
      access:
        type: Helm/v1
        helmRepository: https://charts.example.com
        helmChart: mychart:1.0.0
""".replace("{hex}", "a" * 64)


def test_transfer_into_a_legacy_target_renames_access_types_and_keeps_digests(
    tmp_path: Path, run_ocm: RunOcm
) -> None:
    constructor = tmp_path / "component-constructor.yaml"
    constructor.write_text(CONSTRUCTOR_WITH_ACCESSES)
    source_ctf, target_ctf = tmp_path / "source", tmp_path / "target"
    # the accesses name hosts that do not exist: they are recorded as written
    added = run_ocm(
        "add",
        "cv",
        "-r",
        str(source_ctf),
        "-c",
        str(constructor),
        "--skip-reference-digest-processing",
    )
    assert added.returncode == 0, added.stderr
    moved = run_ocm(
        "transfer",
        "cv",
        "--compatibility",
        "legacy",
        f"{source_ctf}//acme.org/mixed:1.0.0+build.7",
        str(target_ctf),
    )
    assert moved.returncode == 0, moved.stderr

    with open_ctf(source_ctf) as src, open_ctf(target_ctf) as dst:
        before = src.get_component_version("acme.org/mixed", "1.0.0+build.7")
        after = dst.get_component_version("acme.org/mixed", "1.0.0+build.7")
        [entry] = dst.artifacts()
        manifest = json.loads(dst.blobs.path_of(entry.digest).read_bytes())
    assert [r.access.type for r in before.component.resources if r.access] == [
        "LocalBlob/v1",
        "OCIImage/v1",
        "Helm/v1",
    ]
    assert [r.access.type for r in after.component.resources if r.access] == [
        "localBlob",
        "ociArtifact",
        "helm",
    ]
    assert entry.tag == "1.0.0.build-build.7" and entry.media_type == ""
    assert manifest["layers"][0]["mediaType"] == YAML_TAR
    for algorithm in ("jsonNormalisation/v1", "jsonNormalisation/v3", "jsonNormalisation/v4alpha1"):
        assert component_version_digest(after, normalisation_algorithm=algorithm) == (
            component_version_digest(before, normalisation_algorithm=algorithm)
        )


def test_oci_artifacts_are_refused_in_legacy_mode(tmp_path: Path) -> None:
    with (
        open_repository(str(tmp_path / "ctf"), mode="create", compatibility="legacy") as repo,
        pytest.raises(OCMError, match="legacy compatibility cannot store"),
    ):
        repo.add_local_resource(
            "acme.org/app",
            "1.0.0",
            Resource(name="image", version="1.0.0", type="ociImage"),
            BytesBlob(b"not read", ocm_types.OCI_LAYOUT_TAR_GZIP),
        )


def test_legacy_names_only_what_old_readers_do_not_know(tmp_path: Path) -> None:
    # names from v1 #1881/#1920 (UpperCamelCase aliases); lowercase forms are v1's own
    access = AccessSpec(
        "LocalBlob/v1",
        {
            "localReference": "sha256:" + "0" * 64,
            "mediaType": "text/plain",
            "globalAccess": {"type": "OCIImageLayer/v1", "ref": "ghcr.io/a/b"},
        },
    )
    renamed = legacy_access(access)
    assert renamed is not None
    assert renamed.type == "localBlob"
    assert renamed.properties["globalAccess"]["type"] == "ociBlob"
    assert [
        legacy_access_type(t)
        for t in ("ociArtifact", "localBlob/v1", "wget", "Wget/v1", "Git/v1alpha1", "File/v1")
    ] == ["ociArtifact", "localBlob/v1", "wget", "wget", "git", "File/v1"]


def test_unknown_compatibility_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OCMError, match="unknown compatibility 'v0'"):
        open_repository(str(tmp_path / "ctf"), mode="create", compatibility="v0")  # type: ignore[arg-type]
