"""``ocm transfer`` through a real registry: CTF -> registry -> tgz, signatures verified in the
registry with only the public key, an OCI image kept as a nested artifact, and re-runs that
skip what arrived (the air-gap flow of issue 5, without the helm and skopeo parts)."""

from __future__ import annotations

import json
import subprocess
import tarfile
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from transfertools import write_image_layout

from fixtures.cli import ok
from fixtures.registry import RegistryServer
from fixtures.signing import write_signing_configs

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

LAYOUT = "application/vnd.ocm.software.oci.layout.v1+tar"
CONSTRUCTOR = f"""\
components:
- name: acme.org/db
  version: 1.0.0
  provider: {{name: acme.org}}
  resources:
  - name: schema
    type: blob
    input: {{type: file, path: schema.sql}}
- name: acme.org/app
  version: 1.0.0
  provider: {{name: acme.org}}
  componentReferences:
  - name: db
    componentName: acme.org/db
    version: 1.0.0
  resources:
  - name: openapi
    type: blob
    input: {{type: file, path: openapi.yaml}}
  - name: image
    type: ociImage
    input: {{type: file, path: image.tar, mediaType: {LAYOUT}}}
"""
APP = "acme.org/app:1.0.0"
DB = "acme.org/db:1.0.0"


def _descriptor(run_ocm: RunOcm, ref: str, cwd: Path) -> dict[str, object]:
    listed = json.loads(ok(run_ocm("get", "cv", ref, "-o", "json", cwd=cwd)).stdout)
    assert len(listed) == 1
    return dict(listed[0])


@pytest.fixture
def signed(run_ocm: RunOcm, tmp_path: Path) -> tuple[Path, str]:
    """A signed source CTF (app with a file and an OCI image, referencing db); the image's
    manifest digest."""
    (tmp_path / "schema.sql").write_text("create table t;\n")
    (tmp_path / "openapi.yaml").write_text("openapi: 3.1.0\n")
    manifest = write_image_layout(tmp_path / "image.tar")
    (tmp_path / "component-constructor.yaml").write_text(CONSTRUCTOR)
    ok(run_ocm("add", "cv", cwd=tmp_path))
    write_signing_configs(tmp_path)
    ok(
        run_ocm(
            "sign", "cv", f"./transport-archive//{APP}", "--config", "signer.yaml", cwd=tmp_path
        )
    )
    return tmp_path, manifest


def test_ctf_to_registry_to_tgz_keeps_descriptors_content_and_signatures(
    run_ocm: RunOcm, registry: RegistryServer, signed: tuple[Path, str]
) -> None:
    work, manifest = signed
    target = f"{registry.url}/transfer-{uuid.uuid4().hex[:8]}"
    moved = ok(run_ocm("transfer", "cv", "-r", f"./transport-archive//{APP}", target, cwd=work))
    assert moved.stdout == ""

    for ref in (APP, DB):
        assert _descriptor(run_ocm, f"{target}//{ref}", work) == _descriptor(
            run_ocm, f"./transport-archive//{ref}", work
        )
    verified = ok(
        run_ocm("verify", "cv", f"{target}//{APP}", "--config", "verifier.yaml", cwd=work)
    )
    assert "SIGNATURE VERIFICATION SUCCESSFUL" in verified.stderr

    again = ok(run_ocm("transfer", "cv", "-r", f"./transport-archive//{APP}", target, cwd=work))
    assert again.stderr.count('msg="component version skipped"') == 2

    ok(run_ocm("transfer", "cv", "-r", f"{target}//{APP}", "./airgap.tgz", cwd=work))
    assert _descriptor(run_ocm, f"./airgap.tgz//{APP}", work) == _descriptor(
        run_ocm, f"./transport-archive//{APP}", work
    )
    ok(run_ocm("verify", "cv", f"./airgap.tgz//{APP}", "--config", "verifier.yaml", cwd=work))
    out = work / "openapi.out"
    ok(
        run_ocm(
            "download",
            "resource",
            f"./airgap.tgz//{APP}",
            "--identity",
            "name=openapi",
            "--output",
            str(out),
            cwd=work,
        )
    )
    assert out.read_bytes() == (work / "openapi.yaml").read_bytes()
    image = work / "image.out"
    ok(
        run_ocm(
            "download",
            "resource",
            f"./airgap.tgz//{APP}",
            "--identity",
            "name=image",
            "--extraction-policy",
            "disable",
            "--output",
            str(image),
            cwd=work,
        )
    )
    with tarfile.open(image) as tar:
        index = json.load(tar.extractfile("index.json"))  # type: ignore[arg-type]
    assert index["manifests"][0]["digest"] == manifest
