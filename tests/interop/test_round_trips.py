"""Round trips between pyocm and the Go reference CLIs, through a CTF and through a registry.

Each producer (pyocm, Go v2 0.13.0, legacy v1 0.48.0) builds the same component-constructor
file into a CTF with its own ``add cv`` (file, dir, utf8 and helm inputs, an OCI image
layout given as a ``file`` input, two resources sharing one blob, and a second component
whose version carries ``+build``), then pushes it into the test registry with its own
``transfer``.  Each consumer then reads every resource from both places, downloads it, computes
the component-version digest and transfers the version on (CTF → registry, registry → CTF);
the producer reads the transferred copy back and must compute the same digest.  The pairs:
pyocm → Go v2, Go v2 → pyocm, pyocm → legacy v1, legacy v1 → pyocm.

Downloads are compared by content: plain blobs byte for byte (they are stored as given), OCI
artifacts (the helm chart, the image layout) by the set of blobs in the archive each tool writes
for them (Go v2 and pyocm write an OCI image layout, the legacy CLI its artifact set; the tar
containers differ in member order and modes, the blobs do not).  Digests are
``jsonNormalisation/v4alpha1`` between pyocm and Go v2 and the legacy ``v3`` between pyocm and
the legacy CLI.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import itertools
import json
import random
import re
import subprocess
import tarfile
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from go_digests import V4ALPHA1, go_v2_digest, go_v2_signing_config, legacy_digests

from fixtures.cli import ocm_command
from fixtures.go_ocm import GoOcm
from fixtures.registry import RegistryServer
from pyocm.digest import component_version_digest
from pyocm.download import download_resource
from pyocm.repository import open_repository, parse_component_reference

LEGACY_V3 = "jsonNormalisation/v3"
APP, VERSION = "acme.org/rt/app", "1.0.0"
BUILD, BUILD_VERSION = "acme.org/rt/build", "1.0.0+build.7"
RESOURCES = ("data", "data-again", "tree", "note", "chart", "image")
NOTE = "héllo 🌍 — 𝄞\n"
BUILD_NOTE = "build metadata"
LAYOUT_TAR = "application/vnd.ocm.software.oci.layout.v1+tar"

CONSTRUCTOR = f"""\
components:
- name: {APP}
  version: {VERSION}
  provider: {{name: acme.org}}
  resources:
  - name: data
    type: blob
    input: {{type: file, path: inputs/data.bin, mediaType: application/octet-stream}}
  - name: data-again
    type: blob
    input: {{type: file, path: inputs/data.bin, mediaType: application/octet-stream}}
  - name: tree
    type: directoryTree
    input: {{type: dir, path: inputs/tree}}
  - name: note
    type: plainText
    input: {{type: utf8, text: {json.dumps(NOTE, ensure_ascii=False)}}}
  - name: chart
    type: helmChart
    input: {{type: helm, path: inputs/chart}}
  - name: image
    type: ociImage
    input: {{type: file, path: inputs/image.tar, mediaType: {LAYOUT_TAR}}}
- name: {BUILD}
  version: {BUILD_VERSION}
  provider: {{name: acme.org}}
  resources:
  - name: note
    type: plainText
    input: {{type: utf8, text: {BUILD_NOTE}}}
