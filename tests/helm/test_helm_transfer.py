"""Helm charts copied by value: converted to OCI artifacts in the target (cli.md §4.2 row Helm,
§7.7 item 38), signatures still verifying, tampered charts failing verification."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from helmtools import COMPONENT, VERSION, Chart, ChartRepository, helm_constructor

from fixtures.http_server import HTTPServer
from fixtures.registry import RegistryServer
from fixtures.signing import write_signing_configs
from pyocm.descriptor import Descriptor, Resource
from pyocm.repository import open_repository

CONFIG_TYPE = "application/vnd.cncf.helm.config.v1+json"
CHART_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
PROV_TYPE = "application/vnd.cncf.helm.chart.provenance.v1.prov"
MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json"


def source_ctf(run_ocm, work: Path, repo_url: str, *flags: str) -> str:
    """A CTF holding the component with a helm access to ``repo_url`` (as Go's test: the
    chart named by its file)."""
    access = (
        f"access: {{type: helm/v1, helmRepository: '{repo_url}', helmChart: mychart-0.1.0.tgz}}"
    )
    (work / "c.yaml").write_text(helm_constructor(access))
    ctf = str(work / "source-ctf")
    done = run_ocm("add", "cv", "-r", ctf, "-c", str(work / "c.yaml"), *flags)
    assert done.returncode == 0, done.stderr
    return f"ctf::{ctf}//{COMPONENT}:{VERSION}"


def transfer(run_ocm, source: str, target: str, *flags: str) -> None:
    done = run_ocm("transfer", "cv", source, target, "--copy-resources", *flags)
    assert done.returncode == 0, done.stderr


def chart_resource(repository: str) -> Resource:
    with open_repository(repository) as repo:
        descriptor: Descriptor = repo.get_component_version(COMPONENT, VERSION)
    return descriptor.component.resources[0]


def download_layout(run_ocm, repository: str, out: Path) -> dict[str, bytes]:
    """Download the chart resource from ``repository`` (as an OCI layout directory) and give
    its layers by media type, checking the manifest and config on the way."""
    done = run_ocm(
        "download", "resource", f"{repository}//{COMPONENT}:{VERSION}",
        "--identity", "name=mychart,version=0.1.0", "--output", str(out),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    index = json.loads((out / "index.json").read_text())
    entry = index["manifests"][0]
    assert entry["mediaType"] == MANIFEST_TYPE

    def blob(digest: str) -> bytes:
        return (out / "blobs" / "sha256" / digest.removeprefix("sha256:")).read_bytes()

    manifest = json.loads(blob(entry["digest"]))
    assert manifest["config"]["mediaType"] == CONFIG_TYPE
    assert json.loads(blob(manifest["config"]["digest"])) == {"name": "mychart", "version": "0.1.0"}
    return {layer["mediaType"]: blob(layer["digest"]) for layer in manifest["layers"]}


@pytest.fixture
def source(run_ocm, tmp_path: Path, chart_repository: ChartRepository) -> str:
    return source_ctf(run_ocm, tmp_path, chart_repository.url, "--skip-reference-digest-processing")


@pytest.mark.parametrize("upload", [[], ["--upload-as", "localBlob"]])
def test_chart_lands_as_local_oci_artifact(
    run_ocm, tmp_path: Path, registry: RegistryServer, source: str, signed_chart: Chart,
    upload: list[str],
) -> None:  # fmt: skip
    target = f"{registry.url}/helm-local-{len(upload)}"
    transfer(run_ocm, source, target, *upload)
    resource = chart_resource(target)
    assert resource.access is not None
    assert resource.access.type == "LocalBlob/v1"
    assert resource.access.properties["mediaType"] == MANIFEST_TYPE
    assert resource.access.properties["referenceName"] == "mychart:0.1.0"
    assert resource.type == "helmChart"
    layers = download_layout(run_ocm, target, tmp_path / "out")
    assert layers == {
        CHART_TYPE: signed_chart.archive.read_bytes(),
        PROV_TYPE: signed_chart.provenance.read_bytes(),
    }


def test_chart_uploaded_as_oci_artifact_is_a_plain_helm_chart(
    run_ocm, tmp_path: Path, registry: RegistryServer, source: str, signed_chart: Chart,
    helm: Path,
) -> None:  # fmt: skip
    target = f"{registry.url}/helm-oci"
    transfer(run_ocm, source, target, "--upload-as", "ociArtifact")
    resource = chart_resource(target)
    assert resource.access is not None
    assert resource.access.to_dict() == {
        "type": "ociArtifact/v1",
        "imageReference": f"{target}/mychart:0.1.0",
    }
    pulled = tmp_path / "pulled"
    pulled.mkdir()
    pull = subprocess.run(
        [str(helm), "pull", f"oci://{registry.address}/helm-oci/mychart", "--version", "0.1.0",
         "--plain-http", "-d", str(pulled)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert pull.returncode == 0, pull.stderr
    assert (pulled / "mychart-0.1.0.tgz").read_bytes() == signed_chart.archive.read_bytes()
    layers = download_layout(run_ocm, target, tmp_path / "out")
    assert layers[PROV_TYPE] == signed_chart.provenance.read_bytes()


def test_two_hops_put_the_chart_beside_the_final_target(
    run_ocm, tmp_path: Path, registry: RegistryServer, source: str, signed_chart: Chart
) -> None:
    first = f"{registry.url}/helm-twohop-intermediate"
    final = f"{registry.url}/helm-twohop-final"
    transfer(run_ocm, source, first)
    local = chart_resource(first).access
    assert local is not None
    assert local.type == "LocalBlob/v1"
    transfer(run_ocm, f"{first}//{COMPONENT}:{VERSION}", final, "--upload-as", "ociArtifact")
    remote = chart_resource(final).access
    assert remote is not None
    assert remote.properties["imageReference"] == f"{final}/mychart:0.1.0"
    layers = download_layout(run_ocm, final, tmp_path / "out")
    assert layers[CHART_TYPE] == signed_chart.archive.read_bytes()
    assert layers[PROV_TYPE] == signed_chart.provenance.read_bytes()


def test_chart_without_provenance(
    run_ocm, tmp_path: Path, registry: RegistryServer, http_server: HTTPServer, signed_chart: Chart
) -> None:
    shutil.copy(signed_chart.archive, http_server.root)
    source = source_ctf(run_ocm, tmp_path, http_server.url, "--skip-reference-digest-processing")
    target = f"{registry.url}/helm-noprov"
    transfer(run_ocm, source, target)
    resource = chart_resource(target)
    assert resource.access is not None
    assert resource.access.properties["referenceName"] == "mychart:0.1.0"
    layers = download_layout(run_ocm, target, tmp_path / "out")
    assert layers == {CHART_TYPE: signed_chart.archive.read_bytes()}


def test_signature_verifies_after_transfer_and_a_tampered_chart_fails(
    run_ocm, tmp_path: Path, registry: RegistryServer, chart_repository: ChartRepository
) -> None:
    write_signing_configs(tmp_path)
    source = source_ctf(run_ocm, tmp_path, chart_repository.url)
    digest = chart_resource(source.removeprefix("ctf::").split("//")[0]).digest
    assert digest is not None
    assert digest.value == chart_repository.chart.sha256
    signed = run_ocm("sign", "cv", source, "--config", "signer.yaml", cwd=tmp_path)
    assert signed.returncode == 0, signed.stderr
    # in the source the chart is fetched from its repository and hashed again
    checked = run_ocm("verify", "cv", source, "--config", "verifier.yaml", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    # into a registry: the signature and the chart digest still hold
    target = f"{registry.url}/helm-signed"
    transfer(run_ocm, source, target)
    assert chart_resource(target).digest == digest
    verified = run_ocm(
        "verify", "cv", f"{target}//{COMPONENT}:{VERSION}", "--config", "verifier.yaml",
        cwd=tmp_path,
    )  # fmt: skip
    assert verified.returncode == 0, verified.stderr
    # into a CTF (whose blobs are its own to tamper with): verifies, until the chart changes
    ctf = tmp_path / "target-ctf"
    transfer(run_ocm, source, str(ctf))
    reference = f"{ctf}//{COMPONENT}:{VERSION}"
    verify = ("verify", "cv", reference, "--config", "verifier.yaml")
    assert run_ocm(*verify, cwd=tmp_path).returncode == 0
    chart_blob = ctf / "blobs" / f"sha256.{chart_repository.chart.sha256}"
    data = bytearray(chart_blob.read_bytes())
    data[-1] ^= 0xFF
    chart_blob.write_bytes(bytes(data))
    failed = run_ocm(*verify, cwd=tmp_path)
    assert failed.returncode == 1
    assert failed.stderr.startswith("Error: ")
    assert "mychart" in failed.stderr


def test_local_helm_input_transferred_to_a_registry_is_downloadable(
    run_ocm, tmp_path: Path, registry: RegistryServer, signed_chart: Chart
) -> None:
    shutil.copy(signed_chart.archive, tmp_path)
    shutil.copy(signed_chart.provenance, tmp_path)
    (tmp_path / "c.yaml").write_text(
        helm_constructor("input: {type: helm/v1, path: mychart-0.1.0.tgz}")
    )
    ctf = tmp_path / "ctf"
    assert run_ocm("add", "cv", "-r", str(ctf), "-c", str(tmp_path / "c.yaml")).returncode == 0
    target = f"{registry.url}/helm-local-input"
    transfer(run_ocm, f"{ctf}//{COMPONENT}:{VERSION}", target)
    layers = download_layout(run_ocm, target, tmp_path / "out")
    assert layers == {
        CHART_TYPE: signed_chart.archive.read_bytes(),
        PROV_TYPE: signed_chart.provenance.read_bytes(),
    }
