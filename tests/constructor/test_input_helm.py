"""The ``helm`` input: packaged and directory charts become OCI artifacts with Helm media types."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import shutil
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from pyocm.descriptor import Descriptor, Resource
from pyocm.errors import OCMError

Build = Callable[..., list[Descriptor]]
Stored = Callable[[Descriptor, Resource], bytes]

CONFIG_TYPE = "application/vnd.cncf.helm.config.v1+json"
CHART_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
PROV_TYPE = "application/vnd.cncf.helm.chart.provenance.v1.prov"
MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json"


def helm_resource(path: str, extra: str = "") -> str:
    return f"""
name: acme.org/app
version: 1.0.0
provider: {{name: acme.org}}
resources:
- name: mychart
  type: helmChart
  input: {{type: helm, path: {path}{extra}}}
"""


def descriptor_json(media_type: str, data: bytes) -> str:
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    return f'{{"mediaType":"{media_type}","digest":"{digest}","size":{len(data)}}}'


def expected_manifest(config: bytes, *layers: tuple[str, bytes]) -> bytes:
    """The image manifest as the Go tools write it (oras PackManifest, without annotations)."""
    layer_list = ",".join(descriptor_json(t, d) for t, d in layers)
    return (
        f'{{"schemaVersion":2,"mediaType":"{MANIFEST_TYPE}",'
        f'"config":{descriptor_json(CONFIG_TYPE, config)},"layers":[{layer_list}]}}'
    ).encode()


def blob_file(ctf_dir: Path, digest: str) -> bytes:
    return (ctf_dir / "blobs" / digest.replace(":", ".")).read_bytes()


def test_packaged_chart_with_provenance(
    workdir: Path, tmp_path: Path, vectors: Path, build: Build
) -> None:
    for name in ("mychart-0.1.0.tgz", "mychart-0.1.0.tgz.prov"):
        shutil.copy(vectors / "helm" / name, workdir / name)
    chart = (workdir / "mychart-0.1.0.tgz").read_bytes()
    prov = (workdir / "mychart-0.1.0.tgz.prov").read_bytes()
    config = b'{"name":"mychart","version":"0.1.0"}'
    manifest = expected_manifest(config, (CHART_TYPE, chart), (PROV_TYPE, prov))
    manifest_hex = hashlib.sha256(manifest).hexdigest()

    (cd,) = build(helm_resource("mychart-0.1.0.tgz"))
    res = cd.component.resources[0]
    assert res.access is not None
    assert res.access.properties == {
        "localReference": "sha256:" + manifest_hex,
        "mediaType": MANIFEST_TYPE,
    }
    assert res.digest is not None
    assert (res.digest.normalisation_algorithm, res.digest.value) == (
        "genericBlobDigest/v1",
        manifest_hex,
    )
    # the artifact is stored natively: manifest, config and layers are blobs of the CTF
    ctf_dir = tmp_path / "ctf"
    assert blob_file(ctf_dir, "sha256:" + manifest_hex) == manifest
    assert blob_file(ctf_dir, "sha256:" + hashlib.sha256(chart).hexdigest()) == chart
    assert blob_file(ctf_dir, "sha256:" + hashlib.sha256(prov).hexdigest()) == prov
    assert blob_file(ctf_dir, "sha256:" + hashlib.sha256(config).hexdigest()) == config


def test_packaged_chart_without_provenance(workdir: Path, vectors: Path, build: Build) -> None:
    shutil.copy(vectors / "helm" / "mychart-0.1.0.tgz", workdir / "chart.tgz")
    chart = (workdir / "chart.tgz").read_bytes()
    manifest = expected_manifest(b'{"name":"mychart","version":"0.1.0"}', (CHART_TYPE, chart))
    (cd,) = build(helm_resource("chart.tgz"))
    digest = cd.component.resources[0].digest
    assert digest is not None and digest.value == hashlib.sha256(manifest).hexdigest()


def test_download_gives_an_oci_layout_holding_the_chart(
    workdir: Path, vectors: Path, build: Build, stored: Stored
) -> None:
    shutil.copy(vectors / "helm" / "mychart-0.1.0.tgz", workdir / "chart.tgz")
    (cd,) = build(helm_resource("chart.tgz"))
    layout = gzip.decompress(stored(cd, cd.component.resources[0]))
    with tarfile.open(fileobj=io.BytesIO(layout)) as tar:
        assert "index.json" in tar.getnames()
        chart_hex = hashlib.sha256((workdir / "chart.tgz").read_bytes()).hexdigest()
        chart_file = tar.extractfile(f"blobs/sha256/{chart_hex}")
        assert chart_file is not None
        assert chart_file.read() == (workdir / "chart.tgz").read_bytes()


CHART_FILES = {
    "Chart.yaml": "apiVersion: v2\nname: webapp\nversion: 1.2.3\n",
    "values.yaml": "replicas: 1\n",
    "templates/deployment.yaml": "kind: Deployment\n",
    "templates/a/nested.yaml": "kind: ConfigMap\n",
    "templates/a.yaml": "kind: Service\n",
    "templates/.hidden": "ignored by Helm's default rule\n",
    "README.md": "\ufeffreadme\n",
    "notes.bak": "ignored by .helmignore\n",
    ".helmignore": "*.bak\n",
    "charts/sub/Chart.yaml": "apiVersion: v2\nname: subchart\nversion: 0.0.1\n",
    "charts/sub/values.yaml": "x: 1\n",
}


def write_chart(root: Path, files: dict[str, str] = CHART_FILES) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def chart_archive(tmp_path: Path, descriptor: Descriptor) -> bytes:
    res = descriptor.component.resources[0]
    assert res.access is not None
    manifest = json.loads(blob_file(tmp_path / "ctf", res.access.properties["localReference"]))
    assert manifest["config"]["mediaType"] == CONFIG_TYPE
    (layer,) = manifest["layers"]
    assert layer["mediaType"] == CHART_TYPE
    config = json.loads(blob_file(tmp_path / "ctf", manifest["config"]["digest"]))
    assert config == {"name": "webapp", "version": "1.2.3"}
    return blob_file(tmp_path / "ctf", layer["digest"])


def test_chart_directory_is_packaged_as_helm_does(
    workdir: Path, tmp_path: Path, build: Build
) -> None:
    write_chart(workdir / "webapp")
    (cd,) = build(helm_resource("webapp"))
    archive = chart_archive(tmp_path, cd)
    # Helm's gzip header: the "Helm" comment and its marker in the extra field
    assert archive[3] & 0x14 == 0x14
    assert b"Helm\0" in archive[:80]
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        members = tar.getmembers()
        names = [m.name for m in members]
        readme = tar.extractfile("webapp/README.md")
        assert readme is not None and readme.read() == b"readme\n"  # byte-order mark dropped
    assert names == [
        "webapp/Chart.yaml",
        "webapp/values.yaml",
        "webapp/templates/a/nested.yaml",
        "webapp/templates/a.yaml",
        "webapp/templates/deployment.yaml",
        "webapp/.helmignore",
        "webapp/README.md",
        "webapp/charts/subchart/Chart.yaml",
        "webapp/charts/subchart/values.yaml",
    ]
    assert {(m.mode, m.uid, m.gid, m.mtime) for m in members} == {(0o644, 0, 0, 0)}


def test_same_chart_directory_gives_the_same_digest(workdir: Path, build: Build) -> None:
    write_chart(workdir / "webapp")
    (first,) = build(helm_resource("webapp"))
    (workdir / "webapp" / "values.yaml").touch()
    (second,) = build(helm_resource("webapp"), conflict_policy="replace")
    assert first.component.resources[0].digest == second.component.resources[0].digest


def test_chart_directory_needs_a_valid_chart_yaml(workdir: Path, build: Build) -> None:
    write_chart(workdir / "nochart", {"values.yaml": "a: 1\n"})
    with pytest.raises(OCMError, match=re.escape("Chart.yaml file is missing")):
        build(helm_resource("nochart"))
    write_chart(workdir / "badversion", {"Chart.yaml": "apiVersion: v2\nname: x\nversion: one\n"})
    with pytest.raises(OCMError, match=re.escape("chart.metadata.version 'one' is invalid")):
        build(helm_resource("badversion"))


def test_repository_tag_must_equal_the_chart_version(
    workdir: Path, vectors: Path, build: Build
) -> None:
    shutil.copy(vectors / "helm" / "mychart-0.1.0.tgz", workdir / "chart.tgz")
    with pytest.raises(OCMError, match=re.escape("does not match the chart version '0.1.0'")):
        build(helm_resource("chart.tgz", ", repository: 'ghcr.io/acme/charts/mychart:0.2.0'"))
    (cd,) = build(helm_resource("chart.tgz", ", repository: 'ghcr.io/acme/charts/mychart:0.1.0'"))
    assert cd.component.resources[0].digest is not None


def test_chart_path_must_be_inside_the_working_directory(
    workdir: Path, vectors: Path, build: Build
) -> None:
    shutil.copy(vectors / "helm" / "mychart-0.1.0.tgz", workdir.parent / "chart.tgz")
    with pytest.raises(OCMError, match="is outside the working directory"):
        build(helm_resource("../chart.tgz"))
