"""A push never records sizes a registry's ``HEAD`` answers claim but the bytes do not have.

A proxy in front of the real registry answers every ``HEAD`` with ``Content-Length: 0`` (as
some proxies do for bodyless answers).  ``ocm add cv`` and ``ocm transfer cv`` through it must
still write manifests whose descriptors carry the sizes of the bytes uploaded, and what they
wrote must download again.
"""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fixtures.ocm_registry import LAYOUT_TAR, new_sub_path, raw_client, write_layout_file
from fixtures.proxy import FaultProxy, fault_proxy
from fixtures.registry import RegistryServer
from pyocm.oci.client import RegistryClient
from pyocm.oci.mediatypes import is_manifest_type

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

LAYER_SIZE = 5 << 20

CONSTRUCTOR = """\
components:
- name: acme.org/sizes
  version: 1.0.0
  provider:
    name: acme.org
  resources:
  - name: data
    version: 1.0.0
    type: blob
    input:
      type: file
      path: data.bin
  - name: image
    version: 1.0.0
    type: ociImage
    input:
      type: file
      path: image.tar
      mediaType: {layout}
"""


@pytest.fixture
def lying_proxy(registry: RegistryServer) -> Iterator[FaultProxy]:
    """The plain registry behind a proxy whose ``HEAD`` answers say ``Content-Length: 0``."""
    with fault_proxy(registry.port, head_content_length="0") as proxy:
        yield proxy


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    (work / "data.bin").write_bytes(os.urandom(LAYER_SIZE))
    write_layout_file(work / "image.tar", layer_size=LAYER_SIZE)
    (work / "component-constructor.yaml").write_text(CONSTRUCTOR.format(layout=LAYOUT_TAR))
    home = tmp_path / "home"
    home.mkdir()
    return work


def _env(workdir: Path) -> dict[str, str]:
    home = workdir.parent / "home"
    return {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}


def _ok(run_ocm: RunOcm, *args: str, cwd: Path) -> str:
    done = run_ocm(*args, cwd=cwd, env=_env(cwd))
    assert done.returncode == 0, done.stderr
    return done.stdout


def _true_size(client: RegistryClient, repository: str, descriptor: dict[str, Any]) -> int:
    """The size of what the registry holds for ``descriptor``, counted from a ``GET``."""
    remote = client.repository(repository)
    if is_manifest_type(str(descriptor["mediaType"])):
        return len(remote.get_manifest(str(descriptor["digest"])).content)
    return len(remote.fetch_blob(str(descriptor["digest"]), limit=2 * LAYER_SIZE))


def _check_graph(client: RegistryClient, repository: str, content: bytes) -> int:
    """Assert every descriptor below a manifest or index names its true size; count them."""
    data = json.loads(content)
    children = [*data.get("manifests", []), *data.get("layers", [])]
    if "config" in data:
        children.append(data["config"])
    checked = 0
    for child in children:
        assert child["size"] == _true_size(client, repository, child), child
        checked += 1
        if is_manifest_type(str(child["mediaType"])):
            sub = client.repository(repository).get_manifest(str(child["digest"])).content
            checked += _check_graph(client, repository, sub)
    return checked


def _assert_true_sizes(registry: RegistryServer, sub_path: str) -> None:
    """The version's manifests, read straight from the registry, name the true sizes."""
    repository = f"{sub_path}/component-descriptors/acme.org/sizes"
    with raw_client(registry) as client:
        top = client.repository(repository).get_manifest("1.0.0").content
        checked = _check_graph(client, repository, top)
        data_layers = [
            layer for layer in _layers_of(client, repository, top) if layer["size"] == LAYER_SIZE
        ]
    assert checked >= 5  # index, manifest, config, descriptor layer, blob, image graph
    assert data_layers, "the 5 MiB blob is not listed with its size"


def _layers_of(client: RegistryClient, repository: str, top: bytes) -> list[dict[str, Any]]:
    data = json.loads(top)
    if "manifests" in data:
        first = data["manifests"][0]["digest"]
        data = json.loads(client.repository(repository).get_manifest(first).content)
    return list(data["layers"])


def _download_both(run_ocm: RunOcm, workdir: Path, reference: str) -> None:
    into = workdir / f"out-{uuid.uuid4().hex[:8]}"
    into.mkdir()
    for name, expected in (("data", (workdir / "data.bin").read_bytes()), ("image", None)):
        out = into / name
        _ok(
            run_ocm,
            "download",
            "resource",
            reference,
            "--identity",
            f"name={name}",
            "--output",
            str(out),
            cwd=workdir,
        )
        if expected is not None:
            assert out.read_bytes() == expected
        else:  # the image, as an OCI image layout: its layer is there, whole
            blobs = [f for f in (out / "blobs" / "sha256").iterdir() if f.is_file()]
            assert (out / "index.json").is_file()
            assert LAYER_SIZE in [blob.stat().st_size for blob in blobs]


def test_add_through_a_proxy_whose_head_says_zero_records_the_uploaded_sizes(
    registry: RegistryServer, lying_proxy: FaultProxy, workdir: Path, run_ocm: RunOcm
) -> None:
    sub_path = new_sub_path()
    _ok(run_ocm, "add", "cv", "-r", f"{lying_proxy.url}/{sub_path}", cwd=workdir)

    assert any(method == "HEAD" for method, _, _ in lying_proxy.log)
    _assert_true_sizes(registry, sub_path)
    _download_both(run_ocm, workdir, f"{lying_proxy.url}/{sub_path}//acme.org/sizes:1.0.0")
    _download_both(run_ocm, workdir, f"{registry.url}/{sub_path}//acme.org/sizes:1.0.0")


def test_transfer_through_a_proxy_whose_head_says_zero_records_the_uploaded_sizes(
    registry: RegistryServer, lying_proxy: FaultProxy, workdir: Path, run_ocm: RunOcm
) -> None:
    _ok(run_ocm, "add", "cv", "-r", "./ctf", cwd=workdir)
    sub_path = new_sub_path()
    target = f"{lying_proxy.url}/{sub_path}"
    _ok(run_ocm, "transfer", "cv", "./ctf//acme.org/sizes:1.0.0", target, cwd=workdir)
    _assert_true_sizes(registry, sub_path)

    # written again, every blob is found there (HEAD) and not sent: the sizes stay true
    _ok(
        run_ocm,
        "transfer",
        "cv",
        "--component-version-conflict-policy",
        "replace",
        "./ctf//acme.org/sizes:1.0.0",
        target,
        cwd=workdir,
    )
    _assert_true_sizes(registry, sub_path)
    _download_both(run_ocm, workdir, f"{target}//acme.org/sizes:1.0.0")
