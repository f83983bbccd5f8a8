"""What pyocm pushes is plain OCI: skopeo, crane, oras and helm read it, and the other way round."""

from __future__ import annotations

import base64
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.oci import image_config
from fixtures.registry import RegistryServer
from pyocm.oci.client import RegistryClient
from pyocm.oci.manifest import Descriptor, image_manifest, parse_manifest
from pyocm.oci.mediatypes import IMAGE_MANIFEST

HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json"
HELM_CHART = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"


def run(
    args: list[str | Path], env: dict[str, str] | None = None, cwd: Path | None = None
) -> bytes:
    """Run a client program; its standard output, or a failure showing its errors."""
    done = subprocess.run(
        [str(a) for a in args],
        capture_output=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout


def push_small_image(client: RegistryClient, name: str) -> tuple[Descriptor, bytes]:
    repo = client.repository(name)
    config = repo.push_bytes(image_config(), "application/vnd.oci.image.config.v1+json")
    layer = repo.push_bytes(os.urandom(2048), "application/vnd.oci.image.layer.v1.tar")
    raw = image_manifest(config, [layer], annotations={"org.opencontainers.image.title": "t"})
    return repo.put_manifest(raw, IMAGE_MANIFEST, tag="1.0.0"), raw


def skopeo_source_flags(server: RegistryServer, tmp_path: Path) -> list[str | Path]:
    if server.ca_file is None:
        return ["--src-tls-verify=false"]
    certs = tmp_path / "certs"
    certs.mkdir()
    (certs / "ca.crt").write_bytes(server.ca_file.read_bytes())
    return ["--src-cert-dir", certs, "--src-creds", f"{server.username}:{server.password}"]


def go_tool_env(server: RegistryServer, tmp_path: Path) -> dict[str, str]:
    """Environment for crane: our CA and a docker config with the registry's login."""
    if server.ca_file is None:
        return {}
    config = tmp_path / "docker"
    config.mkdir()
    auth = base64.b64encode(f"{server.username}:{server.password}".encode()).decode()
    (config / "config.json").write_text(json.dumps({"auths": {server.address: {"auth": auth}}}))
    return {"SSL_CERT_FILE": str(server.ca_file), "DOCKER_CONFIG": str(config)}


def test_skopeo_copies_what_we_pushed(
    server: RegistryServer,
    client: RegistryClient,
    skopeo: Path,
    new_repo: Callable[[], str],
    tmp_path: Path,
) -> None:
    name = new_repo()
    pushed, raw = push_small_image(client, name)
    out = tmp_path / "layout"
    run(
        [
            skopeo,
            "copy",
            "--preserve-digests",
            *skopeo_source_flags(server, tmp_path),
            f"docker://{server.address}/{name}:1.0.0",
            f"oci:{out}:1.0.0",
        ]
    )
    index = json.loads((out / "index.json").read_text())
    assert [m["digest"] for m in index["manifests"]] == [pushed.digest]
    blobs = out / "blobs" / "sha256"
    assert (blobs / pushed.digest.split(":")[1]).read_bytes() == raw
    for layer in [parse_manifest(raw).config, *parse_manifest(raw).layers]:
        assert (blobs / layer.digest.split(":")[1]).stat().st_size == layer.size


def test_crane_reads_our_manifest_byte_for_byte(
    server: RegistryServer,
    client: RegistryClient,
    crane: Path,
    new_repo: Callable[[], str],
    tmp_path: Path,
) -> None:
    name = new_repo()
    pushed, raw = push_small_image(client, name)
    insecure = ["--insecure"] if server.ca_file is None else []
    env = go_tool_env(server, tmp_path)
    ref = f"{server.address}/{name}:1.0.0"
    assert run([crane, "manifest", *insecure, ref], env) == raw
    assert run([crane, "digest", *insecure, ref], env).decode().strip() == pushed.digest


def test_we_pull_what_oras_pushed(
    server: RegistryServer,
    client: RegistryClient,
    oras: Path,
    new_repo: Callable[[], str],
    tmp_path: Path,
) -> None:
    name = new_repo()
    payload = tmp_path / "payload.bin"
    payload.write_bytes(os.urandom(100_000))
    if server.ca_file is None:
        flags: list[str | Path] = ["--plain-http"]
    else:
        flags = [
            "--ca-file",
            server.ca_file,
            "-u",
            server.username or "",
            "-p",
            server.password or "",
        ]
    run(
        [
            oras,
            "push",
            *flags,
            "--artifact-type",
            "application/vnd.example.test",
            f"{server.address}/{name}:v1",
            "payload.bin:application/vnd.example.payload",
        ],
        cwd=tmp_path,
    )
    repo = client.repository(name)
    fetched = repo.get_manifest("v1")
    manifest = parse_manifest(fetched.content)
    assert manifest.artifact_type == "application/vnd.example.test"
    [layer] = manifest.layers
    assert layer.media_type == "application/vnd.example.payload"
    assert repo.fetch_blob(layer.digest, layer.size, limit=layer.size) == payload.read_bytes()
    target = repo.download_blob(layer.digest, tmp_path / "pulled.bin", layer.size)
    assert target.read_bytes() == payload.read_bytes()


def make_chart(directory: Path, helm: Path) -> Path:
    chart = directory / "mychart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(
        "apiVersion: v2\nname: mychart\nversion: 0.1.0\ndescription: test chart\n"
    )
    (chart / "values.yaml").write_text("replicas: 1\n")
    run([helm, "package", chart, "-d", directory])
    return directory / "mychart-0.1.0.tgz"