"""

TOOLS = ("pyocm", "go-v2", "v1")
PAIRS = [("pyocm", "go-v2"), ("go-v2", "pyocm"), ("pyocm", "v1"), ("v1", "pyocm")]


# --- the inputs -----------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _write_layout(root: Path) -> None:
    """An OCI image layout with one image (config and one layer), tagged 1.0.0."""
    config = b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'
    layer = gzip.compress(b"layer content", mtime=0)
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": _sha256(config),
                "size": len(config),
            },
            "layers": [
                {
                    "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": _sha256(layer),
                    "size": len(layer),
                }
            ],
        }
    ).encode()
    index = {
        "schemaVersion": 2,
        "manifests": [
            {
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": _sha256(manifest),
                "size": len(manifest),
                "annotations": {"org.opencontainers.image.ref.name": "1.0.0"},
            }
        ],
    }
    blobs = root / "blobs" / "sha256"
    blobs.mkdir(parents=True)
    for blob in (config, layer, manifest):
        (blobs / hashlib.sha256(blob).hexdigest()).write_bytes(blob)
    (root / "index.json").write_text(json.dumps(index))
    (root / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')


def _tar(root: Path) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for path in sorted(root.rglob("*")):
            tar.add(path, arcname=str(path.relative_to(root)), recursive=False)
    return out.getvalue()


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The inputs and ``component-constructor.yaml`` every producer builds."""
    root = tmp_path_factory.mktemp("round-trips")
    inputs = root / "inputs"
    inputs.mkdir()
    rnd = random.Random(12)
    (inputs / "data.bin").write_bytes(bytes(rnd.randrange(256) for _ in range(40_000)))
    tree = inputs / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "a.txt").write_text("alpha\n")
    (tree / "sub" / "b.json").write_text('{"b": 1}\n')
    chart = inputs / "chart"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: demo\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("replicas: 1\n")
    (chart / "templates" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n"
    )
    _write_layout(root / "layout")
    (inputs / "image.tar").write_bytes(_tar(root / "layout"))
    (root / "component-constructor.yaml").write_text(CONSTRUCTOR)
    return root


# --- what each tool does --------------------------------------------------------------------


