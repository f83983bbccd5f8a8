"""The Go v2 CLI's tutorials (reference/cli.md §7.1, §7.2, §7.4) run end to end with ``ocm``.

Expected texts are the outputs printed on the reference website pages
(website/content/docs/getting-started/create-component-version.md and
website/content/docs/tutorials/advanced-component-constructor.md); remote inputs are
replaced by local ones because tests run offline.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import yaml

RunOcm = Callable[..., subprocess.CompletedProcess[str]]

OFFLINE = "--skip-reference-digest-processing"
"""The tutorials' images live on ghcr.io and docker.io, which these offline tests cannot reach
to pin them: ``add cv`` keeps those accesses as written only when told to."""

HELLO = "github.com/acme.org/helloworld"
HELLO_CONSTRUCTOR = """\
components:
- name: github.com/acme.org/helloworld
  version: 1.0.0
  provider:
    name: acme.org
  resources:
  - name: mylocalfile
    type: blob
    input:
      type: file/v1
      path: ./my-local-resource.txt
  - name: image
    type: ociImage
    version: 1.0.0
    access:
      type: OCIImage/v1
      imageReference: ghcr.io/stefanprodan/podinfo:6.9.1
"""
HELLO_TABLE = [
    " COMPONENT                      │ VERSION │ PROVIDER",
    "────────────────────────────────┼─────────┼──────────",
    " github.com/acme.org/helloworld │ 1.0.0   │ acme.org",
]


def _lines(text: str) -> list[str]:
    # The website trims trailing blanks; go-pretty pads every cell, so compare without them.
    return [line.rstrip() for line in text.splitlines()]


def test_getting_started(run_ocm: RunOcm, tmp_path: Path) -> None:
    content = b"My first local Resource for an OCM component\n"
    (tmp_path / "my-local-resource.txt").write_bytes(content)
    (tmp_path / "component-constructor.yaml").write_text(HELLO_CONSTRUCTOR)

    added = run_ocm("add", "cv", OFFLINE, cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert _lines(added.stdout) == HELLO_TABLE

    index = json.loads((tmp_path / "transport-archive/artifact-index.json").read_text())
    [entry] = index["artifacts"]
    assert entry["repository"] == f"component-descriptors/{HELLO}"
    assert entry["tag"] == "1.0.0"
    blobs = {p.name for p in (tmp_path / "transport-archive/blobs").iterdir()}
    # The website lists the local resource blob as sha256.70a2577d...
    assert any(name.startswith("sha256.70a2577d") for name in blobs)

    for ref in (f"./transport-archive//{HELLO}", "./transport-archive"):
        listed = run_ocm("get", "cv", ref, cwd=tmp_path)
        assert listed.returncode == 0, listed.stderr
        assert _lines(listed.stdout) == HELLO_TABLE

    shown = run_ocm("get", "cv", f"./transport-archive//{HELLO}:1.0.0", "-o", "yaml", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    [cd] = yaml.safe_load(shown.stdout)
    local, image = cd["component"]["resources"]
    assert local["access"]["type"] == "LocalBlob/v1"
    assert local["access"]["mediaType"] == "text/plain; charset=utf-8"
    assert (local["relation"], local["version"]) == ("local", "1.0.0")
    assert local["digest"] == {
        "hashAlgorithm": "SHA-256",
        "normalisationAlgorithm": "genericBlobDigest/v1",
        "value": hashlib.sha256(content).hexdigest(),
    }
    assert image["relation"] == "external"
    assert image["access"]["imageReference"].startswith("ghcr.io/stefanprodan/podinfo:6.9.1")

    downloaded = run_ocm(
        "download", "resource", f"./transport-archive//{HELLO}:1.0.0",
        "--identity", "name=mylocalfile", "--output", "mylocalfile-downloaded",
        cwd=tmp_path,
    )  # fmt: skip
    assert downloaded.returncode == 0, downloaded.stderr
    assert (tmp_path / "mylocalfile-downloaded").read_bytes() == content
    assert "resource downloaded successfully" in downloaded.stderr


def test_adding_the_same_version_twice_is_refused_by_default(
    run_ocm: RunOcm, tmp_path: Path
) -> None:
    (tmp_path / "my-local-resource.txt").write_text("hello\n")
    (tmp_path / "component-constructor.yaml").write_text(HELLO_CONSTRUCTOR)
    assert run_ocm("add", "cv", OFFLINE, cwd=tmp_path).returncode == 0
    again = run_ocm("add", "cv", OFFLINE, cwd=tmp_path)
    assert again.returncode == 1
    assert "already exists in CTF transport-archive" in again.stderr
    assert "--component-version-conflict-policy" in again.stderr
    skipped = run_ocm(
        "add", "cv", OFFLINE, "--component-version-conflict-policy", "skip", cwd=tmp_path
    )
    assert skipped.returncode == 0, skipped.stderr


MULTI_CONSTRUCTOR = """\
components:
- name: ocm.software/tutorials/frontend
  version: ${FRONTEND_VERSION}
  provider:
    name: ocm.software
  resources:
    - name: chart
      type: helmChart
      input:
        type: Helm/v1
        path: ./mychart-0.1.0.tgz
    - name: image
      type: ociImage
      version: 1.5.0
      access:
        type: OCIImage/v1
        imageReference: ghcr.io/stefanprodan/podinfo:6.9.1