def test_helm_pulls_a_chart_we_pushed(registry: RegistryServer, helm: Path, tmp_path: Path) -> None:
    chart = make_chart(tmp_path, helm)
    with RegistryClient(registry.url) as c:
        repo = c.repository("pyocm-test/charts/mychart")
        config = repo.push_bytes(
            json.dumps({"apiVersion": "v2", "name": "mychart", "version": "0.1.0"}).encode(),
            HELM_CONFIG,
        )
        layer = repo.push_bytes(chart.read_bytes(), HELM_CHART)
        repo.put_manifest(image_manifest(config, [layer]), IMAGE_MANIFEST, tag="0.1.0")
    out = tmp_path / "pulled"
    out.mkdir()
    env = {"HELM_CONFIG_HOME": str(tmp_path / "helm"), "HELM_CACHE_HOME": str(tmp_path / "c")}
    run(
        [
            helm,
            "pull",
            f"oci://{registry.address}/pyocm-test/charts/mychart",
            "--version",
            "0.1.0",
            "--plain-http",
            "-d",
            out,
        ],
        env,
    )
    assert (out / "mychart-0.1.0.tgz").read_bytes() == chart.read_bytes()


def test_we_pull_a_chart_helm_pushed(registry: RegistryServer, helm: Path, tmp_path: Path) -> None:
    chart = make_chart(tmp_path, helm)
    env = {"HELM_CONFIG_HOME": str(tmp_path / "helm"), "HELM_CACHE_HOME": str(tmp_path / "c")}
    run(
        [helm, "push", chart, f"oci://{registry.address}/pyocm-test/helm-pushed", "--plain-http"],
        env,
    )
    with RegistryClient(registry.url) as c:
        repo = c.repository("pyocm-test/helm-pushed/mychart")
        manifest = parse_manifest(repo.get_manifest("0.1.0").content)
        assert manifest.config.media_type == HELM_CONFIG
        [layer] = [d for d in manifest.layers if d.media_type == HELM_CHART]
        assert repo.fetch_blob(layer.digest, layer.size) == chart.read_bytes()


@pytest.mark.parametrize("tool", ["skopeo", "oras", "crane", "helm"])
def test_missing_tools_are_reported_with_the_install_hint(
    tool: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from fixtures.registry import find_tool

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("PYOCM_TOOLS", str(tmp_path / "none"))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=f"{tool} not installed: run scripts/"):
        find_tool(tool)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=f"{tool} not installed"):
        find_tool(tool)
