"""What pyocm stores in a registry is plain OCI: skopeo copies an image resource out, helm
pulls a chart resource, with no OCM tool involved."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from fixtures.ocm_registry import (
    LAYOUT_TAR,
    go_tool_env,
    image,
    layout_tar,
    open_on,
    run_tool,
    sha256,
)
from fixtures.registry import RegistryServer
from pyocm.blob import BytesBlob
from pyocm.constructor import construct
from pyocm.descriptor import Component, Descriptor, Provider, Resource

COMPONENT = "acme.org/app"


def _skopeo_source_flags(server: RegistryServer, tmp_path: Path) -> list[str | Path]:
    if server.ca_file is None:
        return ["--src-tls-verify=false"]
    certs = tmp_path / "certs"
    certs.mkdir()
    (certs / "ca.crt").write_bytes(server.ca_file.read_bytes())
    return ["--src-cert-dir", certs, "--src-creds", f"{server.username}:{server.password}"]


def test_skopeo_copies_an_image_resource_out_by_its_digest(
    server: RegistryServer, sub_path: str, skopeo: Path, tmp_path: Path
) -> None:
    config, layer, manifest = image(100_000)
    with open_on(server, sub_path) as repo:
        res = repo.add_local_resource(
            COMPONENT,
            "1.0.0",
            Resource(name="image", version="1.0.0", type="ociImage"),
            BytesBlob(layout_tar([config, layer], manifest), LAYOUT_TAR),
        )
        repo.add_component_version(
            Descriptor(Component(COMPONENT, "1.0.0", Provider("acme"), resources=[res]))
        )
    assert res.digest is not None
    resource_digest = f"sha256:{res.digest.value}"
    out = tmp_path / "copied"
    source = f"{server.address}/{sub_path}/component-descriptors/{COMPONENT}@{resource_digest}"
    run_tool(
        [
            skopeo,
            "copy",
            "--preserve-digests",
            *_skopeo_source_flags(server, tmp_path),
            f"docker://{source}",
            f"oci:{out}",
        ]
    )
    [entry] = json.loads((out / "index.json").read_text())["manifests"]
    assert entry["digest"] == resource_digest == sha256(manifest)
    blobs = out / "blobs" / "sha256"
    assert (blobs / resource_digest[7:]).read_bytes() == manifest
    assert (blobs / sha256(layer)[7:]).read_bytes() == layer


def test_helm_pulls_a_chart_resource_by_digest(
    server: RegistryServer, sub_path: str, helm: Path, vectors: Path, tmp_path: Path
) -> None:
    """Go v2 tags only the component version's index, so the chart (a nested manifest) is
    addressable by digest alone: ``oci://<registry>/<component repository>@<digest>``."""
    chart = tmp_path / "mychart-0.1.0.tgz"
    shutil.copy(vectors / "helm" / "mychart-0.1.0.tgz", chart)
    (tmp_path / "component-constructor.yaml").write_text(
        f"name: {COMPONENT}\nversion: 1.0.0\nprovider: {{name: acme.org}}\n"
        "resources:\n- name: chart\n  type: helmChart\n"
        "  input: {type: helm, path: mychart-0.1.0.tgz}\n"
    )
    with open_on(server, sub_path) as repo:
        [cd] = construct(tmp_path / "component-constructor.yaml", repo)
    [res] = cd.component.resources
    assert res.access is not None
    digest = res.access.properties["localReference"]
    env = {
        "HELM_CONFIG_HOME": str(tmp_path / "helm"),
        "HELM_CACHE_HOME": str(tmp_path / "helm-cache"),
        **go_tool_env(server, tmp_path),
    }
    if server.ca_file is None:
        flags: list[str | Path] = ["--plain-http"]
    else:
        flags = [
            "--ca-file",
            server.ca_file,
            "--username",
            server.username or "",
            "--password",
            server.password or "",
        ]
    pulled = tmp_path / "pulled"
    pulled.mkdir()
    reference = f"oci://{server.address}/{sub_path}/component-descriptors/{COMPONENT}@{digest}"
    run_tool([helm, "pull", reference, *flags, "-d", pulled], env)
    [file] = list(pulled.iterdir())
    assert file.read_bytes() == chart.read_bytes()