- name: ocm.software/tutorials/backend
  version: 3.1.0
  provider:
    name: ocm.software
  resources:
    - name: manifests
      type: blob
      input:
        type: UTF8/v1
        yaml:
          apiVersion: v1
          kind: Service
          metadata:
            name: backend
          spec:
            selector:
              app: backend
            ports:
              - port: 8080
                targetPort: 8080
    - name: image
      type: ociImage
      version: 3.1.0
      access:
        type: OCIImage/v1
        imageReference: ghcr.io/stefanprodan/podinfo:6.9.1
- name: ocm.software/tutorials/product-web
  version: 2.0.0
  provider:
    name: ocm.software
  labels:
    - name: purpose
      value: tutorial
  componentReferences:
    - name: frontend
      componentName: ocm.software/tutorials/frontend
      version: ${FRONTEND_VERSION}
    - name: backend
      componentName: ocm.software/tutorials/backend
      version: 3.1.0
- name: ocm.software/tutorials/product-data
  version: 1.3.0
  provider:
    name: ocm.software
  resources:
    - name: migrations
      type: blob
      input:
        type: Dir/v1
        path: ./db
        compress: true
    - name: database
      type: ociImage
      version: "16.8"
      access:
        type: OCIImage/v1
        imageReference: docker.io/library/postgres:16.8
- name: ocm.software/tutorials/platform
  version: 1.0.0
  provider:
    name: ocm.software
  labels:
    - name: org
      value: ocm.software
    - name: release
      value: "2025-Q1"
      signing: true
  componentReferences:
    - name: product-web
      componentName: ocm.software/tutorials/product-web
      version: 2.0.0
    - name: product-data
      componentName: ocm.software/tutorials/product-data
      version: 1.3.0
"""

# The tutorial's table, with one deliberate difference: Go merges equal cells (PROVIDER shows
# only on the first row), pyocm repeats every value so no row reads as having no provider.
MULTI_TABLE = """\
 COMPONENT                           │ VERSION │ PROVIDER
─────────────────────────────────────┼─────────┼──────────────
 ocm.software/tutorials/platform     │ 1.0.0   │ ocm.software
 ocm.software/tutorials/product-web  │ 2.0.0   │ ocm.software
 ocm.software/tutorials/frontend     │ 1.5.0   │ ocm.software
 ocm.software/tutorials/backend      │ 3.1.0   │ ocm.software
 ocm.software/tutorials/product-data │ 1.3.0   │ ocm.software
"""

MULTI_TREE = """\
 NESTING   COMPONENT                            VERSION  PROVIDER      IDENTITY
 └─ ●      ocm.software/tutorials/platform      1.0.0    ocm.software  name=ocm.software/tutorials/platform,version=1.0.0
    ├─ ●   ocm.software/tutorials/product-web   2.0.0    ocm.software  name=ocm.software/tutorials/product-web,version=2.0.0
    │  ├─  ocm.software/tutorials/frontend      1.5.0    ocm.software  name=ocm.software/tutorials/frontend,version=1.5.0
    │  └─  ocm.software/tutorials/backend       3.1.0    ocm.software  name=ocm.software/tutorials/backend,version=3.1.0
    └─     ocm.software/tutorials/product-data  1.3.0    ocm.software  name=ocm.software/tutorials/product-data,version=1.3.0
"""  # noqa: E501


def test_multi_component_product(run_ocm: RunOcm, tmp_path: Path, vectors: Path) -> None:
    shutil.copy(vectors / "helm/mychart-0.1.0.tgz", tmp_path)
    (tmp_path / "db").mkdir()
    (tmp_path / "db/init.sql").write_text("CREATE TABLE IF NOT EXISTS users (id SERIAL);\n")
    (tmp_path / "component-constructor.yaml").write_text(MULTI_CONSTRUCTOR)
    env = {"FRONTEND_VERSION": "1.5.0"}

    added = run_ocm("add", "cv", OFFLINE, "--repository", "my-product", cwd=tmp_path, env=env)
    assert added.returncode == 0, added.stderr
    assert _lines(added.stdout) == MULTI_TABLE.splitlines()

    tree = run_ocm(
        "get", "cv", "my-product//ocm.software/tutorials/platform:1.0.0",
        "--recursive=-1", "-o", "tree",
        cwd=tmp_path,
    )  # fmt: skip
    assert tree.returncode == 0, tree.stderr
    assert _lines(tree.stdout) == MULTI_TREE.splitlines()

    # The reference digests chain: platform -> product-web -> frontend.
    shown = run_ocm(
        "get", "cv", "my-product//ocm.software/tutorials/platform:1.0.0", "-o", "json",
        cwd=tmp_path,
    )  # fmt: skip
    [platform] = json.loads(shown.stdout)
    refs = platform["component"]["componentReferences"]
    assert [r["digest"]["normalisationAlgorithm"] for r in refs] == [
        "jsonNormalisation/v4alpha1"
    ] * 2
    labels = {label["name"]: label for label in platform["component"]["labels"]}
    assert labels["release"]["signing"] is True