def _pyocm(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [*ocm_command(), *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )
    assert done.returncode == 0, f"ocm {' '.join(args)}\n{done.stdout}\n{done.stderr}"
    return done


@dataclass
class Tools:
    """The three tools behind one face: build, download, digest, transfer."""

    go_v2: GoOcm
    v1: GoOcm
    go_v2_config: Path
    scratch: Path
    _numbers: Iterator[int] = field(default_factory=itertools.count)

    def fresh(self, name: str) -> Path:
        """A new path in the scratch folder (not created)."""
        return self.scratch / f"{next(self._numbers):03d}-{name}"

    def build(self, tool: str, work: Path, ctf: Path) -> None:
        constructor = str(work / "component-constructor.yaml")
        # run in the constructor's folder: Go v2 resolves a dir input's path against the
        # working directory, not the constructor file as its help says
        if tool == "pyocm":
            _pyocm("add", "cv", "-c", constructor, "--repository", f"ctf::{ctf}", cwd=work)
        elif tool == "go-v2":
            self.go_v2.ok("add", "cv", "-c", constructor, "--repository", f"ctf::{ctf}", cwd=work)
        else:
            self.v1.ok("add", "cv", "--create", "--file", str(ctf), constructor, cwd=work)

    def transfer(self, tool: str, reference: str, target: str) -> None:
        if tool == "pyocm":
            _pyocm("transfer", "cv", reference, target)
        elif tool == "go-v2":
            self.go_v2.ok("transfer", "cv", reference, target)
        else:
            if target.startswith("ctf::"):
                target = "ctf+directory::" + target.removeprefix("ctf::")
            self.v1.ok("transfer", "cv", reference, target)

    def download(self, tool: str, reference: str, names: tuple[str, ...]) -> dict[str, object]:
        """The content of each named resource of ``reference`` as ``tool`` downloads it."""
        out = self.fresh(f"download-{tool}")
        out.mkdir(parents=True)
        if tool == "pyocm":
            for name in names:
                download_resource(reference, {"name": name}, out / name, extraction="disable")
            files = {name: out / name for name in names}
        elif tool == "go-v2":
            for name in names:
                self.go_v2.ok(
                    "download", "resource", reference, "--identity", f"name={name}",
                    "--extraction-policy", "disable", "--output", str(out / name),
                )  # fmt: skip
            files = {name: out / name for name in names}
        else:
            if len(names) == 1:  # -O names the file for one resource, a folder for several
                files = {names[0]: out / names[0]}
                self.v1.ok("download", "resources", "-O", str(files[names[0]]), reference, *names)
            else:
                self.v1.ok("download", "resources", "-O", str(out), reference, *names)
                component, version = reference.rsplit("//", 1)[1].rsplit(":", 1)
                files = {name: out / component / version / name for name in names}
        return {name: content(path) for name, path in files.items()}

    def digest(self, tool: str, reference: str, algorithm: str) -> str:
        if tool == "pyocm":
            ref = parse_component_reference(reference)
            with open_repository(ref.repository) as repo:
                assert ref.version is not None
                descriptor = repo.get_component_version(ref.component, ref.version)
            return component_version_digest(descriptor, "SHA-256", algorithm).value
        if tool == "go-v2":
            assert algorithm == V4ALPHA1
            value, error = go_v2_digest(self.go_v2, self.go_v2_config, reference)
            assert value is not None, error
            return value
        assert algorithm == LEGACY_V3
        (value,) = legacy_digests(self.v1, algorithm, [reference]).values()
        return value


_LAYOUT_BLOB = re.compile(r"(?:^|/)blobs/sha256[/.]([0-9a-f]{64})$")


def content(path: Path) -> object:
    """What a download holds: its bytes, or for an OCI artifact archive the digests of its blobs.

    Every blob of an archive must match its name; the container (tar order, modes, gzip) is
    left out of the comparison.
    """
    raw = path.read_bytes()
    data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
            blobs = {}
            for member in tar:
                match = _LAYOUT_BLOB.search(member.name)
                if match and member.isfile():
                    stream = tar.extractfile(member)
                    assert stream is not None
                    blob = stream.read()
                    assert hashlib.sha256(blob).hexdigest() == match.group(1), member.name
                    blobs[match.group(1)] = len(blob)
    except tarfile.TarError:
        return raw
    return ("OCI artifact", frozenset(blobs.items())) if blobs else raw


# --- the fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tools(go_ocm_v2: GoOcm, go_ocm_v1: GoOcm, tmp_path_factory: pytest.TempPathFactory) -> Tools:
    keys = tmp_path_factory.mktemp("round-trip-keys")
    return Tools(
        go_ocm_v2, go_ocm_v1, go_v2_signing_config(keys), tmp_path_factory.mktemp("scratch")
    )


@dataclass
class Produced:
    """One producer's component versions: the CTF it built and the registry prefix it filled."""

    ctf: str
    registry: str
    reference_content: dict[str, object]

    def source(self, via: str) -> str:
        return self.ctf if via == "ctf" else self.registry


@pytest.fixture(scope="module")
def produced(tools: Tools, work: Path, registry: RegistryServer) -> dict[str, Produced]:
    """Each tool's build, pushed into the registry by the same tool.

    Go v2 refuses to transfer the ``+build`` version (see
    :func:`test_go_v2_refuses_to_transfer_a_build_version_pyocm_does_not`), so pyocm pushes
    that one version of Go v2's CTF.
    """
    out = {}
    for tool in TOOLS:
        ctf = work / f"ctf-{tool}"
        tools.build(tool, work, ctf)
        target = f"{registry.url}/rt-{tool}"
        if tool == "v1":
            tools.v1.ok("transfer", "ctf", str(ctf), target)
        else:
            tools.transfer(tool, f"ctf::{ctf}//{APP}:{VERSION}", target)
            pusher = "pyocm" if tool == "go-v2" else tool
            tools.transfer(pusher, f"ctf::{ctf}//{BUILD}:{BUILD_VERSION}", target)
        reference = tools.download(tool, f"ctf::{ctf}//{APP}:{VERSION}", RESOURCES)
        out[tool] = Produced(f"ctf::{ctf}", target, reference)
    return out


# --- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("tool", TOOLS)
def test_producer_content_is_the_input(
    tool: str, produced: dict[str, Produced], work: Path
) -> None:
    """What each producer stored is what it was given; the shared blob is stored once."""
    got = produced[tool].reference_content
    data = (work / "inputs" / "data.bin").read_bytes()
    assert got["data"] == data and got["data-again"] == data
    assert got["note"] == NOTE.encode()
    layout = content(work / "inputs" / "image.tar")
    assert got["image"] == layout
    ref = parse_component_reference(f"{produced[tool].ctf}//{APP}:{VERSION}")
    with open_repository(ref.repository) as repo:
        resources = repo.get_component_version(APP, VERSION).component.resources
    by_name = {r.name: r for r in resources}
    assert by_name["data"].access == by_name["data-again"].access
    assert by_name["data"].digest == by_name["data-again"].digest


@pytest.mark.parametrize("via", ["ctf", "registry"])
@pytest.mark.parametrize(("producer", "consumer"), PAIRS, ids=[f"{p}->{c}" for p, c in PAIRS])
def test_round_trip(
    producer: str,
    consumer: str,
    via: str,
    tools: Tools,
    produced: dict[str, Produced],
    registry: RegistryServer,
) -> None:
    """The consumer reads, downloads byte-identically, digests identically and transfers on."""
    made = produced[producer]
    source = made.source(via)
    reference = f"{source}//{APP}:{VERSION}"
    algorithm = LEGACY_V3 if "v1" in (producer, consumer) else V4ALPHA1

    assert tools.download(consumer, reference, RESOURCES) == made.reference_content
    build = tools.download(consumer, f"{source}//{BUILD}:{BUILD_VERSION}", ("note",))
    assert build == {"note": BUILD_NOTE.encode()}
    expected = tools.digest(producer, reference, algorithm)
    assert tools.digest(consumer, reference, algorithm) == expected

    if via == "ctf":
        target = f"{registry.url}/rt-{consumer}-from-{producer}"
    else:
        target = f"ctf::{tools.fresh(f'{consumer}-from-{producer}')}"
    tools.transfer(consumer, reference, target)
    copy = f"{target}//{APP}:{VERSION}"
    assert tools.digest(producer, copy, algorithm) == expected
    check = ("tree", "image") if producer == "go-v2" else RESOURCES
    got = tools.download(producer, copy, check)
    assert got == {name: made.reference_content[name] for name in check}


def test_go_v2_refuses_to_transfer_a_build_version_pyocm_does_not(
    tools: Tools, produced: dict[str, Produced], registry: RegistryServer
) -> None:
    """Go v2 0.13.0 cannot transfer a version with ``+build`` (into a registry or a CTF): its
    transformation ids must be lower camelCase.  pyocm transfers the same version of Go v2's
    CTF into the registry (tag ``1.0.0.build-build.7``) and both Go tools read it there."""
    source = f"{produced['go-v2'].ctf}//{BUILD}:{BUILD_VERSION}"
    target = f"{registry.url}/rt-go-v2-build"
    refused = tools.go_v2.run("transfer", "cv", source, target)
    assert refused.returncode != 0
    assert "naming convention violation" in refused.stderr
    tools.transfer("pyocm", source, target)
    copy = f"{target}//{BUILD}:{BUILD_VERSION}"
    for tool in TOOLS:
        assert tools.download(tool, copy, ("note",)) == {"note": BUILD_NOTE.encode()}, tool
    tags = registry_tags(registry, f"rt-go-v2-build/component-descriptors/{BUILD}")
    assert tags == ["1.0.0.build-build.7"]


def registry_tags(registry: RegistryServer, repository: str) -> list[str]:
    with urllib.request.urlopen(f"{registry.url}/v2/{repository}/tags/list", timeout=10) as r:
        tags: list[str] = json.load(r)["tags"]
    return tags
